/**
 * The artifact store: `<cacheDir>/builds/<key>.node` (the extension is the target's) plus
 * `<key>.json`, the manifest. The manifest is written last and is the commit marker: an artifact
 * without a valid manifest, or whose recorded SHA-256 or size does not match, is never loaded.
 * `latest/` records, per source path, optimize mode and target, the last key built, for release
 * mode, with a copy of the manifest's artifact check as the last lookup found it true: a cached
 * import then checks the artifact from that record (one small read and one `lstat`) without
 * reading the manifest, for an hour at most (`latestArtifact`); eviction removes a build's
 * `latest/` records with it.
 *
 * Every lookup (checksum mode and release mode alike) takes one `lstat` of the artifact and
 * re-hashes it only when its identity (device, inode, size, mtime, ctime) differs from the one
 * recorded when it was last hashed. A Debug artifact is ~10 MB (DWARF for panic traces), and
 * hashing it on every import would cost more than the rest of a cached import together. Any
 * write to the file, and any file copied or renamed over it, changes its ctime or inode, which
 * user space cannot set back, so an altered, truncated or foreign artifact is always re-hashed,
 * found to differ and rebuilt, never loaded. A symlink or anything but a regular file is refused.
 *
 * Sources get the same treatment in checksum mode (`verified.ts`): a build verified by hashing is
 * found again by `stat`ing its sources, when each still has the identity taken just before it was
 * hashed. ctime is what makes that true for same-length edits with the mtime put back, and only
 * identities whose ctime is older than a racy margin are trusted, because the kernel's file clock
 * is coarse: the full argument is in that file's header.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OptimizeMode } from '../config/settings.js';
import type { SourceInput } from './inputs.js';
import { CACHE_FORMAT } from './key.js';
import { childPath, ensurePrivateDir, makePrivate, readJson, sha256, sha256File, writeJsonAtomic } from './files.js';
import { isPrivateFile } from './trust.js';
import { artifactExtension, targetId, type BuildTarget } from '../target.js';

export interface BuildManifest {
  format: number;
  key: string;
  entry: string;
  source: string;
  inputs: SourceInput[];
  zig: { version: string; path: string };
  optimize: OptimizeMode;
  /** `targetId` of what it was built for. */
  target: string;
  binding: string;
  artifact: { file: string; sha256: string; size: number; identity: string };
  builtAt: string;
  buildMs: number;
  /** Last time a lookup found this build (ms since epoch), recorded at most hourly; see recordUse. */
  usedAt?: number;
}

export type ManifestCheck = { ok: true; manifest: BuildManifest; artifact: string } | { ok: false; reason: string };

export function buildsDir(cacheDir: string): string {
  return childPath(cacheDir, 'builds');
}

export function artifactPath(cacheDir: string, key: string, target: BuildTarget): string {
  return childPath(buildsDir(cacheDir), `${key}${artifactExtension(target)}`);
}

