/**
 * The cache lookup, the whole of a cached import's work before the load: release mode's
 * shortcut, the toolchain's (remembered) version, the entry key and the re-hash of the recorded
 * inputs. Split from `ensure.ts` so that a hit loads none of the miss path's modules (lock,
 * compile, publish, eviction, remote cache): `loaders/load.ts` requires `ensure.ts` only on a
 * miss, and hands it this plan so nothing is looked up twice.
 */
import type { Settings } from '../config/settings.js';
import { findZig, type ZigToolchain } from '../toolchain/find.js';
import { artifactKey, entryMaterial, hashInputs } from '../cache/key.js';
import { sha256 } from '../cache/files.js';
import { recordVerified, trustedIdentities, verifiedKey, verifiedSlot, type VerifiedSlot } from '../cache/verified.js';
import { targetId, type BuildTarget } from '../target.js';
import { checkBuild, latestArtifact, manifestPath, readEntry, readLatestRecord, recordLatest, writeEntry, type BuildManifest } from '../cache/store.js';
import { readJson } from '../cache/files.js';
import { ZigImportError } from '../errors.js';
import { ensureTrustedCacheDir } from '../cache/trust.js';
import type { StepLog } from '../log.js';
import type { ModuleOptions } from '../config/module-options.js';
import { DEFAULT_ZIG_VERSION } from '../toolchain/versions.js';

export interface BuildResult {
  key: string;
  /** Absolute path of the artifact to load. */
  artifact: string;
  manifest: BuildManifest;
  /** True when no compile was needed. */
  cached: boolean;
  /** What it was built for: decides how (and whether) it is loaded (`loadArtifact`). */
  target: BuildTarget;
}

/** What a lookup needs to know about the build it looks for. */
export interface LookupJob {
  file: string;
  settings: Settings;
  module: ModuleOptions;
  target: BuildTarget;
  log: StepLog;
  /**
   * The caller only loads the artifact (the loaders): a hit may then be found without reading its
   * manifest (`latestArtifact`), and the result's `manifest` is read only if asked for.
   */
  artifactOnly?: boolean;
}

export interface Miss {
  /** Undefined only when no Zig was found and a remote cache may still have the build. */
  zig: ZigToolchain | undefined;
  /** Why there is no Zig (thrown if the remote cache has no build either). */
  noZig?: unknown;
  zigVersion: string;
  entry: string;
  reason: string;
}

export type Plan = { hit: BuildResult } | { hit?: undefined; miss: Miss };

/** Looks up the entry's last build and checks that nothing it read has changed. */
export function lookupEntry(job: LookupJob, entry: string, verified?: VerifiedSlot): BuildResult | string {
  const { settings, log } = job;
  const record = readEntry(settings.cacheDir, entry);
  if (!record) return 'never built with these settings';
  const files = record.inputs.map((i) => i.path);
  // Taken before the bytes are read: an edit after this changes them (cache/verified.ts).
  const identities = verified === undefined ? [] : trustedIdentities(files);
  const current = log.time(
    'hash',
    () => hashInputs(files),
    (h) => `${h.length} file(s)`,
  );
  const key = artifactKey(entry, current);
  if (key !== record.key) {
    // Artifact keys are content-addressed: files put back to a version built before find it.
    const earlier = checkBuild(settings.cacheDir, key);
    if (!earlier.ok) {
      const changed = current.filter((c, i) => c.sha256 !== record.inputs[i]?.sha256).map((c) => c.path);
      return `changed: ${changed.join(', ') || 'inputs'}`;
    }
    writeEntry(settings.cacheDir, entry, { key, inputs: current });
    recordLatest(settings.cacheDir, job.file, settings.optimize, job.target, key, earlier.manifest);
    return { key, artifact: earlier.artifact, manifest: earlier.manifest, cached: true, target: job.target };
  }
  const check = log.time('lookup', () => checkBuild(settings.cacheDir, key));
  if (!check.ok) return check.reason;
  recordLatest(settings.cacheDir, job.file, settings.optimize, job.target, key, check.manifest);
  if (verified !== undefined && !current.some((c) => c.sha256 === 'missing')) recordVerified(settings.cacheDir, verified, key, files, identities);
  return { key, artifact: check.artifact, manifest: check.manifest, cached: true, target: job.target };
}

/** The stat-only hit: every source has the identity it had when this build was last verified. */
function lookupVerified(job: LookupJob, slot: VerifiedSlot): BuildResult | undefined {
  const { cacheDir, optimize } = job.settings;
  const key = job.log.time('identity', () => verifiedKey(cacheDir, slot));
  if (!key) return undefined;
  // Read anyway, to keep release mode's record of this path current; its artifact check spares
  // reading the manifest when it is the same build.
  const latest = readLatestRecord(cacheDir, job.file, optimize, job.target);
  const known = job.artifactOnly && latest?.key === key ? latestArtifact(cacheDir, latest) : undefined;
  if (known) return artifactHit(job, key, known);
  const check = job.log.time('lookup', () => checkBuild(cacheDir, key));
  if (!check.ok) return undefined;
  recordLatest(cacheDir, job.file, optimize, job.target, key, check.manifest, latest);
  return { key, artifact: check.artifact, manifest: check.manifest, cached: true, target: job.target };
}

