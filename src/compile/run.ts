/**
 * Runs a Zig process to completion, blocking or not, with a time limit, and gathers what it
 * printed. Both the compile and the `zig build` configure step go through here.
 *
 * The compiler ends with its parent: when Node dies mid-compile (SIGKILL, OOM killer), an
 * orphaned compiler would otherwise run on for seconds, reparented to init. On Linux the process
 * is started through util-linux's `setpriv --pdeathsig KILL`, which sets PR_SET_PDEATHSIG and
 * execs zig (about 1 ms per compile). Neither Node nor a `--listen=-` compiler can do it
 * themselves: Node has no prctl, and the compiler reads stdin (and so sees EOF) only between
 * updates, not during one. Without setpriv (other systems, minimal images) zig runs directly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
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

let setprivPath: string | null | undefined;

/** util-linux's setpriv, if this is Linux and it is on PATH (looked up once per process). */
function findSetpriv(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  setprivPath = null;
  if (process.platform !== 'linux') return null;
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter)) {
    const candidate = path.join(dir || '.', 'setpriv');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      setprivPath = candidate;
      break;
    } catch {
      // Not in this folder.
    }
  }
  return setprivPath;
}

/** The command line that runs `command` so that the kernel kills it when this process dies. */
export function boundToParent(command: string, args: string[]): { command: string; args: string[] } {
  const setpriv = findSetpriv();
  return setpriv ? { command: setpriv, args: ['--pdeathsig', 'KILL', '--', command, ...args] } : { command, args };
}

/** setpriv's exit codes when it could not exec the command (util-linux EX_EXEC_FAILED, EX_EXEC_ENOENT). */
const SETPRIV_EXEC_FAILED = [126, 127];

/** A failed exec reported by setpriv, as the spawn error Node reports when it runs zig itself. */
function launchError(bound: { command: string }, command: string, code: number | null, stderr: string): Error | undefined {
  if (bound.command === command || code === null || !SETPRIV_EXEC_FAILED.includes(code)) return undefined;
  const line = /^setpriv: .*$/m.exec(stderr);
  return line ? new Error(line[0]) : undefined;
}

export function runSync(command: string, args: string[], opts: RunOptions): Outcome {
  const bound = boundToParent(command, args);
  const r = childProcess().spawnSync(bound.command, bound.args, {
    cwd: opts.cwd,
    input: opts.input ?? Buffer.alloc(0),
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: opts.timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024 * 1024,
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  const stderr = r.stderr?.toString() ?? '';
  const spawnError = timedOut ? undefined : r.error ?? launchError(bound, command, r.status, stderr);
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
    const bound = boundToParent(command, args);
    const child = childProcess().spawn(bound.command, bound.args, { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
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
      spawnError ??= launchError(bound, command, code, stderr);
      resolve({ code, signal, stdout: Buffer.concat(stdout), stderr, timedOut, ...(spawnError ? { spawnError } : {}) });
    });
  });
}
