/**
 * Runs a Zig process to completion, blocking or not, with a time limit, and gathers what it
 * printed. Both the compile and the `zig build` configure step go through here.
 * Every process is started through `guardedLaunch`, so that it ends with this process.
 */
import { childProcess } from '../lazy.js';
import { guardedLaunch, launchError } from './parent-guard.js';

export interface RunOptions {
  cwd: string;
  /** Bytes for stdin (then closed). */
  input?: Buffer;
  timeoutMs: number;
}

export interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
  spawnError?: Error;
}

export function runSync(command: string, args: string[], opts: RunOptions): Outcome {
  const launch = guardedLaunch(command, args);
  const r = childProcess().spawnSync(launch.command, launch.args, {
    cwd: opts.cwd,
    input: opts.input ?? Buffer.alloc(0),
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: opts.timeoutMs,
    killSignal: launch.stopSignal,
    maxBuffer: 256 * 1024 * 1024,
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  const stderr = r.stderr?.toString() ?? '';
  const spawnError = timedOut ? undefined : r.error ?? launchError(launch, command, r.status, stderr);
  return {
    code: r.status,
    signal: r.signal,
    stdout: r.stdout ?? Buffer.alloc(0),
    stderr,
    timedOut,
    ...(spawnError ? { spawnError } : {}),
  };
}

export function run(command: string, args: string[], opts: RunOptions): Promise<Outcome> {
  return new Promise((resolve) => {
    const launch = guardedLaunch(command, args);
    const child = childProcess().spawn(launch.command, launch.args, { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    let spawnError: Error | undefined;
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.on('error', () => {}); // The process may exit before reading (bad flags): its stderr says why.
    child.stdin.end(opts.input ?? Buffer.alloc(0));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill(launch.stopSignal);
    }, opts.timeoutMs);
    child.on('error', (err) => (spawnError = err));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      spawnError ??= launchError(launch, command, code, stderr);
      resolve({ code, signal, stdout: Buffer.concat(stdout), stderr, timedOut, ...(spawnError ? { spawnError } : {}) });
    });
  });
}
