/**
 * Makes sure a valid build of a module exists and says where: the cache lookup, and on a miss
 * the locked compile and publish. Never loads anything (that is the loaders' job).
 */
import type { Settings } from '../config/settings.js';
import { findZig, type ZigToolchain } from '../toolchain/find.js';
import { computeCacheKey, hostTarget, bindingLayerHash, type CacheKey } from '../cache/key.js';
import { checkBuild, publishBuild, readLatest, recordLatest, type BuildManifest } from '../cache/store.js';
import { acquireLock, acquireLockSync, lockPathFor, type BuildLock } from '../cache/lock.js';
import { compileModule, compileModuleSync, type CompiledArtifact, type CompileRequest } from '../compile/compile.js';
import { ensurePrivateDir } from '../cache/files.js';
import type { StepLog } from '../log.js';

export interface BuildResult {
  key: string;
  /** Absolute path of the artifact to load. */
  artifact: string;
  manifest: BuildManifest;
  /** True when no compile was needed. */
  cached: boolean;
}

type Plan =
  | { done: BuildResult }
  | { done?: undefined; zig: ZigToolchain; key: CacheKey; reason: string };

/** Everything before the compile: release-mode shortcut, toolchain, hashing, lookup. */
function plan(file: string, settings: Settings, log: StepLog): Plan {
  ensurePrivateDir(settings.buildDir);
  if (settings.releaseMode && !settings.forceRebuild) {
    const latest = readLatest(settings.buildDir, file, settings.optimize);
    if (latest) {
      const check = checkBuild(settings.buildDir, latest, false);
      if (check.ok) {
        log.info('cache hit (release mode: last build for this path, sources not hashed)');
        return { done: { key: latest, artifact: check.artifact, manifest: check.manifest, cached: true } };
      }
      log.info(`release mode: recorded build unusable (${check.reason}); checking sources`);
    } else log.info('release mode: no build recorded for this path yet');
  }
  const zig = log.time('toolchain', () => findZig(settings), (z) => `zig ${z.version} (${z.source})`);
  const key = log.time(
    'hash',
    () => computeCacheKey({ file, zigVersion: zig.version, optimize: settings.optimize, target: hostTarget() }),
    (k) => `${k.inputs.length} file(s) key ${k.hash.slice(0, 12)}`,
  );
  if (settings.forceRebuild) return { zig, key, reason: 'ZIGIMPORT_FORCE_REBUILD is set' };
  const check = log.time('lookup', () => checkBuild(settings.buildDir, key.hash, true));
  if (check.ok) {
    log.info('cache hit');
    recordLatest(settings.buildDir, file, settings.optimize, key.hash);
    return { done: { key: key.hash, artifact: check.artifact, manifest: check.manifest, cached: true } };
  }
  return { zig, key, reason: check.reason };
}

function lockOptions(settings: Settings) {
  const ms = settings.timeout * 1000;
  return { maxAgeMs: ms + 30_000, waitMs: ms + 60_000 };
}

/**
 * After the lock is ours: another process may have finished the same build between our lookup
 * and our lock, so look again before compiling.
 */
function builtMeanwhile(file: string, settings: Settings, key: string, lock: BuildLock, log: StepLog): BuildResult | undefined {
  if (settings.forceRebuild) return undefined;
  const check = checkBuild(settings.buildDir, key, true);
  if (!check.ok) return undefined;
  log.info('built by another process while waiting');
  recordLatest(settings.buildDir, file, settings.optimize, key);
  return { key, artifact: check.artifact, manifest: check.manifest, cached: true };
}

function publish(file: string, settings: Settings, p: Exclude<Plan, { done: BuildResult }>, out: CompiledArtifact, log: StepLog): BuildResult {
  try {
    const { manifest, artifact } = log.time('publish', () =>
      publishBuild(settings.buildDir, out.builtFile, {
        key: p.key.hash,
        source: file,
        inputs: p.key.inputs,
        zig: { version: p.zig.version, path: p.zig.path },
        optimize: settings.optimize,
        target: hostTarget(),
        binding: bindingLayerHash(),
        builtAt: new Date().toISOString(),
        buildMs: out.durationMs,
      }),
    );
    recordLatest(settings.buildDir, file, settings.optimize, p.key.hash);
    return { key: p.key.hash, artifact, manifest, cached: false };
  } finally {
    out.cleanup();
  }
}

function request(file: string, settings: Settings, p: Exclude<Plan, { done: BuildResult }>): CompileRequest {
  return { file, key: p.key.hash, settings, zig: p.zig };
}

/** Synchronous: for `require()`, `loadSync()` and the in-thread hooks. */
export function ensureBuildSync(file: string, settings: Settings, log: StepLog): BuildResult {
  const p = plan(file, settings, log);
  if (p.done) return p.done;
  log.info(`cache miss: ${p.reason}`);
  const lock = acquireLockSync(lockPathFor(settings.buildDir, p.key.hash), lockOptions(settings));
  log.step('lock wait', lock.waitedMs);
  try {
    const meanwhile = builtMeanwhile(file, settings, p.key.hash, lock, log);
    if (meanwhile) return meanwhile;
    const out = log.time('compile', () => compileModuleSync(request(file, settings, p)));
    return publish(file, settings, p, out, log);
  } finally {
    lock.release();
  }
}

/** Asynchronous: for `load()`, `zigimport build` and the off-thread hooks. */
export async function ensureBuild(file: string, settings: Settings, log: StepLog): Promise<BuildResult> {
  const p = plan(file, settings, log);
  if (p.done) return p.done;
  log.info(`cache miss: ${p.reason}`);
  const lock = await acquireLock(lockPathFor(settings.buildDir, p.key.hash), lockOptions(settings));
  log.step('lock wait', lock.waitedMs);
  try {
    const meanwhile = builtMeanwhile(file, settings, p.key.hash, lock, log);
    if (meanwhile) return meanwhile;
    const started = performance.now();
    const out = await compileModule(request(file, settings, p));
    log.step('compile', performance.now() - started);
    return publish(file, settings, p, out, log);
  } finally {
    lock.release();
  }
}
