// Part 6: the WebAssembly backend. bench/fixtures/calls.zig imported with target: 'wasm' (its
// numbers, strings and typed arrays take the fast path: raw exports behind generated wrappers;
// the struct and the returned string go through emnapi's Node-API), against the hand-written
// WebAssembly of bench/wasm/calls.zig and the same module as a Node-API addon, in one child.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST, tmpDir } from '../lib/env.mjs';
import { buildWasm } from '../lib/wasm.mjs';
import { fmtRatio } from '../lib/stats.mjs';
import { CALLS_ZIG, callRows, measureCalls, timing } from './calls.mjs';

const CASES = ['addF64', 'addI32', 'str10', 'str10k', 'sum1k', 'struct', 'retstr'];

export async function wasmPart({ quick, log, zig }) {
  log('  building the hand-written WebAssembly and bench/fixtures/calls.zig as WebAssembly and as an addon');
  const hand = buildWasm(tmpDir('wasm-hand'), zig.path);
  const file = path.join(tmpDir('wasm-fixture'), 'calls.zig');
  fs.copyFileSync(CALLS_ZIG, file);
  const impls = {
    wasm: { kind: 'wasm', path: hand },
    zigwasm: { kind: 'zigimport', dist: DIST, file, optimize: 'ReleaseFast', target: 'wasm' },
    zigimport: { kind: 'zigimport', dist: DIST, file, optimize: 'ReleaseFast' },
  };
  const measured = measureCalls(impls, { quick, only: CASES, env: { ZIGIMPORT_BUILD_DIR: tmpDir('wasm-calls') } });
  const { roundMs, rounds } = timing(quick);
  const ratios = Object.fromEntries(measured.cases.map(({ id }) => [id, measured.results[id].zigwasm.median / measured.results[id].wasm.median]));
  return {
    data: { timing: timing(quick), ratios, ...measured },
    table: {
      title: 'Part 6: the WebAssembly backend, time per call (ratio to hand-written WebAssembly)',
      columns: ['call', 'hand-written wasm', 'zigimport wasm', '×hand', 'zigimport Node-API', '×hand'],
      rows: callRows(measured, ['wasm', 'zigwasm', 'zigimport'], 'wasm'),
      notes: [
        `Medians of ${rounds} rounds of about ${roundMs} ms each after warm-up; every call's result is checked. All ReleaseFast.`,
        'zigimport wasm: numbers, strings and typed arrays call the raw export through a generated wrapper (strings encoded into a reused scratch area); the struct and the returned string take the general path (emnapi, a JavaScript Node-API).',
        `Scalar ratios: add(f64) ${fmtRatio(ratios.addF64)}, add(i32) ${fmtRatio(ratios.addI32)}; string 10 B ${fmtRatio(ratios.str10)}; Float64Array(1,000) ${fmtRatio(ratios.sum1k)}.`,
      ],
    },
  };
}
