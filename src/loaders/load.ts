/**
 * The programmatic way in, and what every hook calls: `load`, `loadSync` and `reload`. One
 * registry per thread keeps a loaded module's exports, so a file imported through ESM, CommonJS
 * and `load()` yields the same object.
 */
import { resolveSettings, overridesFromQuery, type Settings, type SettingsOverrides } from '../config/settings.js';
import { planBuild, type BuildResult, type Plan } from '../pipeline/lookup.js';
import { perform, performSync, type Op } from '../effects.js';
import { loadArtifact, targetForSetting, type BuildTarget } from '../target.js';
import { createLog, nowMs, type StepLog } from '../log.js';
import { ZigImportError, ZigLoadError } from '../errors.js';
import { readModuleSource, type ModuleOptions } from '../config/module-options.js';
import { resolveZigSpecifier } from './specifier.js';
import { resolveBuild } from '../prebuild/resolve.js';

/** What a loaded Zig module exports: its `pub` functions and constants. */
export type ZigExports = Record<string, unknown>;

/** Options of `load()` / `loadSync()`: any setting, plus where relative paths start. */
export interface LoadOptions extends SettingsOverrides {
  /** Resolve relative paths against this file URL, file or folder (default: the working directory). */
  from?: string | URL;
}

interface LoadedModule {
  file: string;
  overrides: SettingsOverrides;
  key: string;
  artifact: string;
  /** What was loaded: a package's WebAssembly prebuild stands in for a native import without Zig. */
  target: Settings['target'];
  exports: ZigExports;
}

const byIdentity = new Map<string, LoadedModule>();
const byExports = new WeakMap<object, LoadedModule>();
const inFlight = new Map<string, Promise<ZigExports>>();

/** Settings that decide which build a file maps to in this process. */
function identity(file: string, s: Settings): string {
  return [file, s.optimize, s.cacheDir, s.zig ?? '', s.target].join('\0');
}

interface Request {
  file: string;
  overrides: SettingsOverrides;
  settings: Settings;
  /** The module's in-source settings, parsed once with the rest of its settings. */
  module: ModuleOptions;
  log: StepLog;
  id: string;
}

/**
 * Folders searched for a bare specifier such as `'simple_math.zig'`: settings for the folder's
 * package.json, the environment and `overrides`. Reads no module source (package.json is read
 * once per folder per process), so the one full resolution of an import stays the module's own.
 */
export function includePathsFor(folder: string | undefined, overrides: SettingsOverrides = {}): string[] {
  return resolveSettings({ folder, overrides, overridesSource: 'option' }).settings.includePaths;
}

/** A specifier as text: a string, or a URL (`new URL('./x.zig', import.meta.url)`, from any realm). */
function specifierText(specifier: string | URL): string {
  if (typeof specifier === 'string') return specifier;
  const href = (specifier as { href?: unknown } | null)?.href;
  if (typeof href === 'string') return href;
  throw new TypeError(`specifier must be a path, a file URL string or a URL object, not ${specifier === null ? 'null' : typeof specifier}`);
}

function prepare(specifier: string | URL, options: LoadOptions | undefined): Request {
  const start = nowMs();
  const { from, ...given } = options ?? {};
  // Include paths matter only for a bare specifier that is not beside `from`: looked up lazily.
  const spec = resolveZigSpecifier(specifierText(specifier), from, () => includePathsFor(undefined, given));
  const overrides = { ...given, ...(spec.query ? overridesFromQuery(spec.query) : {}) };
  const source = readModuleSource(spec.file, () => new ZigImportError('ZIGIMPORT_MODULE_NOT_FOUND', `Cannot find Zig module ${spec.file}`));
  // The one settings resolution of this import; it parses the module's `//!` lines from `source`.
  const { settings, module } = resolveSettings({ file: spec.file, source, overrides, overridesSource: spec.query ? 'query' : 'option' });
  const log = createLog(settings.verbose, spec.file);
  log.step('resolve', nowMs() - start);
  return { file: spec.file, overrides, settings, module, log, id: identity(spec.file, settings) };
}

type MissPath = typeof import('../pipeline/ensure.js');

/**
 * The miss path (lock, compile, publish, eviction, remote cache): required on the first miss
 * only, so that a cached import loads none of it (test/cached-path-modules.test.mjs).
 */
function missPath(): MissPath {
  return require('../pipeline/ensure.js') as MissPath;
}

/** The cache lookup, on this thread for both ways in (it never waits). */
function lookupBuild(req: Request, target: BuildTarget): Plan {
  try {
    return planBuild({ file: req.file, settings: req.settings, module: req.module, target, log: req.log, artifactOnly: true });
  } catch (err) {
    // As on a miss: a full disk while the lookup rewrites its small records is one typed error.
    throw (require('../pipeline/no-space.js') as typeof import('../pipeline/no-space.js')).explainNoSpace(req.settings.cacheDir, err);
  }
}

