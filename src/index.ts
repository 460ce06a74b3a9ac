/**
 * zigimport: import `.zig` files from JavaScript and TypeScript.
 *
 * - `import 'zigimport/register'` (or `node --import zigimport/register`) hooks `import` and
 *   `require` of `.zig` files;
 * - `load()` / `loadSync()` do the same with no hooks at all;
 * - `reload()` picks up edits in a running process.
 */
export { load, loadSync, reload, describeLoaded, type LoadOptions, type ZigExports } from './loaders/load.js';
export {
  ZigImportError,
  ZigImportConfigError,
  ZigCompileError,
  ZigNotFoundError,
  ZigTimeoutError,
  UnsupportedZigVersionError,
  UnsafeCacheError,
  ZigLoadError,
  ZigNoSpaceError,
  type ZigDiagnostic,
} from './errors.js';
export { resolveSettings, OPTIMIZE_MODES, type Settings, type OptimizeMode, type SettingSource } from './config/settings.js';
export { findZig, type ZigToolchain } from './toolchain/find.js';
export { installToolchain } from './toolchain/install.js';
export { buildModules, type BuildOutcome } from './pipeline/many.js';
export { watchModules, type WatchEvent, type WatchOptions, type ModuleWatcher } from './pipeline/watch.js';
export { clearCache } from './cache/clear.js';
