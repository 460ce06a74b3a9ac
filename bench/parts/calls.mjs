// Part 2: call overhead. zigimport (ReleaseFast) against a hand-written C Node-API addon (the
// floor), plain JavaScript and WebAssembly built by Zig, all timed in one child process.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BENCH, DIST, runNode, tmpDir } from '../lib/env.mjs';
import { buildNativeAddon } from '../lib/native.mjs';
import { buildWasm } from '../lib/wasm.mjs';
import { fmtRatio, fmtTime, summarize } from '../lib/stats.mjs';

export const CALLS_ZIG = path.join(BENCH, 'fixtures', 'calls.zig');
export const CHILD = path.join(BENCH, 'calls-child.mjs');

/**
 * Each implementation is timed in `passes` child processes of its own (implementations taking
 * turns, pass after pass), `rounds` rounds in all: ceil(rounds / passes) per process.
 */
export function timing(quick) {
  return quick ? { roundMs: 10, rounds: 6, passes: 2 } : { roundMs: 50, rounds: 15, passes: 5 };
}

/** The C addon, built once and shared with the peer part (rebuilt if its temp folder went). */
let native;
export function nativeAddon(zigPath) {
  if (!native || !fs.existsSync(native.path)) native = buildNativeAddon(tmpDir('native'), zigPath);
  return native;
}

/**
 * Runs the call benchmarks on `impls`; returns { cases, results }. One implementation per child
 * process: several implementations in one process are not independent. Measured with three
 * copies of the same C addon in one process, the third one prepared took 1.37-1.47x as long per
 * call as the first two (add(f64): 36 ns against 26 ns, three runs; V8 state shared by the
 * process, not the addon). So each process times one implementation, and the processes alternate
 * (A, B, C, A, B, C, ...; the order rotating each pass) so that drift on the machine falls on all.
 */
export function measureCalls(impls, { quick, env = {}, only }) {
  const { roundMs, rounds, passes } = timing(quick);
  const perProcess = Math.ceil(rounds / passes);
  const names = Object.keys(impls);
  const samples = {};
  let cases;
  for (let pass = 0; pass < passes; pass++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(j + pass) % names.length];
      const spec = JSON.stringify({ impls: { [name]: impls[name] }, only, roundMs, rounds: perProcess });
      const out = runNode({ file: CHILD, args: [spec], env, timeoutMs: 900_000 });
      cases = out.cases;
      for (const { id } of out.cases) {
        samples[id] ??= {};
        samples[id][name] ??= [];
        samples[id][name].push(...out.results[id][name].samples);
      }
    }
  }
  const results = Object.fromEntries(
    cases.map(({ id }) => [id, Object.fromEntries(names.map((n) => [n, { ...summarize(samples[id][n]), processes: passes }]))]),
  );
  return { cases, results };
}

/** A table row per case: each implementation's median ns/call and its ratio to `base`. */
export function callRows(measured, names, base) {
  return measured.cases.map(({ id, name }) => {
    const r = measured.results[id];
    const cells = [name];
    for (const n of names) {
      cells.push(fmtTime(r[n].median, 'ns'));
      if (n !== base) cells.push(fmtRatio(r[n].median / r[base].median));
    }
    return cells;
  });
}

/** The case where `name` is slowest against `base`. */
export function slowest(measured, name, base) {
  const all = measured.cases.map(({ id, name: caseName }) => ({
    name: caseName,
    ratio: measured.results[id][name].median / measured.results[id][base].median,
  }));
  return all.reduce((a, b) => (b.ratio > a.ratio ? b : a));
}

export async function callsPart({ quick, log, zig }) {
  log('  building the C addon and the WebAssembly module');
  const c = nativeAddon(zig.path);
  const wasm = buildWasm(tmpDir('wasm'), zig.path);
  log('  compiling bench/fixtures/calls.zig (ReleaseFast) and timing the calls');
  // A copy, so nothing a build writes beside its module lands in the working tree.
  const file = path.join(tmpDir('fixture'), 'calls.zig');
  fs.copyFileSync(CALLS_ZIG, file);
  // `again`: the same C addon timed a second time (A/A): its ratio to `c` is the run's noise.
  const impls = {
    c: { kind: 'addon', path: c.path },
    again: { kind: 'addon', path: c.path },
    zigimport: { kind: 'zigimport', dist: DIST, file, optimize: 'ReleaseFast' },
    js: { kind: 'js' },
    wasm: { kind: 'wasm', path: wasm },
  };
  const measured = measureCalls(impls, { quick, env: { ZIGIMPORT_BUILD_DIR: tmpDir('calls') } });
  const { roundMs, rounds, passes } = timing(quick);
  const worst = slowest(measured, 'zigimport', 'c');
  const noise = Math.max(...measured.cases.map(({ id }) => Math.abs(measured.results[id].again.median / measured.results[id].c.median - 1)));
  return {
    data: { compiler: c.compiler, timing: timing(quick), slowest: worst, noise, ...measured },
    table: {
      title: 'Part 2: call overhead, time per call (ratio to the C addon)',
      columns: ['call', 'C addon', 'C again (A/A)', '×C', 'zigimport', '×C', 'plain JS', '×C', 'WebAssembly', '×C'],
      rows: callRows(measured, ['c', 'again', 'zigimport', 'js', 'wasm'], 'c'),
      notes: [
        `Medians of ${rounds} rounds of about ${roundMs} ms each after warm-up (Float64Array(10,000,000): fewer, longer rounds), in ${passes} processes per implementation, one implementation per process, taking turns; every call's result is checked.`,
        `C again (A/A): the same C addon timed again in processes of its own; its ratio is this run's noise (largest: ${(noise * 100).toFixed(1)}%). A zigimport ratio within that is no measurable difference.`,
        `C addon: bench/native/calls.c (${c.compiler}); zigimport: bench/fixtures/calls.zig, ReleaseFast; WebAssembly: bench/wasm/calls.zig, ReleaseFast.`,
        `Slowest zigimport/C ratio: ${worst.name}, ${fmtRatio(worst.ratio)}.`,
        'WebAssembly strings and arrays are copied into its memory on every call (alloc, copy, call, free); a struct travels as its three fields.',
      ],
    },
  };
}
