/**
 * A per-key build lock, so N processes importing the same new module compile it once.
 *
 * The lock is a file created with O_EXCL holding the owner's pid, host and start time. A lock
 * whose owner process is gone (or that is older than the compile timeout allows) is taken over.
 * Correctness never depends on the lock: artifacts are published by atomic rename and builds are
 * deterministic, so in the worst case two processes compile the same thing. That is why a plain
 * lock file is enough here; lock libraries that refresh an mtime on a timer (proper-lockfile)
 * cannot work while a synchronous `require()` blocks the event loop during a compile.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensurePrivateDir, readJson, tempNameFor } from './files.js';
import { ZigImportError } from '../errors.js';
import { performSync, sleep, type Op } from '../effects.js';

interface LockOwner {
  pid: number;
  host: string;
  startedAt: number;
}

export interface BuildLock {
  release(): void;
  /** Milliseconds spent waiting for another process. */
  waitedMs: number;
}

const POLL_MS = 50;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(lockPath: string): boolean {
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), startedAt: Date.now() };
  try {
    fs.writeFileSync(lockPath, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

function isStale(owner: LockOwner | undefined, lockPath: string, maxAgeMs: number): boolean {
  if (!owner) {
    // Unreadable: a writer may be between create and write; only stale once it is old.
    try {
      return Date.now() - fs.statSync(lockPath).mtimeMs > 5_000;
    } catch {
      return false;
    }
  }
  if (Date.now() - owner.startedAt > maxAgeMs) return true;
  return owner.host === os.hostname() && !isAlive(owner.pid);
}

/** Moves a stale lock aside; if what was moved turns out to be a fresh lock, puts it back. */
function takeOver(lockPath: string, seen: string): void {
  const aside = tempNameFor(lockPath);
  try {
    fs.renameSync(lockPath, aside);
  } catch {
    return; // Someone else got there first.
  }
  let moved = '';
  try {
    moved = fs.readFileSync(aside, 'utf8');
  } catch {
    // Nothing to compare: treat as the stale one.
  }
  if (moved !== seen) {
    try {
      fs.linkSync(aside, lockPath); // Atomic: fails if a new lock already exists.
    } catch {
      // A newer lock exists; at worst two builds run, which publishing tolerates.
    }
  }
  fs.rmSync(aside, { force: true });
}

/** One attempt: true when the lock is ours. */
function attempt(lockPath: string, maxAgeMs: number): boolean {
  if (tryCreate(lockPath)) return true;
  let seen = '';
  try {
    seen = fs.readFileSync(lockPath, 'utf8');
  } catch {
    return tryCreate(lockPath);
  }
  let owner: LockOwner | undefined;
  try {
    owner = JSON.parse(seen) as LockOwner;
  } catch {
    owner = undefined;
  }
  if (isStale(owner, lockPath, maxAgeMs)) {
    takeOver(lockPath, seen);
    return tryCreate(lockPath);
  }
  return false;
}

function makeLock(lockPath: string, waitedMs: number): BuildLock {
  return {
    waitedMs,
    release() {
      // Only remove the lock if it is still ours.
      const owner = readJson<LockOwner>(lockPath);
      if (owner && owner.pid === process.pid && owner.host === os.hostname()) fs.rmSync(lockPath, { force: true });
    },
  };
}

function timeoutError(lockPath: string, waitMs: number): ZigImportError {
  return new ZigImportError(
    'ZIGIMPORT_LOCK_TIMEOUT',
    `Waited ${Math.round(waitMs / 1000)} s for another process building the same module (lock ${lockPath}). ` +
      'If no zigimport process is running, delete the lock file.',
  );
}

export interface LockOptions {
  /** A lock older than this is considered abandoned. */
  maxAgeMs: number;
  /** Give up waiting after this long. */
  waitMs: number;
}

export function lockPathFor(cacheDir: string, key: string): string {
  return path.join(cacheDir, 'locks', `${key}.lock`);
}

/** Takes the lock, polling while another process holds it; an operation for either driver. */
export function* takeLock(lockPath: string, opts: LockOptions): Op<BuildLock> {
  ensurePrivateDir(path.dirname(lockPath));
  const start = Date.now();
  while (!attempt(lockPath, opts.maxAgeMs)) {
    if (Date.now() - start > opts.waitMs) throw timeoutError(lockPath, opts.waitMs);
    yield* sleep(POLL_MS);
  }
  return makeLock(lockPath, Date.now() - start);
}

/** Takes the lock, blocking the thread while another process holds it. */
export function acquireLockSync(lockPath: string, opts: LockOptions): BuildLock {
  return performSync(takeLock(lockPath, opts));
}
