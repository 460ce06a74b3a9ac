/**
 * Keeps the cache bounded: after a new build is published, least recently used builds are
 * removed until the cache fits `cacheMax`; `zigimport clear-cache --older-than` removes builds
 * not used for a while. Runs only after a compile, never on a cached import.
 *
 * Rules, in order:
 * - Temporary folders of compiles whose process is gone are removed at once.
 * - Zig's local cache (`zig-cache/`) goes first, and only as a whole: it holds a second copy of
 *   every build, which zigimport never loads, and removing part of it (an output without its
 *   manifest) would make Zig report a cached build that is not there. It is only dropped while
 *   no other compile runs, since a running compile reads its output back from it by path.
 * - Then builds by last use (see `recordUse` in store.ts), never the one just published and
 *   never one a live process has mapped (Linux: `/proc/<pid>/maps`). Where that cannot be read
 *   (macOS, Windows), builds used within the last day are kept; an older build a long-running
 *   process still holds stays valid for it on macOS (unlinked files stay mapped) and cannot be
 *   deleted on Windows (the removal fails and the build is put back whole).
 * - A build's manifest (the commit marker) is removed before its artifact, so a lookup racing
 *   with eviction misses and rebuilds; it never loads half a build. `entries/` and `latest/`
 *   records pointing at removed builds are dropped too (they would only miss).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { readJson, writeFileAtomic } from './files.js';
import { buildsDir, manifestPath } from './store.js';
import { filesMappedUnder, otherCompileRunning, removeAbandonedTmp, treeBytes } from './live.js';
import { listStoredBuilds, tmpRoot, zigCacheDir, type StoredBuild } from './usage.js';

export interface EvictionReport {
  removedBuilds: number;
  /** Builds that were due but kept because a process may have them loaded. */
  keptInUse: number;
  zigCacheDropped: boolean;
  freedBytes: number;
}

/** An artifact without a manifest this recent may be mid-publish in another process. */
const UNCOMMITTED_GRACE_MS = 10 * 60 * 1000;

/** Without `/proc`, a build used this recently is assumed loaded by a running process. */
const ASSUMED_LOADED_MS = 24 * 60 * 60 * 1000;

function emptyReport(): EvictionReport {
  return { removedBuilds: 0, keptInUse: 0, zigCacheDropped: false, freedBytes: 0 };
}

/** Decides, for one eviction pass, whether a build may go. */
function removalRule(cacheDir: string, now: number): (b: StoredBuild) => boolean {
  const mapped = filesMappedUnder(buildsDir(cacheDir));
  let realBuilds = buildsDir(cacheDir);
  try {
    realBuilds = fs.realpathSync(realBuilds);
  } catch {
    // Nothing mapped can be under a folder that does not resolve.
  }
  return (b) => {
    if (!b.manifest && now - b.lastUsedMs < UNCOMMITTED_GRACE_MS) return false;
    if (mapped) return !mapped.has(path.join(realBuilds, path.basename(b.artifactFile)));
    return now - b.lastUsedMs > ASSUMED_LOADED_MS;
  };
}

/** Removes one build: manifest first, then artifact. False when the artifact could not go. */
function removeBuild(b: StoredBuild): boolean {
  let manifestText: Buffer | undefined;
  try {
    manifestText = fs.readFileSync(b.manifestFile);
    fs.rmSync(b.manifestFile, { force: true });
  } catch {
    // No manifest (never committed, or removed by a concurrent eviction).
  }
  try {
    fs.rmSync(b.artifactFile, { force: true });
    return true;
  } catch {
    // Windows refuses to delete a loaded DLL: put the manifest back so the build stays whole.
    if (manifestText) {
      try {
        writeFileAtomic(b.manifestFile, manifestText);
      } catch {
        // Then it is a miss and a rebuild later, never a wrong load.
      }
    }
    return false;
  }
}

