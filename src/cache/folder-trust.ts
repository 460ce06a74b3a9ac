/**
 * The ownership and mode checks behind `trust.ts`, as plain functions that report the first
 * problem instead of throwing: the one implementation shared by the cache (`trust.ts`, which turns
 * a problem into `UnsafeCacheError`) and the V8 code cache (`src/code-cache/`), which runs before
 * the bundled hot path exists and must stay silent. scripts/bundle-hot-path.mjs puts it in the
 * loader (dist/hot-path.js), which hands its instance to the hot path's bundle, so both use one
 * instance. Node built-ins only.
 */
import fs = require('node:fs');
import path = require('node:path');

const GROUP_OR_OTHERS_WRITE = 0o022;
const STICKY = 0o1000;
const ROOT_UID = 0;

/** What is wrong with a folder of (or above) the cache, and what the user should do. */
export interface FolderProblem {
  folder: string;
  problem: string;
  fix: string;
}

/** The current user's uid, or undefined where ownership cannot be checked (Windows). */
export function currentUid(): number | undefined {
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

/** A folder above the cache: 'link' when it is a symbolic link (its target is checked later). */
function problemAbove(cacheDir: string, folder: string, uid: number): FolderProblem | 'link' | undefined {
  const st = fs.lstatSync(folder);
  if (st.isSymbolicLink()) return 'link';
  if (!st.isDirectory()) return { folder, problem: 'not a folder', fix: `check the path ${cacheDir}` };
  if (st.uid !== uid && st.uid !== ROOT_UID) {
    return {
      folder,
      problem: `owned by uid ${st.uid} (you are uid ${uid}), who can replace the cache`,
      fix: 'keep the cache under folders that you or root own',
    };
  }
  if (st.mode & GROUP_OR_OTHERS_WRITE && !(st.mode & STICKY)) {
    return {
      folder,
      problem: `${writers(st.mode)}, so others can replace the cache`,
      fix: `chmod go-w '${folder}' (or chmod +t '${folder}', as for /tmp)`,
    };
  }
  return undefined;
}

/** The cache folder itself or one of its folders (already `lstat`ed). */
function problemOwn(cacheDir: string, folder: string, st: fs.Stats, uid: number): FolderProblem | undefined {
  if (st.isSymbolicLink()) {
    return { folder, problem: 'a symbolic link', fix: `remove the link (rm '${folder}') and zigimport creates a private folder in its place` };
  }
  if (!st.isDirectory()) return { folder, problem: 'not a folder', fix: `remove it (rm '${folder}')` };
  if (st.uid !== uid) {
    return {
      folder,
      problem: `owned by uid ${st.uid}, not by you (uid ${uid})`,
      fix: `remove it as its owner or root (rm -rf '${folder}'), or chown -R ${uid} '${folder}' if you trust what it holds`,
    };
  }
  if (st.mode & GROUP_OR_OTHERS_WRITE) {
    return {
      folder,
      problem: writers(st.mode),
      fix: `chmod 700 '${folder}' if only you have written to it, else remove the cache (rm -rf '${cacheDir}')`,
    };
  }
  return undefined;
}

/**
 * The cache folder found trusted last in this process, with the folders inside it that were
 * checked and exist. The code cache's check at `require` time (run-bundle.ts) walks the folders
 * above the cache; the import's lookup-scoped check (trust.ts) that follows a few milliseconds
 * later in the same process reuses that walk (`reuse`), as trust.ts itself trusts a folder for
 * the rest of the process once checked. A folder that was missing is checked again.
 */
let lastTrusted: { dir: string; realDir: string; checked: Set<string> } | undefined;

/**
 * The first problem with the existing cache folder `cacheDir`, the folders above it (and above
 * its real path when a symbolic link leads there) and those of `folders` (names inside it) that
 * exist, or undefined when only the current user (and root) can change what is in them.
 * `beforeFolder` runs before each of `folders` is checked (to create one that must exist). With
 * `reuse`, a cache folder found trusted earlier in this process is not walked again: only those
 * of `folders` not yet checked are.
 */
export function findCacheProblem(
  cacheDir: string,
  folders: readonly string[],
  beforeFolder?: (name: string, folder: string) => void,
  reuse = false,
): FolderProblem | undefined {
  const uid = currentUid();
  if (uid === undefined) return undefined;
  const dir = path.resolve(cacheDir);
  const known = reuse && lastTrusted?.dir === dir ? lastTrusted : undefined;
  return known ? problemInside(cacheDir, known, folders, uid, beforeFolder) : findProblem(cacheDir, dir, folders, uid, beforeFolder);
}

function problemInside(
  cacheDir: string,
  known: { realDir: string; checked: Set<string> },
  folders: readonly string[],
  uid: number,
  beforeFolder?: (name: string, folder: string) => void,
): FolderProblem | undefined {
  for (const name of folders) {
    if (known.checked.has(name)) continue;
    const folder = path.join(known.realDir, name);
    beforeFolder?.(name, folder);
    const inner = fs.lstatSync(folder, { throwIfNoEntry: false });
    // A missing folder is created later by zigimport, privately, in a folder only we can write.
    const found = inner && problemOwn(cacheDir, folder, inner, uid);
    if (found) return found;
    if (inner) known.checked.add(name);
  }
  return undefined;
}

function findProblem(
  cacheDir: string,
  dir: string,
  folders: readonly string[],
  uid: number,
  beforeFolder?: (name: string, folder: string) => void,
): FolderProblem | undefined {
  let st = fs.lstatSync(dir);
  let throughLink = false;
  for (const folder of foldersAbove(dir)) {
    const found = problemAbove(cacheDir, folder, uid);
    if (found === 'link') throughLink = true;
    else if (found) return found;
  }
  let realDir = dir;
  if (throughLink || st.isSymbolicLink()) {
    // Whoever can write the folders above the link's target can replace the cache as well.
    realDir = fs.realpathSync.native(dir);
    for (const folder of foldersAbove(realDir)) {
      const found = problemAbove(cacheDir, folder, uid);
      if (found && found !== 'link') return found;
    }
    st = fs.lstatSync(realDir);
  }
  const own = problemOwn(cacheDir, realDir, st, uid);
  if (own) return own;
  const known = { dir, realDir, checked: new Set<string>() };
  const found = problemInside(cacheDir, known, folders, uid, beforeFolder);
  if (!found) lastTrusted = known;
  return found;
}

/** True when a file in the cache can only have been written by the current user. */
export function isPrivateFile(st: fs.Stats): boolean {
  const uid = currentUid();
  return uid === undefined || (st.uid === uid && (st.mode & GROUP_OR_OTHERS_WRITE) === 0);
}
