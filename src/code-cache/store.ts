/**
 * The V8 code cache's files: `<cache root>/code-cache/<name>.v8` (what `script.createCachedData()`
 * returned) and `<name>.json` (the key it was made for and the identity the `.v8` file had when
 * it was written). Node built-ins only (see run-bundle.ts).
 *
 * Trust: V8 runs a code cache's bytecode as is (it checks only the V8 version, flags and source
 * length), so these files are code. They are read only after the cache root, the folders above it
 * and `code-cache/` pass `folder-trust.ts` (the checks the rest of the cache gets), and only when
 * the `.v8` file is a private regular file.
 *
 * Damage: the record holds the `.v8` file's inode, size, mtime and ctime (nanoseconds), read back
 * after the file was renamed into place. Any later write, truncation or replacement changes the
 * ctime (which no user can set back) or the inode, so a changed file is never passed to V8. A
 * checksum would also catch a disk flipping bits under an unchanged ctime, but it costs too much
 * on this path: `zlib.crc32` needs `node:zlib`, whose stream modules take ~10 ms to load on Node
 * 20, `node:crypto` ~5 ms, and a checksum loop in JavaScript ~1 ms for the ~90 KB of data (it runs
 * before anything is compiled), against the ~3 ms the cache saves. The identity check costs one
 * `fstat`. The same choice as `src/cache/verified.ts`.
 *
 * Writes are atomic (temp file + rename, 0600 in a 0700 folder) and never fatal: the import works
 * without a code cache. At most MAX_ENTRIES caches are kept (one per Node version, arch, bundle
 * and flag set); the least recently written are removed.
 */
import fs = require('node:fs');
import path = require('node:path');
import { findCacheProblem, isPrivateFile } from '../cache/folder-trust.js';

const FOLDER = 'code-cache';
const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;
/** Caches kept: a handful of Node versions times zigimport installs. */
const MAX_ENTRIES = 8;
/** A temp file older than this was left by a process that died while writing. */
const STALE_TEMP_MS = 60_000;

/** Where a code cache lives and what it must have been made for. */
export interface CodeCacheSlot {
  /** The cache root chosen by the environment (`ZIGIMPORT_BUILD_DIR` or `~/.zigimport`). */
  root: string;
  /** File name without extension: Node version, arch, the bundle's hash and the flags' hash. */
  name: string;
  /** Everything the cached code depends on (Node, V8 flags, the bundle file's identity), as a string. */
  key: string;
}

/** Why no code cache was used, or 'used'. */
export type ReadStatus = 'used' | 'none' | 'stale' | 'damaged' | 'untrusted';

interface Identity {
  ino: string;
  size: string;
  mtimeNs: string;
  ctimeNs: string;
}

interface CacheRecord {
  key: string;
  identity: Identity;
  /** The kinds of hit whose functions the cache holds (run-bundle.ts); absent in older records. */
  covers?: string[];
}

function identityOf(st: fs.BigIntStats): Identity {
  return { ino: String(st.ino), size: String(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs) };
}

function sameIdentity(a: Identity, b: Identity): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

function files(slot: CodeCacheSlot): { dir: string; data: string; record: string } {
  const dir = path.join(slot.root, FOLDER);
  return { dir, data: path.join(dir, `${slot.name}.v8`), record: path.join(dir, `${slot.name}.json`) };
}

/** True when the cache root exists and only the current user (and root) can change `code-cache/`. */
export function isTrusted(root: string): boolean {
  try {
    return findCacheProblem(root, [FOLDER]) === undefined;
  } catch {
    return false;
  }
}

/** The cached data for `slot` if it was written for the same key and has not changed since. */
export function readCodeCache(slot: CodeCacheSlot): { status: ReadStatus; data?: Buffer; covers?: string[] } {
  const { data, record } = files(slot);
  let rec: CacheRecord;
  try {
    rec = JSON.parse(fs.readFileSync(record, 'utf8')) as CacheRecord;
  } catch (e) {
    return { status: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'none' : 'damaged' };
  }
  if (typeof rec !== 'object' || rec === null || typeof rec.identity !== 'object' || rec.identity === null) return { status: 'damaged' };
  if (rec.key !== slot.key) return { status: 'stale' };
  let fd: number | undefined;
  try {
    fd = fs.openSync(data, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    const st = fs.fstatSync(fd, { bigint: true });
    if (!st.isFile() || !isPrivateFile(fs.fstatSync(fd)) || !sameIdentity(identityOf(st), rec.identity)) return { status: 'damaged' };
    const buf = Buffer.allocUnsafe(Number(st.size));
    let read = 0;
    while (read < buf.length) {
      const n = fs.readSync(fd, buf, read, buf.length - read, read);
      if (n === 0) return { status: 'damaged' };
      read += n;
    }
    return { status: 'used', data: buf, covers: Array.isArray(rec.covers) ? rec.covers.filter((c) => typeof c === 'string') : [] };
  } catch {
    return { status: 'damaged' };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function writeAtomically(file: string, content: string | Uint8Array): void {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.writeFileSync(temp, content, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

/** Removes the least recently written caches beyond MAX_ENTRIES and dead writers' temp files. */
function prune(dir: string): void {
  const now = Date.now();
  const entries: { name: string; mtimeMs: number }[] = [];
  for (const name of fs.readdirSync(dir)) {
    const st = fs.lstatSync(path.join(dir, name), { throwIfNoEntry: false });
    if (!st) continue;
    if (name.endsWith('.tmp')) {
      if (now - st.mtimeMs > STALE_TEMP_MS) fs.rmSync(path.join(dir, name), { force: true });
    } else if (name.endsWith('.json')) {
      entries.push({ name: name.slice(0, -'.json'.length), mtimeMs: st.mtimeMs });
    }
  }
  entries.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const old of entries.slice(MAX_ENTRIES)) {
    fs.rmSync(path.join(dir, `${old.name}.json`), { force: true });
    fs.rmSync(path.join(dir, `${old.name}.v8`), { force: true });
  }
}

/**
 * Writes `data` for `slot`, replacing what was there; returns false (and writes nothing) when
 * the folder is not trusted. Throws on file system errors: the caller ignores them.
 */
export function writeCodeCache(slot: CodeCacheSlot, data: Uint8Array, covers: string[] = []): boolean {
  const { dir, data: dataFile, record } = files(slot);
  if (fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE }) !== undefined) fs.chmodSync(dir, PRIVATE_DIR_MODE);
  if (!isTrusted(slot.root)) return false;
  writeAtomically(dataFile, data);
  // Read back after the rename: a concurrent writer's file may be the one in place, and then its
  // identity is recorded (its data was made for the same name; V8 rejects it if the flags differ).
  const rec: CacheRecord = { key: slot.key, identity: identityOf(fs.lstatSync(dataFile, { bigint: true })), covers };
  writeAtomically(record, JSON.stringify(rec));
  prune(dir);
  return true;
}
