// Part 2: call overhead. zigimport (ReleaseFast) against a hand-written C Node-API addon (the
// floor), plain JavaScript and WebAssembly built by Zig, all timed in one child process.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BENCH, DIST, runNode, tmpDir } from '../lib/env.mjs';
import { buildNativeAddon } from '../lib/native.mjs';
import { buildWasm } from '../lib/wasm.mjs';
import { fmtRatio, fmtTime } from '../lib/stats.mjs';

export const CALLS_ZIG = path.join(BENCH, 'fixtures', 'calls.zig');
export const CHILD = path.join(BENCH, 'calls-child.mjs');

export function timing(quick) {
  return quick ? { roundMs: 10, rounds: 5 } : { roundMs: 50, rounds: 15 };
}

/** The C addon, built once and shared with the peer part (rebuilt if its temp folder went). */
let native;
export function nativeAddon(zigPath) {
  if (!native || !fs.existsSync(native.path)) native = buildNativeAddon(tmpDir('native'), zigPath);
  return native;
}

/** Runs the call benchmarks on `impls`; returns { cases, results }. */
export function measureCalls(impls, { quick, env = {}, only }) {
  return runNode({ file: CHILD, args: [JSON.stringify({ impls, only, ...timing(quick) })], env, timeoutMs: 900_000 });
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
  const impls = {
    c: { kind: 'addon', path: c.path },
    zigimport: { kind: 'zigimport', dist: DIST, file, optimize: 'ReleaseFast' },
    js: { kind: 'js' },
    wasm: { kind: 'wasm', path: wasm },
  };
  const measured = measureCalls(impls, { quick, env: { ZIGIMPORT_BUILD_DIR: tmpDir('calls') } });
  const { roundMs, rounds } = timing(quick);
  const worst = slowest(measured, 'zigimport', 'c');
  return {
    data: { compiler: c.compiler, timing: timing(quick), slowest: worst, ...measured },
    table: {
      title: 'Part 2: call overhead, time per call (ratio to the C addon)',
      columns: ['call', 'C addon', 'zigimport', '×C', 'plain JS', '×C', 'WebAssembly', '×C'],
      rows: callRows(measured, ['c', 'zigimport', 'js', 'wasm'], 'c'),
      notes: [
        `Medians of ${rounds} rounds of about ${roundMs} ms each after warm-up (Float64Array(10,000,000): fewer, longer rounds); every call's result is checked.`,
        `C addon: bench/native/calls.c (${c.compiler}); zigimport: bench/fixtures/calls.zig, ReleaseFast; WebAssembly: bench/wasm/calls.zig, ReleaseFast.`,
        `Slowest zigimport/C ratio: ${worst.name}, ${fmtRatio(worst.ratio)}.`,
        'WebAssembly strings and arrays are copied into its memory on every call (alloc, copy, call, free); a struct travels as its three fields.',
      ],
    },
  };
}
