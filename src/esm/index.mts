// ESM entry: re-exports the CommonJS runtime so that ESM and CommonJS users share one instance
// (one registry of loaded modules, one set of hooks).
import zigimport from '../index.js';

export const {
  load, loadSync, reload, describeLoaded, ZigImportError, ZigImportConfigError, ZigCompileError,
  ZigNotFoundError, ZigTimeoutError, UnsupportedZigVersionError, resolveSettings, OPTIMIZE_MODES,
  findZig, installToolchain, buildModules, watchModules, clearCache,
  UnsafeCacheError,
} = zigimport;
export type {
  LoadOptions, ZigExports, ZigDiagnostic, Settings, OptimizeMode, SettingSource, ZigToolchain, BuildOutcome,
  WatchEvent, WatchOptions, ModuleWatcher,
} from '../index.js';
