/**
 * Makes sure a valid build of a module exists and says where: the cache lookup, and on a miss
 * the locked compile and publish. Never loads anything (that is the loaders' job).
 *
 * Content decides, never mtimes: a lookup re-hashes the recorded inputs, every compile runs with
 * a private Zig cache (compile.ts), and a build is recorded only when the files it read hash the
 * same before and after the compile (race.ts). A full disk anywhere on the way is one typed error.
 */
import { randomBytes } from 'node:crypto';
import type { Settings } from '../config/settings.js';
import { findZig, type ZigToolchain } from '../toolchain/find.js';
import { artifactKey, bindingLayerHash, entryKey, hashInputs, hostTarget, isBindingFile } from '../cache/key.js';
import { checkBuild, publishBuild, readEntry, readLatest, recordLatest, writeEntry, type BuildManifest } from '../cache/store.js';
import { hashKnownInputs, raceReason, type KnownInputs } from './race.js';
import { explainNoSpace } from './no-space.js';
import { acquireLock, acquireLockSync, lockPathFor, type BuildLock } from '../cache/lock.js';
import { compileModule, compileModuleSync, type CompiledArtifact, type CompileRequest } from '../compile/compile.js';
import { sha256 } from '../cache/files.js';
import { ensureTrustedCacheDir } from '../cache/trust.js';
import { enforceCacheLimit } from '../cache/evict.js';
import type { StepLog } from '../log.js';
import type { ModuleOptions } from '../config/module-options.js';

export interface BuildResult {
  key: string;
  /** Absolute path of the artifact to load. */
  artifact: string;
  manifest: BuildManifest;
  /** True when no compile was needed. */
  cached: boolean;
}

interface Miss {
  zig: ZigToolchain;
  entry: string;
  module: ModuleOptions;
  reason: string;
}

type Plan = { hit: BuildResult } | { hit?: undefined; miss: Miss };

/** Looks up the entry's last build and checks that nothing it read has changed. */
function lookup(file: string, settings: Settings, entry: string, log: StepLog): BuildResult | string {
  const record = readEntry(settings.cacheDir, entry);
  if (!record) return 'never built with these settings';
  const current = log.time('hash', () => hashInputs(record.inputs.map((i) => i.path)), (h) => `${h.length} file(s)`);
  const key = artifactKey(entry, current);
  if (key !== record.key) {
    // Artifact keys are content-addressed: files put back to a version built before find it.
    const earlier = checkBuild(settings.cacheDir, key);
    if (!earlier.ok) {
      const changed = current.filter((c, i) => c.sha256 !== record.inputs[i]?.sha256).map((c) => c.path);
      return `changed: ${changed.join(', ') || 'inputs'}`;
    }
    writeEntry(settings.cacheDir, entry, { key, inputs: current });
    recordLatest(settings.cacheDir, file, settings.optimize, key);
    return { key, artifact: earlier.artifact, manifest: earlier.manifest, cached: true };
  }
  const check = log.time('lookup', () => checkBuild(settings.cacheDir, key));
  if (!check.ok) return check.reason;
  recordLatest(settings.cacheDir, file, settings.optimize, key);
  return { key, artifact: check.artifact, manifest: check.manifest, cached: true };
}

/** Everything before the compile: release-mode shortcut, toolchain, lookup. */
function plan(file: string, settings: Settings, module: ModuleOptions, log: StepLog): Plan {
  ensureTrustedCacheDir(settings.cacheDir);
  if (settings.releaseMode && !settings.forceRebuild) {
    const latest = readLatest(settings.cacheDir, file, settings.optimize);
    if (latest) {
      const check = checkBuild(settings.cacheDir, latest);
      if (check.ok) {
        log.info('cache hit (release mode: last build for this path, sources not hashed)');
        return { hit: { key: latest, artifact: check.artifact, manifest: check.manifest, cached: true } };
      }
      log.info(`release mode: recorded build unusable (${check.reason}); checking sources`);
    } else log.info('release mode: no build recorded for this path yet');
  }
  const zig = log.time('toolchain', () => findZig(settings), (z) => `zig ${z.version} (${z.source})`);
  const entry = entryKey({ file, zigVersion: zig.version, optimize: settings.optimize, target: hostTarget(), module });
  if (settings.forceRebuild) return { miss: { zig, entry, module, reason: 'ZIGIMPORT_FORCE_REBUILD is set' } };
  const found = lookup(file, settings, entry, log);
  if (typeof found !== 'string') {
    log.info('cache hit');
    return { hit: found };
  }
  return { miss: { zig, entry, module, reason: found } };
}

function lockOptions(settings: Settings) {
  const ms = settings.timeout * 1000;
  return { maxAgeMs: ms + 30_000, waitMs: ms + 60_000 };
}

/**
 * After the lock is ours: another process may have finished the same build between our lookup
 * and our lock, so look again before compiling.
 */