/** What must stay equal for the file's bytes to be unchanged since they were hashed. */
function identityOf(st: fs.Stats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

export function manifestPath(cacheDir: string, key: string): string {
  return childPath(buildsDir(cacheDir), `${key}.json`);
}

/** The artifact's file name publishBuild records: `<key><extension>`, never a path. */
function isArtifactName(name: unknown, key: string): name is string {
  return typeof name === 'string' && name.startsWith(`${key}.`) && !name.includes('/') && !name.includes(path.sep);
}

/**
 * Looks up a build: the manifest, then one `lstat` of the artifact. The bytes are hashed only
 * when the artifact's identity changed since they were last hashed; equal bytes under a new
 * identity (a copied or restored cache) refresh the recorded identity.
 */
export function checkBuild(cacheDir: string, key: string): ManifestCheck {
  const manifest = readJson<BuildManifest>(manifestPath(cacheDir, key));
  if (!manifest) return { ok: false, reason: 'no build for this key' };
  if (manifest.format !== CACHE_FORMAT || manifest.key !== key || !isArtifactName(manifest.artifact?.file, key)) {
    return { ok: false, reason: 'manifest from another zigimport version or damaged' };
  }
  const artifact = childPath(buildsDir(cacheDir), manifest.artifact.file);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(artifact);
  } catch {
    return { ok: false, reason: 'artifact missing' };
  }
  // dlopen would follow a symlink to whatever it points at: only the file publish wrote counts.
  if (!st.isFile()) return { ok: false, reason: 'artifact is not a regular file (a symlink?)' };
  if (!isPrivateFile(st)) return { ok: false, reason: 'artifact writable by other users' };
  if (st.size !== manifest.artifact.size) return { ok: false, reason: `artifact size ${st.size} != recorded ${manifest.artifact.size}` };
  if (identityOf(st) !== manifest.artifact.identity) {
    if (sha256File(artifact) !== manifest.artifact.sha256) {
      return { ok: false, reason: 'artifact checksum mismatch (altered, corrupted or replaced)' };
    }
    manifest.artifact.identity = identityOf(st);
    try {
      writeJsonAtomic(manifestPath(cacheDir, key), manifest);
    } catch {
      // Only an optimisation: the next lookup hashes again.
    }
  }
  recordUse(cacheDir, key, manifest);
  return { ok: true, manifest, artifact };
}

/** How stale a build's recorded last use may get before a lookup refreshes it. */
export const USE_RECORD_INTERVAL_MS = 60 * 60 * 1000;

/** When the build was last found by a lookup (to the hour), or else built. */
export function lastUsedMs(manifest: BuildManifest): number {
  return manifest.usedAt ?? (Date.parse(manifest.builtAt) || 0);
}

/**
 * Eviction is least recently used, so lookups must leave a trace. atime cannot be it: relatime
 * (the Linux default) refreshes it at most daily and noatime never, and touching the artifact
 * would change its ctime, which the checksum shortcut above depends on. The manifest is read
 * on every lookup anyway, so its `usedAt` costs no extra syscall to check, and is rewritten
 * (atomically) at most once an hour per build: LRU order with a resolution of an hour.
 */
function recordUse(cacheDir: string, key: string, manifest: BuildManifest): void {
  const now = Date.now();
  if (now - lastUsedMs(manifest) < USE_RECORD_INTERVAL_MS) return;
  manifest.usedAt = now;
  try {
    writeJsonAtomic(manifestPath(cacheDir, key), manifest);
  } catch {
    // Only affects eviction order.
  }
}

/**
 * Moves a finished artifact into the store and writes its manifest. Both steps are atomic
 * renames, artifact first, so a crash at any point leaves either nothing loadable or a
 * complete entry.
 */
export function publishBuild(
  cacheDir: string,
  builtFile: string,
  target: BuildTarget,
  manifest: Omit<BuildManifest, 'artifact' | 'format' | 'target'>,
): { manifest: BuildManifest; artifact: string } {
  ensurePrivateDir(buildsDir(cacheDir));
  const bytes = fs.readFileSync(builtFile);
  const artifact = artifactPath(cacheDir, manifest.key, target);
  makePrivate(builtFile); // Zig made it with the umask's mode
  fs.renameSync(builtFile, artifact);
  const identity = identityOf(fs.lstatSync(artifact));
  const full: BuildManifest = {
    format: CACHE_FORMAT,
    ...manifest,
    target: targetId(target),
    artifact: { file: path.basename(artifact), sha256: sha256(bytes), size: bytes.length, identity },
  };
  try {
    writeJsonAtomic(manifestPath(cacheDir, manifest.key), full);
  } catch (err) {
    // No manifest, no load: the artifact alone would only take space (a full disk, say).
    fs.rmSync(artifact, { force: true });
    throw err;
  }
  return { manifest: full, artifact };
}

/** What the last successful build of an entry read, and the artifact key it produced. */
export interface EntryRecord {
  key: string;
  inputs: SourceInput[];
}

