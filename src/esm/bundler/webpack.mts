// `zigimport/webpack`: the webpack plugin (see plugin.mts). `import zig from 'zigimport/webpack'`, then `zig(options)`.
import { zigImport, type ZigImportPluginOptions } from './plugin.mjs';

export type { ZigImportPluginOptions };
export default zigImport.webpack;
