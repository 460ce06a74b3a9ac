/**
 * zigimport's public API, all of it, in one place: the CommonJS entry (`index.ts`) and the ESM
 * entry (`esm/index.mts`) re-export this module and nothing else. What is not here is internal
 * and may change without notice. Every name is documented here and in the README.
 *
 * - `import 'zigimport/register'` (or `node --import zigimport/register`) hooks `import` and
 *   `require` of `.zig` files; `installImportHooks()` / `installRequireHook()` do it undoably;
 * - `load()` / `loadSync()` do the same with no hooks at all;
 * - `reload()` picks up edits in a running process.
 *
 * Functions a cached import never calls come from `lazy-api.ts`, which loads their modules on
 * first call, so `require('zigimport')` costs a cached import little more than the loader.
 */
import type * as loader from './loaders/load.js';
import type * as settings from './config/settings.js';
import type * as find from './toolchain/find.js';
import type * as install from './toolchain/install.js';
import type * as many from './pipeline/many.js';
import type * as watch from './pipeline/watch.js';
import type * as ensure from './pipeline/ensure.js';
import type * as hooks from './loaders/hooks.js';

// ---- Loading modules --------------------------------------------------------------------

export {
  /** Loads (building if needed) a `.zig` module and returns its exports; compiles off the event loop. */
  load,
  /** Loads (building if needed) a `.zig` module and returns its exports; blocks while compiling. */
  loadSync,
  /** Rebuilds a loaded module if its sources changed and returns the new exports. */
  reload,
  /** The path and build key behind an exports object, if zigimport loaded it. */
  describeLoaded,
} from './loaders/load.js';

export {
  /** Tagged template: compiles inline Zig source (``zig`pub fn …` ``) through the cache and returns its exports, like `loadSync`. */
  zig,
} from './loaders/inline.js';

/** What a loaded Zig module exports: its `pub` functions, constants and classes, by name. */
export type ZigExports = loader.ZigExports;

/** Options of `load()` / `loadSync()`: any setting (see `SettingsOverrides`), plus `from`. */
export type LoadOptions = loader.LoadOptions;

/**
 * Settings that may be given per import, as `load()` options, watch or build options, or in an
 * import's query (`'./x.zig?optimize=ReleaseFast'`): `optimize`, `releaseMode`, `verbose`,
 * `forceRebuild`, `cacheDir` (alias `buildDir`), `zig`, `includePaths`, `timeout`, `types`,
 * `cacheMax`. Each also has an environment variable (README, Configuration).
 */
export type SettingsOverrides = settings.SettingsOverrides;

export {
  /** The Zig optimize modes: `Debug`, `ReleaseSafe`, `ReleaseFast`, `ReleaseSmall`. */
  OPTIMIZE_MODES,
} from './config/optimize.js';

/** One of `OPTIMIZE_MODES`. */
export type OptimizeMode = settings.OptimizeMode;

// ---- Hooks ------------------------------------------------------------------------------

export {
  /** Hooks `import` and `require` of `.zig` files (what `zigimport/register` does); returns how, and an `uninstall()`. */
  installImportHooks,
} from './lazy-api.js';

export {
  /** Makes `require()` of `.zig` files work; returns a function that undoes it. */
  installRequireHook,
} from './lazy-api.js';

/** What `installImportHooks()` did (`kind`) and how to undo it (`uninstall()`). */
export type InstalledHooks = hooks.InstalledHooks;

/** `registerHooks` (in-thread, Node 22.15+, 23.5+, 24+), `register` (off-thread, Node 20 and older 22) or `bun-plugin` (Bun). */
export type HookKind = hooks.HookKind;

// ---- Building without loading -----------------------------------------------------------

export {
  /** Builds each module (files or folders) in parallel, as `zigimport build` does; never throws for a module's failure. */
  buildModules,
} from './lazy-api.js';

/** Options of `buildModules()`: settings, `concurrency`, and `onStart` / `onDone` callbacks. */
export type BuildOptions = many.BuildManyOptions;

/** One module's result from `buildModules()`: `{ ok: true, result }` or `{ ok: false, error }`, with `ms`. */
export type BuildOutcome = many.BuildOutcome;

/** A build that exists in the cache: its `key`, the `artifact` path, and whether it was `cached`. */
export type BuildResult = ensure.BuildResult;

export {
  /** Builds the modules under the given paths and rebuilds each when a file it read changes. */
  watchModules,
} from './lazy-api.js';

/** Options of `watchModules()`: settings plus `debounceMs`. */
export type WatchOptions = watch.WatchOptions;

/** A watch event: `{ type: 'built', … }` or `{ type: 'failed', error, … }`. */
export type WatchEvent = watch.WatchEvent;

/** What `watchModules()` returns: an event emitter and async iterable of `WatchEvent`s, with `close()`. */
export type ModuleWatcher = watch.ModuleWatcher;

// ---- Toolchain and cache ----------------------------------------------------------------

export {
  /** Finds the Zig compiler zigimport would use (`ZIGIMPORT_ZIG`, `PATH`, installed, python). */
  findZig,
} from './lazy-api.js';

/** A Zig compiler found by `findZig()`: its `path`, `version` and `source`. */
export type ZigToolchain = find.ZigToolchain;

/** Where `findZig()` found Zig. */
export type ZigSource = find.ZigSource;

export {
  /** Installs a Zig release into the cache folder, as `zigimport toolchain install` does. */
  installToolchain,
} from './lazy-api.js';

/** What `installToolchain()` installed, and where. */
export type InstallResult = install.InstallResult;

export {
  /** Removes builds, manifests and locks from a cache folder (keeps toolchains), as `zigimport clear-cache` does. */
  clearCache,
} from './lazy-api.js';

// ---- Errors -----------------------------------------------------------------------------

export {
  /** Base class of every error zigimport throws on purpose; `code` is a `ZigImportErrorCode`. */
  ZigImportError,
  /** A setting has an invalid value or an unknown key. */
  ZigImportConfigError,
  /** Zig rejected the module; `diagnostics` holds its messages, parsed. */
  ZigCompileError,
  /** No Zig compiler was found. */
  ZigNotFoundError,
  /** The compile ran past `ZIGIMPORT_TIMEOUT`. */
  ZigTimeoutError,
  /** The Zig found is a release zigimport does not support. */
  UnsupportedZigVersionError,
  /** Another user could write the cache folder; nothing is loaded. */
  UnsafeCacheError,
  /** `process.dlopen` refused a freshly compiled build. */
  ZigLoadError,
  /** The disk ran out during a build; nothing half-written is kept. */
  ZigNoSpaceError,
  /** Every `code` zigimport sets (one prefix, `ZIGIMPORT_`). */
  type ZigImportErrorCode,
  /** One parsed compiler message: `file`, `line`, `column`, `severity`, `message`. */
  type ZigDiagnostic,
} from './errors.js';
