// `zigimport/vite`: the vite plugin (see plugin.mts). `import zig from 'zigimport/vite'`, then `zig(options)`.
import { zigImport, type ZigImportPluginOptions } from './plugin.mjs';

export type { ZigImportPluginOptions };
export default zigImport.vite;
