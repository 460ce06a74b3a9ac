/**
 * Turns "the disk is full" into one typed error, wherever it surfaces during a build: an
 * `ENOSPC`/`EDQUOT` from a file-system call (lock, temporary folder, publish), Zig's
 * `NoSpaceLeft`/`DiskQuota` error, which Zig 0.17 reports as if it were an error of the user's
 * module (e.g. `DWARF TODO: 'NoSpaceLeft'`), or Zig 0.15's linker panicking (`panic: TODO`)
 * without any diagnostic while the cache's disk is nearly full (confirmed with `statfs`).
 */
import * as fs from 'node:fs';
import { ZigCompileError, ZigNoSpaceError } from '../errors.js';

const FS_CODES = new Set(['ENOSPC', 'EDQUOT']);
const ZIG_NAMES = /\b(NoSpaceLeft|DiskQuota)\b|No space left on device/;
/** Below this, a compiler failure without a diagnostic is taken for a full disk (a Debug library alone is ~11 MiB). */
const LOW_SPACE_MIB = 64;

function freeMiB(folder: string): number | undefined {
  try {
    const st = fs.statfsSync(folder);
    return (st.bavail * st.bsize) / 2 ** 20;
  } catch {
    return undefined;
  }
}

/** Which step ran out of space, or undefined when `err` is not about space. */
function noSpaceStep(err: unknown, free: number | undefined): string | undefined {
  if (err instanceof ZigCompileError) {
    if (ZIG_NAMES.test(err.stderr) || ZIG_NAMES.test(err.message)) return 'the Zig compiler could not write its output';
    if (err.diagnostics.length === 0 && free !== undefined && free < LOW_SPACE_MIB) {
      const said = err.stderr.trim().split('\n')[0] ?? '';
      return `the Zig compiler failed without a diagnostic${said ? ` (${said})` : ''} on a nearly full disk`;
    }
    return undefined;
  }
  const e = err as NodeJS.ErrnoException | undefined;
  if (!FS_CODES.has(e?.code ?? '')) return undefined;
  return `${e!.code} from ${e!.syscall ?? 'a file operation'}${e!.path ? ` on ${e!.path}` : ''}`;
}

/** The typed error for a full disk, or `err` itself when it is something else. */
export function explainNoSpace(cacheDir: string, err: unknown): unknown {
  if (!(err instanceof ZigCompileError) && !FS_CODES.has((err as NodeJS.ErrnoException | undefined)?.code ?? '')) return err;
  const free = freeMiB(cacheDir);
  const step = noSpaceStep(err, free);
  if (!step) return err;
  const where =
    free === undefined
      ? 'free space unknown'
      : free < LOW_SPACE_MIB
        ? `${free.toFixed(1)} MiB free: its disk is (nearly) full`
        : `${free.toFixed(1)} MiB free, so Zig's global cache disk may be the full one`;
  return new ZigNoSpaceError(cacheDir, `${step}; ${where}`, err);
}
