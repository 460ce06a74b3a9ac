/**
 * Small file helpers shared by the cache: atomic writes, JSON, hashing. Everything the cache
 * creates is private to the current user whatever the umask: a mode given to mkdir or open is
 * masked by the umask (0277 would leave a folder we cannot write), so the mode is set explicitly
 * after creating, and only then (an existing folder costs no extra syscall).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Crypto from 'node:crypto';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** For executables the cache runs (the declaration reader). */
export const PRIVATE_EXE_MODE = 0o700;

/**
 * `dir/name` for a folder path that is already absolute and normalised (settings resolve the cache
 * folder) and a plain file or folder name (a key, a record name). `path.join` would normalise the
 * whole string again: a cached import builds several of these, and in a process importing many
 * modules Node's normaliser becomes hot enough for V8 to optimise it (a measurable compile).
 */
export function childPath(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

/** Creates `dir` (and parents) readable only by the current user; existing folders are left as they are. */
export function ensurePrivateDir(dir: string): void {
  const first = fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) return;
  // mkdir created `first` and everything below it on the way to `dir`.
  let created = path.resolve(first);
  fs.chmodSync(created, PRIVATE_DIR_MODE);
  for (const part of path.relative(created, path.resolve(dir)).split(path.sep).filter(Boolean)) {
    created = path.join(created, part);
    fs.chmodSync(created, PRIVATE_DIR_MODE);
  }
}

/** Sets a file created by another program (Zig's output) to `mode`, whatever the umask gave it. */
export function makePrivate(file: string, mode = PRIVATE_FILE_MODE): void {
  fs.chmodSync(file, mode);
}

/** A unique sibling name for writing `file` before renaming it into place. */
export function tempNameFor(file: string): string {
  return `${file}.tmp-${process.pid}-${crypto().randomBytes(4).toString('hex')}`;
}

/** Writes `data` to `file` so readers see the old content or the new one, never a mix. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  ensurePrivateDir(path.dirname(file));
  const tmp = tempNameFor(file);
  try {
    const fd = fs.openSync(tmp, 'wx', PRIVATE_FILE_MODE);
    try {
      fs.fchmodSync(fd, PRIVATE_FILE_MODE);
      fs.writeFileSync(fd, data);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Parsed JSON, or undefined when the file is missing or not valid JSON (a broken entry is a miss). */
export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * `node:crypto`, loaded on first use: it brings Node's stream machinery along (~5 ms), and a
 * cached import in release mode needs it for one short hash at most.
 */
let cryptoModule: typeof Crypto | undefined;
function crypto(): typeof Crypto {
  // Kept: `require` resolves its argument on every call, and a lookup hashes several times.
  cryptoModule ??= require('node:crypto') as typeof Crypto;
  return cryptoModule;
}

export function sha256(data: string | Uint8Array): string {
  return crypto().createHash('sha256').update(data).digest('hex');
}

/** SHA-256 of a file's bytes, or undefined when it cannot be read. */
export function sha256File(file: string): string | undefined {
  try {
    return sha256(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}