function entryPath(cacheDir: string, entry: string): string {
  return childPath(childPath(cacheDir, 'entries'), `${entry}.json`);
}

export function readEntry(cacheDir: string, entry: string): EntryRecord | undefined {
  const record = readJson<EntryRecord>(entryPath(cacheDir, entry));
  return record && typeof record.key === 'string' && Array.isArray(record.inputs) ? record : undefined;
}

export function writeEntry(cacheDir: string, entry: string, record: EntryRecord): void {
  writeJsonAtomic(entryPath(cacheDir, entry), record);
}

const FNV_PRIME = 0x01000193;

function hex32(h: number): string {
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * A record's file name from its material: 128 bits of FNV-1a (four 32-bit lanes with different
 * offsets), not SHA-256, because `node:crypto` costs a release-mode import more to load (~5 ms)
 * than the rest of its lookup. The name only has to spread records out: each record names its
 * source, mode and target and is checked on read, so a collision is a miss, never another
 * module's build (and only this user can write the cache, trust.ts).
 */
export function recordName(material: string): string {
  // The four lanes in one pass: a quarter of the loop iterations, so that a process importing many
  // modules does not make V8 optimise this loop (a TurboFan compile of ~10 ms on a busy machine).
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  let c = 0x2b992ddf;
  let d = 0x6c62272e;
  for (let i = 0; i < material.length; i++) {
    const x = material.charCodeAt(i);
    a = Math.imul(a ^ x, FNV_PRIME);
    b = Math.imul(b ^ x, FNV_PRIME);
    c = Math.imul(c ^ x, FNV_PRIME);
    d = Math.imul(d ^ x, FNV_PRIME);
  }
  return hex32(a) + hex32(b) + hex32(c) + hex32(d);
}

/**
 * What `latest/` keeps per source path, mode and target: the key last found, and (since
 * CACHE_FORMAT 2 records written by a lookup that checked the build) a copy of the manifest's
 * artifact check, so that a hit can check the artifact without reading its manifest.
 */
interface LatestRecord {
  key: string;
  source: string;
  optimize: OptimizeMode;
  target: string;
  format?: number;
  /** The manifest's `artifact` fields as a lookup found them true (identity taken after hashing). */
  artifact?: { file: string; size: number; identity: string };
  /** The manifest's last-use time when that lookup ran (see recordUse). */
  usedAt?: number;
}

/** A `latest/` record as read: `current` when it has the file name this version writes. */
export interface LatestFound {
  key: string;
  record: Partial<LatestRecord>;
  current: boolean;
}

/** Per source path, mode and target. */
function latestPath(cacheDir: string, source: string, optimize: OptimizeMode, target: BuildTarget): string {
  return childPath(childPath(cacheDir, 'latest'), `${recordName(`${source}\0${optimize}\0${targetId(target)}`)}.json`);
}

/** Where zigimport kept the record before records were named by `recordName` (SHA-256 names). */
function earlierLatestPath(cacheDir: string, source: string, optimize: OptimizeMode, target: BuildTarget): string {
  const material = target.kind === 'node-api' && target.host ? `${source}\0${optimize}` : `${source}\0${optimize}\0${targetId(target)}`;
  return path.join(cacheDir, 'latest', `${sha256(material)}.json`);
}

/** The record of the key last built for this source path, mode and target, if recorded. */
export function readLatestRecord(cacheDir: string, source: string, optimize: OptimizeMode, target: BuildTarget): LatestFound | undefined {
  const record = readJson<Partial<LatestRecord>>(latestPath(cacheDir, source, optimize, target));
  if (record) {
    const same = typeof record.key === 'string' && record.source === source && record.optimize === optimize && record.target === targetId(target);
    return same ? { key: record.key!, record, current: true } : undefined;
  }
  // A cache prepared by an earlier zigimport (possibly read-only, for release mode): its record
  // has the SHA-256 name, read only when the new one is missing (node:crypto is loaded then).
  const earlier = readJson<Partial<LatestRecord>>(earlierLatestPath(cacheDir, source, optimize, target));
  const same = earlier && typeof earlier.key === 'string' && earlier.source === source && earlier.optimize === optimize;
  return same ? { key: earlier.key!, record: {}, current: false } : undefined;
}

