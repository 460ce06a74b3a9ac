/** `ZIGIMPORT_VERBOSE`: each step and its time, on stderr. */
import { colorsFor } from './colors.js';

export interface StepLog {
  /** Logs a finished step; `ms` is its duration. */
  step(name: string, ms: number, detail?: string): void;
  /** Logs a line without a duration. */
  info(text: string): void;
  /** Runs `fn` and logs it as a step. */
  time<T>(name: string, fn: () => T, detail?: (result: T) => string): T;
}

/**
 * Milliseconds from an arbitrary start, for step times. `process.hrtime`, not `performance.now()`:
 * Node 20 loads `perf_hooks` (~2 ms) on the first use of the global `performance`, and every
 * import times its settings resolution whether or not anything is logged.
 */
export function nowMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns / 1e6;
}

const silent: StepLog = {
  step() {},
  info() {},
  time: (_name, fn) => fn(),
};

export function createLog(verbose: boolean, subject: string): StepLog {
  if (!verbose) return silent;
  const pc = colorsFor(process.stderr);
  const prefix = `${pc.cyan('[zigimport]')} ${pc.dim(subject)}`;
  const log: StepLog = {
    step(name, ms, detail) {
      process.stderr.write(`${prefix} ${name} ${pc.yellow(`${ms.toFixed(2)}ms`)}${detail ? ` ${detail}` : ''}\n`);
    },
    info(text) {
      process.stderr.write(`${prefix} ${text}\n`);
    },
    time(name, fn, detail) {
      const start = nowMs();
      const result = fn();
      log.step(name, nowMs() - start, detail?.(result));
      return result;
    },
  };
  return log;
}
