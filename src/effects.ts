/**
 * One implementation of each blocking-or-not operation (ensure a build, compile, take a lock,
 * run Zig), with two tiny drivers.
 *
 * zigimport needs every such operation twice: blocking, for `require()`, `loadSync()` and the
 * synchronous ESM hooks (no event loop turn is allowed there), and non-blocking, for `load()`,
 * the CLI and the off-thread hooks. Hand-kept pairs drift: a fix lands in one twin only. So each
 * operation is written once as a generator that `yield`s the few things that differ, the
 * effects below (sleep, spawn a process, hold a compile slot), and receives their results; the
 * logic between them (timeouts, retries, error handling, `try/finally` cleanup) exists once.
 * `performSync` answers each effect by blocking the thread; `perform` answers it with a promise
 * and never blocks the event loop.
 *
 * Why generators and not the alternatives: this is the technique of `@babel/core` (through
 * gensync), written out here in some 100 lines rather than added as a dependency. Injecting an
 * "effects" object with sync and async methods cannot work alone, because the calling code
 * would still have to `await` or not; making everything async and blocking on it from the sync
 * path (a worker thread plus `Atomics.wait`, esbuild's channel) would add a thread and
 * message-passing to every cache miss and complicate the lock's ownership by pid. A generator
 * costs nothing on a cache hit: the ensure step yields no effect before it has found the build.
 *
 * Rules for an operation: do synchronous work directly (fs calls are the same in both worlds),
 * and anything that would wait through `yield*` on an effect helper or another operation.
 */
import { childProcess } from './lazy.js';
import type { Environment, NodeBuffer, StopSignal } from './portable-types.js';

/** A process to start and collect; `command`/`args` are final (see compile/parent-guard.ts). */
export interface SpawnRequest {
  command: string;
  args: string[];
  cwd: string;
  /** Bytes for stdin (then closed). */
  input: NodeBuffer;
  timeoutMs: number;
  /** The signal a timeout sends. */
  stopSignal: StopSignal;
  /** The process's environment (default: this process's). */
  env?: Environment;
}

/** What a finished (or unstartable) process left. */
export interface SpawnResult {
  code: number | null;
  /** The signal's name (Node's `NodeJS.Signals`). */
  signal: string | null;
  stdout: NodeBuffer;
  stderr: string;
  timedOut: boolean;
  /** Set when the process could not be started. */
  error?: Error;
}

/**
 * A limit on operations running at once, taken only by non-blocking ones: a blocking operation
 * holds the whole thread, so nothing else of this process runs beside it anyway.
 */
export class SlotPool {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

export type Effect = { kind: 'sleep'; ms: number } | { kind: 'spawn'; request: SpawnRequest } | { kind: 'slot'; pool: SlotPool };

/** An operation that yields effects and returns `T`; run it with `performSync` or `perform`. */
export type Op<T> = Generator<Effect, T, unknown>;

/** Waits `ms` milliseconds. */
export function* sleep(ms: number): Op<void> {
  yield { kind: 'sleep', ms };
}

/** Runs a process to completion. */
export function* spawn(request: SpawnRequest): Op<SpawnResult> {
  return (yield { kind: 'spawn', request }) as SpawnResult;
}

/**
 * Takes a slot of `pool` when running non-blocking (waiting for one if needed); returns whether
 * one was taken, i.e. whether the caller must release it.
 */
export function* takeSlot(pool: SlotPool): Op<boolean> {
  return (yield { kind: 'slot', pool }) as boolean;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function blockingEffect(effect: Effect): unknown {
  switch (effect.kind) {
    case 'sleep':
      Atomics.wait(sleeper, 0, 0, effect.ms);
      return undefined;
    case 'spawn':
      return spawnBlocking(effect.request);
    case 'slot':
      return false;
  }
}

async function awaitedEffect(effect: Effect): Promise<unknown> {
  switch (effect.kind) {
    case 'sleep':
      return new Promise((resolve) => setTimeout(resolve, effect.ms));
    case 'spawn':
      return spawnAwaited(effect.request);
    case 'slot':
      await effect.pool.acquire();
      return true;
  }
}

/** Runs `op` to completion, blocking the thread on every effect. */
export function performSync<T>(op: Op<T>): T {
  let step = op.next();
  while (!step.done) {
    let result: unknown;
    try {
      result = blockingEffect(step.value);
    } catch (err) {
      step = op.throw(err);
      continue;
    }
    step = op.next(result);
  }
  return step.value;
}

/** Runs `op` to completion without blocking the event loop. */
export async function perform<T>(op: Op<T>): Promise<T> {
  let step = op.next();
  while (!step.done) {
    let result: unknown;
    try {
      result = await awaitedEffect(step.value);
    } catch (err) {
      step = op.throw(err);
      continue;
    }
    step = op.next(result);
  }
  return step.value;
}

function spawnBlocking(req: SpawnRequest): SpawnResult {
  const r = childProcess().spawnSync(req.command, req.args, {
    cwd: req.cwd,
    ...(req.env ? { env: req.env } : {}),
    input: req.input,
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: req.timeoutMs,
    killSignal: req.stopSignal,
    maxBuffer: 256 * 1024 * 1024,
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return {
    code: r.status,
    signal: r.signal,
    stdout: r.stdout ?? Buffer.alloc(0),
    stderr: r.stderr?.toString() ?? '',
    timedOut,
    ...(r.error && !timedOut ? { error: r.error } : {}),
  };
}

function spawnAwaited(req: SpawnRequest): Promise<SpawnResult> {
  return new Promise((resolve) => {
    const child = childProcess().spawn(req.command, req.args, { cwd: req.cwd, ...(req.env ? { env: req.env } : {}), stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    let error: Error | undefined;
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    child.stdin.on('error', () => {}); // The process may exit before reading (bad flags): its stderr says why.
    child.stdin.end(req.input);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill(req.stopSignal);
    }, req.timeoutMs);
    child.on('error', (err) => (error = err));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString(), timedOut, ...(error ? { error } : {}) });
    });
  });
}
