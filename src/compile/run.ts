/**
 * Runs a Zig process to completion, blocking or not, with a time limit, and gathers what it
 * printed. Both the compile and the `zig build` configure step go through here.
 */
import { childProcess } from '../lazy.js';

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
  const r = childProcess().spawnSync(command, args, {
    cwd: opts.cwd,
    input: opts.input ?? Buffer.alloc(0),
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: opts.timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024 * 1024,
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return {
    code: r.status,
    signal: r.signal,
    stdout: r.stdout ?? Buffer.alloc(0),
    stderr: r.stderr?.toString() ?? '',
    timedOut,
    ...(r.error && !timedOut ? { spawnError: r.error } : {}),
  };
}

export function run(command: string, args: string[], opts: RunOptions): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = childProcess().spawn(command, args, { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
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
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (err) => (spawnError = err));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(stdout), stderr, timedOut, ...(spawnError ? { spawnError } : {}) });
    });
  });
}
