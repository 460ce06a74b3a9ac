// `zigimport/rspack`: the rspack plugin (see plugin.mts). `import zig from 'zigimport/rspack'`, then `zig(options)`.
import { zigImport, type ZigImportPluginOptions } from './plugin.mjs';

export type { ZigImportPluginOptions };
export default zigImport.rspack;
