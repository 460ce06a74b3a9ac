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
 * compile's folders are checked when the lookup misses (`TrustScope`). Windows has no uids and
 * modes: no check there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UnsafeCacheError } from '../errors.js';
import { ensurePrivateDir } from './files.js';
import { findCacheProblem } from './folder-trust.js';

export { isPrivateFile } from './folder-trust.js';

/** The cache's folders that lead to something loaded or run, or that Zig writes into. */
const CACHE_FOLDERS = ['builds', 'code-cache', 'entries', 'latest', 'locks', 'tmp', 'projects', 'tools', 'toolchains', 'zig-cache', 'zig-pkg'];
/**
 * Created here rather than by Zig, which would make them with the umask's mode (0777 under
 * `umask 000`). Zig's own files inside them get the umask's modes too, but a 0700 folder around
 * them keeps other users out.
 */
const CREATED_BEFORE_ZIG = ['zig-pkg'];

/**
 * What a cached import reads (`toolchains/`: a checksum-mode lookup learns the Zig version there,
 * and may run a Zig found there to ask it; `code-cache/`: the hot path's compiled code, read at
 * `require` time after its own check, which skips an unsafe folder silently, so the import is
 * what reports it). The other folders serve the compile only, so they are checked (and
 * `zig-pkg/` created) when a lookup misses, before anything uses them.
 */
const LOOKUP_FOLDERS = ['builds', 'code-cache', 'entries', 'latest', 'toolchains'];

/** How much of a cache is checked: what a cached import reads, or everything. */
export type TrustScope = 'lookup' | 'all';

/** Per cache folder: how much of it was checked in this process. */
const trustedCacheDirs = new Map<string, TrustScope>();

/** Creates, before its check, a folder that Zig would otherwise create with the umask's mode. */
function createBeforeZig(name: string, folder: string): void {
  if (!CREATED_BEFORE_ZIG.includes(name) || fs.lstatSync(folder, { throwIfNoEntry: false })) return;
  try {
    ensurePrivateDir(folder);
  } catch {
    // A read-only cache (release mode from a prepared folder): Zig cannot create it either.
  }
}

/**
 * Creates the cache folder if needed (private) and throws `UnsafeCacheError` unless it, its
 * folders and the folders above it pass the checks (`folder-trust.ts`). Call before reading
 * anything in it; with `lookup`, only the folders a cached import reads are checked (the rest,
 * with the folders above again, on the first `all`: a miss, which costs far more anyway).
 */
export function ensureTrustedCacheDir(cacheDir: string, scope: TrustScope = 'all'): void {
  const known = trustedCacheDirs.get(cacheDir);
  if (known === 'all' || (known && scope === 'lookup')) return;
  const dir = path.resolve(cacheDir);
  if (!fs.lstatSync(dir, { throwIfNoEntry: false })) ensurePrivateDir(dir);
  const folders = scope === 'lookup' ? LOOKUP_FOLDERS : known ? CACHE_FOLDERS.filter((name) => !LOOKUP_FOLDERS.includes(name)) : CACHE_FOLDERS;
  // A lookup reuses the code cache's walk above the cache (folder-trust.ts); a miss walks again.
  const found = findCacheProblem(cacheDir, folders, createBeforeZig, scope === 'lookup');
  if (found) throw new UnsafeCacheError(cacheDir, found.folder, found.problem, found.fix);
  trustedCacheDirs.set(cacheDir, scope);
}
