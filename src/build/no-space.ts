/**
 * Turns "the disk is full" into one typed error, wherever it surfaces during a build: an
 * `ENOSPC`/`EDQUOT` from a file-system call (lock, temporary folder, publish), or Zig's
 * `NoSpaceLeft`/`DiskQuota` error, which the compiler reports as if it were an error of the
 * user's module (e.g. `DWARF TODO: 'NoSpaceLeft'`).
 */
import * as fs from 'node:fs';
import { ZigCompileError, ZigNoSpaceError } from '../errors.js';

const FS_CODES = new Set(['ENOSPC', 'EDQUOT']);
const ZIG_NAMES = /\b(NoSpaceLeft|DiskQuota)\b|No space left on device/;

function isNoSpace(err: unknown): boolean {
  if (err instanceof ZigCompileError) return ZIG_NAMES.test(err.stderr) || ZIG_NAMES.test(err.message);
  return FS_CODES.has((err as NodeJS.ErrnoException | undefined)?.code ?? '');
}

/** What the folder's file system has left, to tell a full cache disk from a full Zig global cache. */
function freeSpace(folder: string): string {
  try {
    const st = fs.statfsSync(folder);
    const mib = (st.bavail * st.bsize) / 2 ** 20;
    const where = mib < 64 ? 'its disk is (nearly) full' : "its disk still has room, so Zig's global cache disk may be the full one";
    return `${mib.toFixed(1)} MiB free: ${where}`;
  } catch {
    return 'free space unknown';
  }
}

/** Which step ran out of space. */
function failedStep(err: unknown): string {
  if (err instanceof ZigCompileError) return 'the Zig compiler could not write its output';
  const e = err as NodeJS.ErrnoException;
  return `${e.code} from ${e.syscall ?? 'a file operation'}${e.path ? ` on ${e.path}` : ''}`;
}

/** The typed error for a full disk, or `err` itself when it is something else. */
export function explainNoSpace(buildDir: string, err: unknown): unknown {
  return isNoSpace(err) ? new ZigNoSpaceError(buildDir, `${failedStep(err)}; ${freeSpace(buildDir)}`, err) : err;
}
