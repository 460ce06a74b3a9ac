/**
 * What running processes hold in the cache: artifacts they have loaded, and the temporary
 * folders of compiles in progress. Consulted only when something is about to be removed
 * (eviction after a new build, `clear-cache --older-than`), never on a cached import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A temporary folder without a readable owner pid is abandoned after this long. */
export const ABANDONED_MS = 60 * 60 * 1000;

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The files under `dir` that some process has mapped (a loaded addon is mapped), or undefined
 * where the system cannot tell. Linux: every `/proc/<pid>/maps` we may read. Processes of other
 * users are not readable, but cannot read a private cache either; processes in other pid
 * namespaces (containers sharing the folder) are not visible.
 */
export function filesMappedUnder(dir: string): Set<string> | undefined {
  if (process.platform !== 'linux') return undefined;
  let prefix: string;
  let pids: string[];
  try {
    prefix = fs.realpathSync(dir) + path.sep;
    pids = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return undefined;
  }
  const found = new Set<string>();
  for (const pid of pids) {
    let maps: string;
    try {
      maps = fs.readFileSync(`/proc/${pid}/maps`, 'utf8');
    } catch {
      continue; // Exited meanwhile, or another user's.
    }
    for (let at = maps.indexOf(prefix); at !== -1; at = maps.indexOf(prefix, at + 1)) {
      const end = maps.indexOf('\n', at);
      found.add(maps.slice(at, end === -1 ? undefined : end));
    }
  }
  return found;
}

/** The pid in a compile's temporary folder name (`<label>-<pid>-<random>`, see compile.ts). */
export function tmpOwnerPid(name: string): number | undefined {
  const m = /-(\d+)-[0-9a-f]{8}$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** True while the compile that owns this temporary folder may still be running. */
function tmpInUse(dir: string, name: string, now: number): boolean {
  const pid = tmpOwnerPid(name);
  // A pid that exists may have been reused by an unrelated process: the age rule still applies.
  if (pid !== undefined && !isProcessAlive(pid)) return false;
  try {
    return now - fs.statSync(dir).mtimeMs <= ABANDONED_MS;
  } catch {
    return false;
  }
}

function tmpNames(tmpRoot: string): string[] {
  try {
    return fs.readdirSync(tmpRoot);
  } catch {
    return [];
  }
}

/**
 * Removes temporary folders left by killed compiles: at once when their process is gone, after
 * an hour otherwise. Returns the bytes freed. (Assumes the cache is not shared by processes on
 * other machines or in other pid namespaces: their pids mean nothing here.)
 */
export function removeAbandonedTmp(tmpRoot: string): number {
  const now = Date.now();
  let freed = 0;
  for (const name of tmpNames(tmpRoot)) {
    const dir = path.join(tmpRoot, name);
    if (tmpInUse(dir, name, now)) continue;
    const bytes = treeBytes(dir);
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      freed += bytes;
    } catch {
      // Removed by someone else meanwhile, or not ours to remove.
    }
  }
  return freed;
}

/** True when a compile other than the one in `except` is running (it may be using zig-cache). */
export function otherCompileRunning(tmpRoot: string, except?: string): boolean {
  const now = Date.now();
  return tmpNames(tmpRoot).some((name) => {
    const dir = path.join(tmpRoot, name);
    return dir !== except && tmpInUse(dir, name, now);
  });
}

/** Bytes of every file under `p` (sizes as `ls` shows them); 0 when missing. */
export function treeBytes(p: string): number {
  const st = fs.lstatSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  let total = 0;
  let names: string[] = [];
  try {
    names = fs.readdirSync(p);
  } catch {
    return 0;
  }
  for (const name of names) total += treeBytes(path.join(p, name));
  return total;
}
