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
import type { ZigToolchain } from '../toolchain/find.js';
import { artifactKey, bindingLayerHash, hashInputs, isBindingFile } from '../cache/key.js';
import { hostTarget, type BuildTarget } from '../target.js';
import { publishBuild, readEntry, recordLatest, writeEntry } from '../cache/store.js';
import { hashKnownInputs, raceReason, type KnownInputs } from './race.js';
import { explainNoSpace } from './no-space.js';
import { lockPathFor, takeLock } from '../cache/lock.js';
import { compileModule, type CompiledArtifact, type CompileRequest } from '../compile/compile.js';
import { perform, performSync, type Op } from '../effects.js';
import { sha256 } from '../cache/files.js';
import { enforceCacheLimit } from '../cache/evict.js';
import type { StepLog } from '../log.js';
import type { ModuleOptions } from '../config/module-options.js';
import { lookupEntry, planBuild, type BuildResult, type Miss, type Plan } from './lookup.js';
import { fetchRemoteBuild, planRemote, uploadBuild, type RemotePlan } from './remote-step.js';

export type { BuildResult } from './lookup.js';

/** One module built for one target. */
interface Job {
  file: string;
  settings: Settings;
  module: ModuleOptions;
  target: BuildTarget;
  log: StepLog;
  /** Wait for the remote upload after a compile (`zigimport build`) instead of starting it in the background. */
  awaitUpload: boolean;
}

function lockOptions(settings: Settings) {
  const ms = settings.timeout * 1000;
  return { maxAgeMs: ms + 30_000, waitMs: ms + 60_000 };
}

/**
 * After the lock is ours: another process may have finished the same build between our lookup
 * and our lock, so look again before compiling.
 */
function builtMeanwhile(job: Job, miss: Miss): BuildResult | undefined {
  if (job.settings.forceRebuild) return undefined;
  const found = lookupEntry(job, miss.entry);
  if (typeof found === 'string') return undefined;
  job.log.info('built by another process while waiting');
  return found;
}

/** What the compile may read, hashed under the lock just before it starts. */
function knownInputs(job: Job, miss: Miss): KnownInputs {
  return job.log.time(
    'hash',
    () => hashKnownInputs(job.file, readEntry(job.settings.cacheDir, miss.entry)?.inputs),
    (k) => `${k.size} known input(s) before the compile`,
  );
}

function publish(job: Job, miss: Miss, zig: ZigToolchain, before: KnownInputs, out: CompiledArtifact): { result: BuildResult; recorded: boolean } {
  const { file, settings, log } = job;
  try {
    const files = out.inputs.filter((f) => !isBindingFile(f));
    const inputs = log.time(
      'hash',
      () => hashInputs(files),
      (h) => `${h.length} file(s) read by the compiler`,
    );
    const raced = raceReason(inputs, before, out);
    // A build that may not match the files on disk is published under a key nothing looks up,
    // and not recorded: it serves this import, and the next import rebuilds.
    const key = raced ? sha256(`${artifactKey(miss.entry, inputs)}:unrecorded:${randomBytes(8).toString('hex')}`) : artifactKey(miss.entry, inputs);
    if (raced) log.info(`${raced}: this build is used once and not cached`);
    const { manifest, artifact } = log.time('publish', () =>
      publishBuild(settings.cacheDir, out.builtFile, job.target, {
        key,
        entry: miss.entry,
        source: file,
        inputs,
        zig: { version: zig.version, path: zig.path },
        optimize: settings.optimize,
        binding: bindingLayerHash(),
        builtAt: new Date().toISOString(),
        buildMs: out.durationMs,
      }),
    );
    if (!raced) {
      writeEntry(settings.cacheDir, miss.entry, { key, inputs });
      recordLatest(settings.cacheDir, file, settings.optimize, job.target, key);
    }
    enforceCacheLimit(settings.cacheDir, settings.cacheMax, { key, tmpDir: out.tmpDir });
    return { result: { key, artifact, manifest, cached: false, target: job.target }, recorded: !raced };
  } finally {
    out.cleanup();
  }
}