/**
 * The build to load: a matching prebuild shipped with the module's package, else the cached one,
 * else a fresh one (`planned` spares the miss a second lookup).
 */
function findOrBuildSync(req: Request): BuildResult {
  const target = targetForSetting(req.settings.target);
  return resolveBuild(req.file, req.log, target, () => {
    const planned = lookupBuild(req, target);
    return planned.hit ?? missPath().ensureBuildSync(req.file, req.settings, req.module, req.log, target, { planned });
  });
}

function findOrBuild(req: Request): Promise<BuildResult> {
  const target = targetForSetting(req.settings.target);
  return Promise.resolve(
    resolveBuild(req.file, req.log, target, () => {
      const planned = lookupBuild(req, target);
      return planned.hit ? Promise.resolve(planned.hit) : missPath().ensureBuild(req.file, req.settings, req.module, req.log, target, { planned });
    }),
  );
}

/** True when the dynamic loader refused the file (as opposed to the module's own init throwing). */
function isLoaderFailure(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ERR_DLOPEN_FAILED';
}

function loadFailure(req: Request, build: BuildResult, err: unknown): ZigLoadError {
  return new ZigLoadError(req.file, build.artifact, (err as Error).message, err);
}

/**
 * Loads a build; when a cached build cannot be loaded (damaged in a way its recorded identity did
 * not show), rebuilds it once and loads that. A fresh build that fails is a typed error. One
 * implementation for both ways in (src/effects.ts): only the rebuild waits.
 */
function* loadOrRebuildOnce(req: Request, build: BuildResult): Op<ZigExports> {
  try {
    return dlopen(req, build);
  } catch (err) {
    if (!isLoaderFailure(err)) throw err;
    if (!build.cached) throw loadFailure(req, build, err);
    req.log.info(`cached build failed to load (${(err as Error).message}); rebuilding once`);
    const rebuilt = yield* missPath().ensureSteps(req.file, { ...req.settings, forceRebuild: true }, req.module, req.log, build.target);
    return dlopenFresh(req, rebuilt);
  }
}

function dlopenSync(req: Request, build: BuildResult): ZigExports {
  return performSync(loadOrRebuildOnce(req, build));
}

function dlopenAsync(req: Request, build: BuildResult): Promise<ZigExports> {
  return perform(loadOrRebuildOnce(req, build));
}

function dlopenFresh(req: Request, build: BuildResult): ZigExports {
  try {
    return dlopen(req, build);
  } catch (err) {
    throw isLoaderFailure(err) ? loadFailure(req, build, err) : err;
  }
}

/** The one load of an artifact (for the host addon, `process.dlopen`); returns what it exports. */
function dlopenArtifact(target: BuildTarget, artifact: string, log: StepLog): ZigExports {
  const mod = { exports: {} as ZigExports };
  log.time('load', () => loadArtifact(target, mod, artifact));
  return mod.exports;
}

function remember(id: string, loaded: LoadedModule): void {
  byIdentity.set(id, loaded);
  byExports.set(loaded.exports, loaded);
}

function dlopen(req: Request, build: BuildResult): ZigExports {
  const mod = { exports: dlopenArtifact(build.target, build.artifact, req.log) };
  remember(req.id, {
    file: req.file,
    overrides: req.overrides,
    key: build.key,
    artifact: build.artifact,
    target: build.target.kind === 'wasm' ? 'wasm' : 'native',
    exports: mod.exports,
  });
  if (req.settings.verbose) logSkipped(mod.exports, req.log);
  // TypeScript declarations, only after a fresh build (never on a cached import).
  // Loaded lazily so that cached imports do not pay for the generator's code.
  if (!build.cached && req.settings.types) {
    (require('../types/after-build.js') as typeof import('../types/after-build.js')).writeTypesAfterBuild(req.file, mod.exports, req.settings, req.log);
  }
  return mod.exports;
}

/** ZIGIMPORT_VERBOSE: what the binding layer left out, and why. */
function logSkipped(exports: ZigExports, log: StepLog): void {
  const skipped = (exports as { __zigimport_skipped?: { name: string; reason: string }[] }).__zigimport_skipped ?? [];
  for (const s of skipped) log.info(`not exported: ${s.name} (${s.reason})`);
}

function loadPreparedSync(req: Request): ZigExports {
  const known = byIdentity.get(req.id);
  if (known) return known.exports;
  return dlopenSync(req, findOrBuildSync(req));
}

/**
 * Loads (building if needed) and returns the module's exports; blocks while compiling. `T` types
 * the result: `loadSync<typeof import('./math.zig')>('./math.zig')` (from its `.d.zig.ts`).
 */
export function loadSync<T extends object = ZigExports>(specifier: string | URL, options?: LoadOptions): T {
  return loadPreparedSync(prepare(specifier, options)) as T;
}

