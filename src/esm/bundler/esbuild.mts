// `zigimport/esbuild`: the esbuild plugin (see plugin.mts). `import zig from 'zigimport/esbuild'`, then `zig(options)`.
import { zigImport, type ZigImportPluginOptions } from './plugin.mjs';

export type { ZigImportPluginOptions };
export default zigImport.esbuild;