function builtMeanwhile(file: string, settings: Settings, miss: Miss, log: StepLog): BuildResult | undefined {
  if (settings.forceRebuild) return undefined;
  const found = lookup(file, settings, miss.entry, log);
  if (typeof found === 'string') return undefined;
  log.info('built by another process while waiting');
  return found;
}

/** What the compile may read, hashed under the lock just before it starts. */
function knownInputs(file: string, settings: Settings, miss: Miss, log: StepLog): KnownInputs {
  return log.time('hash', () => hashKnownInputs(file, readEntry(settings.cacheDir, miss.entry)?.inputs), (k) => `${k.size} known input(s) before the compile`);
}

function publish(file: string, settings: Settings, miss: Miss, before: KnownInputs, out: CompiledArtifact, log: StepLog): BuildResult {
  try {
    const files = out.inputs.filter((f) => !isBindingFile(f));
    const inputs = log.time('hash', () => hashInputs(files), (h) => `${h.length} file(s) read by the compiler`);
    const raced = raceReason(inputs, before, out);
    // A build that may not match the files on disk is published under a key nothing looks up,
    // and not recorded: it serves this import, and the next import rebuilds.
    const key = raced ? sha256(`${artifactKey(miss.entry, inputs)}:unrecorded:${randomBytes(8).toString('hex')}`) : artifactKey(miss.entry, inputs);
    if (raced) log.info(`${raced}: this build is used once and not cached`);
    const { manifest, artifact } = log.time('publish', () =>
      publishBuild(settings.cacheDir, out.builtFile, {
        key,
        entry: miss.entry,
        source: file,
        inputs,
        zig: { version: miss.zig.version, path: miss.zig.path },
        optimize: settings.optimize,
        target: hostTarget(),
        binding: bindingLayerHash(),
        builtAt: new Date().toISOString(),
        buildMs: out.durationMs,
      }),
    );
    if (!raced) {
      writeEntry(settings.cacheDir, miss.entry, { key, inputs });
      recordLatest(settings.cacheDir, file, settings.optimize, key);
    }
    enforceCacheLimit(settings.cacheDir, settings.cacheMax, { key, tmpDir: out.tmpDir });
    return { key, artifact, manifest, cached: false };
  } finally {
    out.cleanup();
  }
}

function request(file: string, settings: Settings, miss: Miss): CompileRequest {
  return { file, label: miss.entry, settings, zig: miss.zig, module: miss.module };
}

/** Synchronous: for `require()`, `loadSync()` and the in-thread hooks. */
export function ensureBuildSync(file: string, settings: Settings, module: ModuleOptions, log: StepLog): BuildResult {
  try {
    return ensureSync(file, settings, module, log);
  } catch (err) {
    throw explainNoSpace(settings.cacheDir, err);
  }
}

/** Asynchronous: for `load()`, `zigimport build` and the off-thread hooks. */
export async function ensureBuild(file: string, settings: Settings, module: ModuleOptions, log: StepLog): Promise<BuildResult> {
  try {
    return await ensureAsync(file, settings, module, log);
  } catch (err) {
    throw explainNoSpace(settings.cacheDir, err);
  }
}

function ensureSync(file: string, settings: Settings, module: ModuleOptions, log: StepLog): BuildResult {
  const p = plan(file, settings, module, log);
  if (p.hit) return p.hit;
  log.info(`cache miss: ${p.miss.reason}`);
  const lock: BuildLock = acquireLockSync(lockPathFor(settings.cacheDir, p.miss.entry), lockOptions(settings));
  log.step('lock wait', lock.waitedMs);
  try {
    const meanwhile = builtMeanwhile(file, settings, p.miss, log);
    if (meanwhile) return meanwhile;
    const before = knownInputs(file, settings, p.miss, log);
    const out = log.time('compile', () => compileModuleSync(request(file, settings, p.miss)));
    return publish(file, settings, p.miss, before, out, log);
  } finally {
    lock.release();
  }
}

async function ensureAsync(file: string, settings: Settings, module: ModuleOptions, log: StepLog): Promise<BuildResult> {
  const p = plan(file, settings, module, log);
  if (p.hit) return p.hit;
  log.info(`cache miss: ${p.miss.reason}`);
  const lock = await acquireLock(lockPathFor(settings.cacheDir, p.miss.entry), lockOptions(settings));
  log.step('lock wait', lock.waitedMs);
  try {
    const meanwhile = builtMeanwhile(file, settings, p.miss, log);
    if (meanwhile) return meanwhile;
    const before = knownInputs(file, settings, p.miss, log);
    const started = performance.now();
    const out = await compileModule(request(file, settings, p.miss));
    log.step('compile', performance.now() - started);
    return publish(file, settings, p.miss, before, out, log);
  } finally {
    lock.release();
  }
}
