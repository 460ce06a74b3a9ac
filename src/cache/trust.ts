/**
 * Refuses a cache that another user could write, before anything in it is read, loaded or run:
 * what ssh's StrictModes and git's `safe.directory` do. Anyone who can write the cache folder,
 * a folder inside it that zigimport uses, or a folder above it (they can rename the cache away
 * and put their own in its place) can plant an artifact with a matching manifest.
 *
 * - The cache folder and its folders (`builds/`, `entries/`, `latest/`, `tools/`, ...) must be
 *   real folders (a symbolic link inside the cache is refused), owned by the current user and
 *   not writable by group or others.
 * - Every folder above it must be owned by the current user or root and not writable by group or
 *   others, unless it has the sticky bit (like /tmp: others cannot rename what is ours there).
 *   When the path goes through a symbolic link, the folders above the link's target are checked
 *   as well as those above the link.
 *
 * Each cache folder is checked once per process (a handful of `lstat` calls, no hashing), so a
 * cached import pays nothing after the first; a lookup checks the folders a hit reads, and the
 * compile's folders are checked when the lookup misses (`TrustScope`). Windows has no uids and modes: no check there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UnsafeCacheError } from '../errors.js';
import { childPath, ensurePrivateDir } from './files.js';

const GROUP_OR_OTHERS_WRITE = 0o022;
const STICKY = 0o1000;
const ROOT_UID = 0;

/** The cache's folders that lead to something loaded or run, or that Zig writes into. */
const CACHE_FOLDERS = ['builds', 'entries', 'latest', 'locks', 'tmp', 'projects', 'tools', 'toolchains', 'zig-cache', 'zig-pkg'];
/**
 * Created here rather than by Zig, which would make them with the umask's mode (0777 under
 * `umask 000`). Zig's own files inside them get the umask's modes too, but a 0700 folder around
 * them keeps other users out.
 */
const CREATED_BEFORE_ZIG = ['zig-pkg'];

/**
 * What a cached import reads (`toolchains/`: a checksum-mode lookup learns the Zig version there,
 * and may run a Zig found there to ask it). The other folders serve the compile only, so they are
 * checked (and `zig-pkg/` created) when a lookup misses, before anything uses them.
 */
const LOOKUP_FOLDERS = ['builds', 'entries', 'latest', 'toolchains'];

/** How much of a cache is checked: what a cached import reads, or everything. */
export type TrustScope = 'lookup' | 'all';

/** Per cache folder: how much was checked in this process, and the real folder it resolved to. */
const trustedCacheDirs = new Map<string, { scope: TrustScope; realDir: string; uid: number | undefined }>();

/** The current user's uid, or undefined where ownership cannot be checked (Windows). */
function currentUid(): number | undefined {
  return process.platform === 'win32' || typeof process.getuid !== 'function' ? undefined : process.getuid();
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

function writers(mode: number): string {
  const who = [mode & 0o020 ? 'group' : '', mode & 0o002 ? 'others' : ''].filter(Boolean).join(' and ');
  return `writable by ${who} (mode ${octal(mode)})`;
}

/** Folders from the filesystem root down to `dir`'s parent. */
function foldersAbove(dir: string): string[] {
  const above: string[] = [];
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    above.unshift(d);
    if (path.dirname(d) === d) return above;
  }
}

/** Checks a folder above the cache; returns true when it is a symbolic link (its target is checked later). */
function checkAbove(cacheDir: string, folder: string, uid: number): boolean {
  const st = fs.lstatSync(folder);
  if (st.isSymbolicLink()) return true;
  if (!st.isDirectory()) throw new UnsafeCacheError(cacheDir, folder, 'not a folder', `check the path ${cacheDir}`);
  if (st.uid !== uid && st.uid !== ROOT_UID) {
    throw new UnsafeCacheError(
      cacheDir,
      folder,
      `owned by uid ${st.uid} (you are uid ${uid}), who can replace the cache`,
      'keep the cache under folders that you or root own',
    );
  }
  if (st.mode & GROUP_OR_OTHERS_WRITE && !(st.mode & STICKY)) {
    throw new UnsafeCacheError(
      cacheDir,
      folder,
      `${writers(st.mode)}, so others can replace the cache`,
      `chmod go-w '${folder}' (or chmod +t '${folder}', as for /tmp)`,
    );
  }
  return false;
}