/** Moves Zig's local cache aside and deletes it, unless another compile may be using it. */
function dropZigCache(cacheDir: string, ownTmp: string | undefined): boolean {
  const tmp = tmpRoot(cacheDir);
  if (otherCompileRunning(tmp, ownTmp)) return false;
  // Named like a compile's folder, so removeAbandonedTmp finishes the job if we die mid-way.
  const aside = path.join(tmp, `zig-cache-evicted-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    fs.mkdirSync(tmp, { recursive: true, mode: 0o700 });
    fs.renameSync(zigCacheDir(cacheDir), aside);
  } catch {
    return false; // Already gone (a concurrent eviction), or not ours.
  }
  fs.rmSync(aside, { recursive: true, force: true });
  return true;
}

/** Drops `entries/` and `latest/` records whose build is gone. */
function pruneRecords(cacheDir: string): void {
  for (const part of ['entries', 'latest']) {
    const dir = path.join(cacheDir, part);
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const file = path.join(dir, name);
      const key = readJson<{ key?: unknown }>(file)?.key;
      if (typeof key === 'string' && /^[0-9a-f]{64}$/.test(key) && !fs.existsSync(manifestPath(cacheDir, key))) {
        fs.rmSync(file, { force: true });
      }
    }
  }
}

function evictToLimit(cacheDir: string, limit: number, current: { key: string; tmpDir?: string }): EvictionReport {
  const report = emptyReport();
  report.freedBytes += removeAbandonedTmp(tmpRoot(cacheDir));
  // Sizes first (stat only); manifests are read only when something must go.
  const zigCacheBytes = treeBytes(zigCacheDir(cacheDir));
  // The caller's own temporary folder is removed right after this call.
  const tmpBytes = treeBytes(tmpRoot(cacheDir)) - (current.tmpDir ? treeBytes(current.tmpDir) : 0);
  let total = treeBytes(buildsDir(cacheDir)) + zigCacheBytes + tmpBytes;
  if (total <= limit) return report;
  if (zigCacheBytes > 0 && dropZigCache(cacheDir, current.tmpDir)) {
    report.zigCacheDropped = true;
    report.freedBytes += zigCacheBytes;
    total -= zigCacheBytes;
  }
  if (total <= limit) return report;
  const stored = listStoredBuilds(cacheDir);
  const mayRemove = removalRule(cacheDir, Date.now());
  const oldestFirst = stored.filter((b) => b.key !== current.key).sort((a, b) => a.lastUsedMs - b.lastUsedMs);
  for (const b of oldestFirst) {
    if (total <= limit) break;
    if (!mayRemove(b)) report.keptInUse++;
    else if (removeBuild(b)) {
      report.removedBuilds++;
      report.freedBytes += b.bytes;
      total -= b.bytes;
    }
  }
  if (report.removedBuilds > 0) pruneRecords(cacheDir);
  return report;
}

/**
 * Called once a new build is published (its key and the compile's temporary folder are spared).
 * Never throws: a failed eviction must not fail the import that triggered it.
 */
export function enforceCacheLimit(cacheDir: string, limit: number, current: { key: string; tmpDir?: string }): EvictionReport {
  try {
    return evictToLimit(cacheDir, limit, current);
  } catch {
    return emptyReport();
  }
}

/** When Zig's local cache last gained an entry (its folders' mtimes), or 0 when there is none. */
function zigCacheWrittenMs(cacheDir: string): number {
  const root = zigCacheDir(cacheDir);
  let newest = 0;
  for (const p of [root, path.join(root, 'o'), path.join(root, 'h'), path.join(root, 'z')]) {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (st) newest = Math.max(newest, st.mtimeMs);
  }
  return newest;
}

/** `zigimport clear-cache --older-than`: removes what was not used within `maxAgeMs`. */
export function evictOlderThan(cacheDir: string, maxAgeMs: number): EvictionReport {
  const report = emptyReport();
  const now = Date.now();
  report.freedBytes += removeAbandonedTmp(tmpRoot(cacheDir));
  const written = zigCacheWrittenMs(cacheDir);
  if (written > 0 && now - written > maxAgeMs) {
    const bytes = treeBytes(zigCacheDir(cacheDir));
    if (dropZigCache(cacheDir, undefined)) {
      report.zigCacheDropped = true;
      report.freedBytes += bytes;
    }
  }
  const mayRemove = removalRule(cacheDir, now);
  for (const b of listStoredBuilds(cacheDir)) {
    if (now - b.lastUsedMs <= maxAgeMs) continue;
    if (!mayRemove(b)) report.keptInUse++;
    else if (removeBuild(b)) {
      report.removedBuilds++;
      report.freedBytes += b.bytes;
    }
  }
  pruneRecords(cacheDir);
  return report;
}