function request(job: Job, miss: Miss, zig: ZigToolchain): CompileRequest {
  return { file: job.file, label: miss.entry, settings: job.settings, zig, module: job.module, target: job.target, log: job.log };
}

function remoteFor(job: Job, miss: Miss): RemotePlan | undefined {
  const material = { file: job.file, zigVersion: miss.zigVersion, optimize: job.settings.optimize, target: job.target, module: job.module };
  return planRemote(job.settings, material, job.log);
}

/** Options of one build beyond its settings. */
export interface EnsureOptions {
  /** Wait for the remote-cache upload after a compile (the CLI's `build`); default: background. */
  awaitUpload?: boolean;
  /** The lookup already done for this very build (`planBuild`), so a miss is not looked up twice. */
  planned?: Plan;
}

/**
 * Synchronous: for `require()`, `loadSync()` and the in-thread hooks. `target` defaults to the
 * host addon, the only one that is loaded; another Node-API target is built but not loadable.
 */
export function ensureBuildSync(
  file: string,
  settings: Settings,
  module: ModuleOptions,
  log: StepLog,
  target: BuildTarget = hostTarget(),
  options: EnsureOptions = {},
): BuildResult {
  return performSync(ensureSteps(file, settings, module, log, target, options));
}

/** Asynchronous: for `load()`, `zigimport build` and the off-thread hooks (`target` as above). */
export function ensureBuild(
  file: string,
  settings: Settings,
  module: ModuleOptions,
  log: StepLog,
  target: BuildTarget = hostTarget(),
  options: EnsureOptions = {},
): Promise<BuildResult> {
  return perform(ensureSteps(file, settings, module, log, target, options));
}

/** The one implementation behind both (src/effects.ts): waits only for the lock and the compile. */
export function* ensureSteps(
  file: string,
  settings: Settings,
  module: ModuleOptions,
  log: StepLog,
  target: BuildTarget,
  options: EnsureOptions = {},
): Op<BuildResult> {
  const job: Job = { file, settings, module, log, target, awaitUpload: options.awaitUpload ?? false };
  try {
    const p = options.planned ?? planBuild(job);
    if (p.hit) return p.hit;
    log.info(`cache miss: ${p.miss.reason}`);
    const lock = yield* takeLock(lockPathFor(settings.cacheDir, p.miss.entry), lockOptions(settings));
    log.step('lock wait', lock.waitedMs);
    try {
      const meanwhile = builtMeanwhile(job, p.miss);
      if (meanwhile) return meanwhile;
      let remote = settings.forceRebuild ? undefined : remoteFor(job, p.miss);
      if (remote) {
        const fetched = yield* fetchRemoteBuild(remote, { settings, entry: p.miss.entry, target: job.target }, log);
        if (fetched.hit) return { ...fetched.hit, cached: true, target: job.target };
        // A server that just failed to answer a lookup would not take an upload either.
        if (fetched.failed) remote = undefined;
      }
      const zig = p.miss.zig;
      if (!zig) throw p.miss.noZig;
      const before = knownInputs(job, p.miss);
      const started = performance.now();
      const out = yield* compileModule(request(job, p.miss, zig));
      log.step('compile', performance.now() - started);
      const built = publish(job, p.miss, zig, before, out);
      const upload = settings.forceRebuild
        ? planRemote(settings, { file, zigVersion: zig.version, optimize: settings.optimize, target: job.target, module }, log)
        : remote;
      if (upload && built.recorded) yield* uploadBuild(upload, settings, built.result.manifest, built.result.artifact, log, job.awaitUpload);
      return built.result;
    } finally {
      lock.release();
    }
  } catch (err) {
    throw explainNoSpace(settings.cacheDir, err);
  }
}