/** Checks the cache folder itself or one of its folders (already `lstat`ed). */
function checkOwn(cacheDir: string, folder: string, st: fs.Stats, uid: number): void {
  if (st.isSymbolicLink()) {
    throw new UnsafeCacheError(cacheDir, folder, 'a symbolic link', `remove the link (rm '${folder}') and zigimport creates a private folder in its place`);
  }
  if (!st.isDirectory()) throw new UnsafeCacheError(cacheDir, folder, 'not a folder', `remove it (rm '${folder}')`);
  if (st.uid !== uid) {
    throw new UnsafeCacheError(
      cacheDir,
      folder,
      `owned by uid ${st.uid}, not by you (uid ${uid})`,
      `remove it as its owner or root (rm -rf '${folder}'), or chown -R ${uid} '${folder}' if you trust what it holds`,
    );
  }
  if (st.mode & GROUP_OR_OTHERS_WRITE) {
    throw new UnsafeCacheError(
      cacheDir,
      folder,
      writers(st.mode),
      `chmod 700 '${folder}' if only you have written to it, else remove the cache (rm -rf '${cacheDir}')`,
    );
  }
}

/** The folders of the cache that exist must be private; the ones Zig would create are created now. */
function checkCacheFolders(cacheDir: string, realDir: string, uid: number, names: readonly string[]): void {
  for (const name of names) {
    const folder = childPath(realDir, name);
    let st = fs.lstatSync(folder, { throwIfNoEntry: false });
    if (!st && CREATED_BEFORE_ZIG.includes(name)) {
      try {
        ensurePrivateDir(folder);
      } catch {
        // A read-only cache (release mode from a prepared folder): Zig cannot create it either.
      }
      st = fs.lstatSync(folder, { throwIfNoEntry: false });
    }
    // A missing folder is created later by zigimport, privately, in a folder only we can write.
    if (st) checkOwn(cacheDir, folder, st, uid);
  }
}

/**
 * Creates the cache folder if needed (private) and throws `UnsafeCacheError` unless it, its
 * folders and the folders above it pass the checks. Call before reading anything in it; with
 * `lookup`, only the folders a cached import reads are checked (the rest on the first `all`).
 */
export function ensureTrustedCacheDir(cacheDir: string, scope: TrustScope = 'all'): void {
  const known = trustedCacheDirs.get(cacheDir);
  if (known && (known.scope === 'all' || scope === 'lookup')) return;
  if (known) {
    if (known.uid !== undefined) {
      checkCacheFolders(
        cacheDir,
        known.realDir,
        known.uid,
        CACHE_FOLDERS.filter((name) => !LOOKUP_FOLDERS.includes(name)),
      );
    }
    trustedCacheDirs.set(cacheDir, { ...known, scope: 'all' });
    return;
  }
  const dir = path.resolve(cacheDir);
  let st = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (!st) {
    ensurePrivateDir(dir);
    st = fs.lstatSync(dir);
  }
  const uid = currentUid();
  let realDir = dir;
  if (uid !== undefined) {
    let throughLink = false;
    for (const folder of foldersAbove(dir)) throughLink = checkAbove(cacheDir, folder, uid) || throughLink;
    if (throughLink || st.isSymbolicLink()) {
      // Whoever can write the folders above the link's target can replace the cache as well.
      realDir = fs.realpathSync.native(dir);
      for (const folder of foldersAbove(realDir)) checkAbove(cacheDir, folder, uid);
      st = fs.lstatSync(realDir);
    }
    checkOwn(cacheDir, realDir, st, uid);
    checkCacheFolders(cacheDir, realDir, uid, scope === 'all' ? CACHE_FOLDERS : LOOKUP_FOLDERS);
  }
  trustedCacheDirs.set(cacheDir, { scope, realDir, uid });
}

/** True when a file in the cache can only have been written by the current user. */
export function isPrivateFile(st: fs.Stats): boolean {
  const uid = currentUid();
  return uid === undefined || (st.uid === uid && (st.mode & GROUP_OR_OTHERS_WRITE) === 0);
}