/**
 * What an import hook hands to the ES module it generates, so that module does not resolve the
 * import again: the registry entry in the hook's thread, and the build that thread checked.
 */
export interface Handoff {
  /** The loaded module in the hook thread's registry. */
  id: string;
  /** The build the hook loaded (content-addressed: its path names its key). */
  artifact: string;
  key: string;
  verbose: boolean;
  /** The target the hook built: the generated module loads the same kind of artifact. */
  target: Settings['target'];
}

/** What an import hook's load returns: the exports (for their names) and the handoff. */
export interface ImportHandoff {
  exports: ZigExports;
  handoff: Handoff;
}

function handoffFor(req: Request): Handoff {
  const loaded = byIdentity.get(req.id)!;
  return { id: req.id, artifact: loaded.artifact, key: loaded.key, verbose: req.settings.verbose, target: loaded.target };
}

/** The in-thread import hook's load: `loadSync` plus the handoff for the generated module. */
export function loadForImportSync(file: string, overrides: SettingsOverrides): ImportHandoff {
  const req = prepare(file, overrides);
  const exports = loadPreparedSync(req);
  return { exports, handoff: handoffFor(req) };
}

/** The off-thread import hook's load: `load` plus the handoff for the generated module. */
export async function loadForImport(file: string, overrides: SettingsOverrides): Promise<ImportHandoff> {
  const req = prepare(file, overrides);
  const exports = await loadPrepared(req);
  return { exports, handoff: handoffFor(req) };
}

/**
 * Called by the ES module an import hook generated. In the hook's thread the exports are a map
 * lookup. Off-thread hooks (`module.register`) resolved, checked and loaded the build in their
 * own thread moments ago, for this very import: this thread loads that build as it is, and only
 * if that fails goes the whole way (`loadSync`, which rebuilds a build that cannot be loaded).
 */
export function importedExports(handoff: Handoff, file: string, overrides: SettingsOverrides): ZigExports {
  const known = byIdentity.get(handoff.id);
  if (known) return known.exports;
  let exports: ZigExports;
  try {
    exports = dlopenArtifact(targetForSetting(handoff.target), handoff.artifact, createLog(handoff.verbose, file));
  } catch (err) {
    // Gone or damaged since (eviction, say): the whole way, which rebuilds. A throwing module init is the user's.
    if (!isLoaderFailure(err)) throw err;
    return loadSync(file, overrides);
  }
  remember(handoff.id, { file, overrides, key: handoff.key, artifact: handoff.artifact, target: handoff.target, exports });
  return exports;
}

/** Loads (building if needed) and returns the module's exports; compiles off the event loop. `T` as for `loadSync`. */
export async function load<T extends object = ZigExports>(specifier: string | URL, options?: LoadOptions): Promise<T> {
  return (await loadPrepared(prepare(specifier, options))) as T;
}

async function loadPrepared(req: Request): Promise<ZigExports> {
  const known = byIdentity.get(req.id);
  if (known) return known.exports;
  const pending = inFlight.get(req.id);
  if (pending) return pending;
  const promise = findOrBuild(req).then((build) => {
    // Another path (a synchronous require, say) may have loaded it while this one compiled.
    return byIdentity.get(req.id)?.exports ?? dlopenAsync(req, build);
  });
  inFlight.set(req.id, promise);
  try {
    return await promise;
  } finally {
    inFlight.delete(req.id);
  }
}

/**
 * Rebuilds a loaded module if its sources changed and returns the new exports (the same object
 * when nothing changed). Native code cannot be unloaded: the old build stays mapped in memory
 * and objects taken from it keep working with the old code.
 */
export async function reload<T extends object = ZigExports>(mod: T): Promise<T> {
  const loaded = byExports.get(mod);
  if (!loaded) {
    throw new ZigImportError('ZIGIMPORT_NOT_LOADED', 'reload() takes the exports object returned by load(), loadSync(), require() or import of a .zig file.');
  }
  // Reload must look at the sources, so release mode's shortcut is off here.
  const { settings, module } = resolveSettings({ file: loaded.file, overrides: { ...loaded.overrides, releaseMode: false } });
  const log = createLog(settings.verbose, loaded.file);
  const build = await missPath().ensureBuild(loaded.file, settings, module, log, targetForSetting(settings.target));
  if (build.key === loaded.key) return loaded.exports as T;
  const req: Request = { file: loaded.file, overrides: loaded.overrides, settings, module, log, id: identity(loaded.file, settings) };
  return (await dlopenAsync(req, build)) as T;
}

/** The path and build key behind an exports object, if zigimport loaded it. */
export function describeLoaded(mod: object): { file: string; key: string } | undefined {
  const loaded = byExports.get(mod);
  return loaded && { file: loaded.file, key: loaded.key };
}