/** A hit found by `latestArtifact`: the manifest is read only if a caller asks for it. */
function artifactHit(job: LookupJob, key: string, artifact: string): BuildResult {
  const cacheDir = job.settings.cacheDir;
  let manifest: BuildManifest | undefined;
  return {
    key,
    artifact,
    cached: true,
    target: job.target,
    get manifest(): BuildManifest {
      manifest ??= readJson<BuildManifest>(manifestPath(cacheDir, key));
      if (!manifest)
        throw new ZigImportError('ZIGIMPORT_LOAD_FAILED', `The manifest of ${artifact} was removed from the cache after it was found; import again.`);
      return manifest;
    },
  };
}

/** Release mode: the last build recorded for the path, if its artifact is intact. */
function lookupLatest(job: LookupJob): BuildResult | undefined {
  const { cacheDir, optimize } = job.settings;
  const log = job.log;
  const latest = readLatestRecord(cacheDir, job.file, optimize, job.target);
  if (!latest) {
    log.info('release mode: no build recorded for this path yet');
    return undefined;
  }
  const known = job.artifactOnly ? latestArtifact(cacheDir, latest) : undefined;
  if (known) return artifactHit(job, latest.key, known);
  const check = checkBuild(cacheDir, latest.key);
  if (!check.ok) {
    log.info(`release mode: recorded build unusable (${check.reason}); checking sources`);
    return undefined;
  }
  // Refreshes the record's artifact check (no new record: a prepared cache may be read-only).
  if (latest.current) recordLatest(cacheDir, job.file, optimize, job.target, latest.key, check.manifest, latest);
  return { key: latest.key, artifact: check.artifact, manifest: check.manifest, cached: true, target: job.target };
}

/**
 * The kinds of hit this process has run ('release', 'checksum': the stat-only one), for the V8
 * code cache (src/code-cache/run-bundle.ts): a cache written by a process that ran one kind lacks
 * the other's compiled functions (~0.6 ms of first-call compilation in a checksum-mode hit on
 * Node 20), so a process that ran a kind the cache lacks writes it again, with both.
 */
const hitKindsRun = new Set<'release' | 'checksum'>();

export function hitKinds(): string[] {
  return [...hitKindsRun];
}

/** Everything before the compile: release-mode shortcut, toolchain, lookup. */
export function planBuild(job: LookupJob): Plan {
  const { file, settings, log } = job;
  // What a hit reads; the compile's folders are checked below, before a miss is handed on.
  ensureTrustedCacheDir(settings.cacheDir, 'lookup');
  if (settings.releaseMode && !settings.forceRebuild) {
    const hit = lookupLatest(job);
    if (hit) {
      log.info('cache hit (release mode: last build for this path, sources not hashed)');
      hitKindsRun.add('release');
      return { hit };
    }
  }
  const { zig, noZig } = toolchain(job);
  const zigVersion = zig?.version ?? DEFAULT_ZIG_VERSION;
  const material = entryMaterial({ file, zigVersion, optimize: settings.optimize, target: job.target, module: job.module }, settings.cacheDir);
  const slot = verifiedSlot(material, file, settings.optimize, targetId(job.target), zigVersion);
  if (!settings.forceRebuild) {
    const verified = lookupVerified(job, slot);
    if (verified) {
      log.info('cache hit (no source changed since it was last hashed)');
      hitKindsRun.add('checksum');
      return { hit: verified };
    }
  }
  const entry = sha256(material);
  const without = noZig === undefined ? {} : { noZig };
  const found = settings.forceRebuild ? 'ZIGIMPORT_FORCE_REBUILD is set' : lookupEntry(job, entry, slot);
  if (typeof found !== 'string') {
    log.info('cache hit');
    hitKindsRun.add('checksum');
    return { hit: found };
  }
  // Every miss (the loaders', ensure.ts's own lookups) leaves here: the rest of the cache's
  // folders (locks, temporary folders, Zig's) must pass the checks before the compile uses them.
  ensureTrustedCacheDir(settings.cacheDir, 'all');
  return { miss: { zig, ...without, zigVersion, entry, reason: found } };
}

/**
 * The Zig to build with. With a remote cache set, a machine without Zig can still use builds made
 * with the release `zigimport toolchain install` would install, from its cache or the remote one;
 * the missing Zig is reported only if a compile is needed.
 */
function toolchain(job: LookupJob): { zig: ZigToolchain | undefined; noZig?: unknown } {
  const { settings, log } = job;
  try {
    return {
      zig: log.time(
        'toolchain',
        () => findZig(settings),
        (z) => `zig ${z.version} (${z.source})`,
      ),
    };
  } catch (err) {
    if (!settings.remoteCache || (err as { code?: string }).code !== 'ZIGIMPORT_ZIG_NOT_FOUND') throw err;
    log.info(`no Zig found: looking for a build made with Zig ${DEFAULT_ZIG_VERSION}, the release \`zigimport toolchain install\` installs`);
    return { zig: undefined, noZig: err };
  }
}
