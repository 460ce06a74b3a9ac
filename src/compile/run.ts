/**
 * Runs a Zig process to completion, with a time limit, and gathers what it printed. Both the
 * compile and the `zig build` configure step go through here; whether it blocks is the driver's
 * choice (src/effects.ts). Every process is started through `guardedLaunch`, so that it ends with
 * this process.
 */
import { performSync, spawn, type Op } from '../effects.js';
import { guardedLaunch, launchError } from './parent-guard.js';

export interface RunOptions {
  cwd: string;
  /** Bytes for stdin (then closed). */
  input?: Buffer;
  timeoutMs: number;
}

export interface Outcome {
  code: number | null;
  signal: string | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
  spawnError?: Error;
}

/** Runs `command` (through the parent guard) as an operation for either driver. */
export function* runZig(command: string, args: string[], opts: RunOptions): Op<Outcome> {
  const launch = guardedLaunch(command, args);
  const r = yield* spawn({
    command: launch.command,
    args: launch.args,
    cwd: opts.cwd,
    input: opts.input ?? Buffer.alloc(0),
    timeoutMs: opts.timeoutMs,
    stopSignal: launch.stopSignal,
  });
  const spawnError = r.timedOut ? undefined : (r.error ?? launchError(launch, command, r.code, r.stderr));
  return { code: r.code, signal: r.signal, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut, ...(spawnError ? { spawnError } : {}) };
}

/** Blocking: for code that runs inside `require()` or a synchronous hook (the types reader). */
export function runSync(command: string, args: string[], opts: RunOptions): Outcome {
  return performSync(runZig(command, args, opts));
}