/** The key last built for this source path, mode and target, if recorded. */
export function readLatest(cacheDir: string, source: string, optimize: OptimizeMode, target: BuildTarget): string | undefined {
  return readLatestRecord(cacheDir, source, optimize, target)?.key;
}

/**
 * The artifact of a `latest/` record, found without reading its manifest: when the record holds
 * the artifact check a lookup last found true (for this cache format), that check is less than
 * USE_RECORD_INTERVAL_MS old, and one `lstat` shows a private regular file with the recorded size
 * and identity. That is the test `checkBuild` makes (the identity was taken after the bytes were
 * hashed; any write, copy or rename over the file changes it), with the record's copy of the
 * manifest's fields. Past the interval, the lookup goes through `checkBuild`, which keeps the
 * manifest's last-use time (eviction's order) to the hour. Undefined: check the build the long way.
 */
export function latestArtifact(cacheDir: string, found: LatestFound): string | undefined {
  const { record } = found;
  const recorded = record.artifact;
  if (!found.current || record.format !== CACHE_FORMAT || !recorded || !isArtifactName(recorded.file, found.key)) return undefined;
  // A time ahead of the clock (set back since) does not count as fresh.
  const age = typeof record.usedAt === 'number' ? Date.now() - record.usedAt : Number.NaN;
  if (!(age >= 0 && age < USE_RECORD_INTERVAL_MS)) return undefined;
  const artifact = childPath(buildsDir(cacheDir), recorded.file);
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(artifact, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (!st?.isFile() || !isPrivateFile(st) || st.size !== recorded.size || identityOf(st) !== recorded.identity) return undefined;
  return artifact;
}

/**
 * Records `key` as the last build for the path, with the artifact check of `manifest` when the
 * caller just found it true (`checkBuild`); writes only when that changes the record (a new key,
 * a new artifact identity, or the manifest's hourly last-use time). Best effort: the record only
 * lets lookups skip work, so a read-only cache (or a full disk) must not fail an import that
 * found its build. `known`: the record as the caller already read it.
 */
export function recordLatest(
  cacheDir: string,
  source: string,
  optimize: OptimizeMode,
  target: BuildTarget,
  key: string,
  manifest?: BuildManifest,
  known: LatestFound | undefined = readLatestRecord(cacheDir, source, optimize, target),
): void {
  const record: LatestRecord = { key, source, optimize, target: targetId(target) };
  if (manifest?.key === key) {
    const { file, size, identity } = manifest.artifact;
    Object.assign(record, { format: CACHE_FORMAT, artifact: { file, size, identity }, usedAt: lastUsedMs(manifest) });
  }
  if (known?.current && sameLatest(known.record, record)) return;
  try {
    writeJsonAtomic(latestPath(cacheDir, source, optimize, target), record);
  } catch {
    // See above.
  }
}

function sameLatest(a: Partial<LatestRecord>, b: LatestRecord): boolean {
  if (a.key !== b.key || a.format !== b.format || a.usedAt !== b.usedAt) return false;
  const [x, y] = [a.artifact, b.artifact];
  return x === y || (x !== undefined && y !== undefined && x.file === y.file && x.size === y.size && x.identity === y.identity);
}

/** Every manifest in the store (for `zigimport info`). */
export function listBuilds(cacheDir: string): { count: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  let names: string[] = [];
  try {
    names = fs.readdirSync(buildsDir(cacheDir));
  } catch {
    return { count, bytes };
  }
  for (const name of names) {
    try {
      bytes += fs.statSync(path.join(buildsDir(cacheDir), name)).size;
    } catch {
      continue;
    }
    if (name.endsWith('.json')) count++;
  }
  return { count, bytes };
}
