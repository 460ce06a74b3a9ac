// `zigimport/rollup`: the rollup plugin (see plugin.mts). `import zig from 'zigimport/rollup'`, then `zig(options)`.
import { zigImport, type ZigImportPluginOptions } from './plugin.mjs';

export type { ZigImportPluginOptions };
export default zigImport.rollup;
