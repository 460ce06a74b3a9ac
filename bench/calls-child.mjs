// Child process of the call-overhead parts: opens each implementation, checks it once, times every
// case on every implementation (case by case, implementations interleaved) and prints JSON with
// every round's time (`samples`). bench/parts/calls.mjs gives each child one implementation (see
// measureCalls there for why).
// argv[2]: JSON { impls: { name: spec }, roundMs, rounds }.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { makeCases, prepareCase, timeRound } from './lib/cases.mjs';
import { plain } from './lib/plain.mjs';
import { openWasm } from './lib/wasm.mjs';
import { summarize } from './lib/stats.mjs';

const { impls, roundMs, rounds, only } = JSON.parse(process.argv[2]);

async function open(spec) {
  switch (spec.kind) {
    case 'js':
      return plain;
    case 'addon': {
      const m = { exports: {} };
      process.dlopen(m, spec.path);
      return m.exports;
    }
    case 'zigimport': {
      const { loadSync } = createRequire(import.meta.url)(spec.dist);
      return loadSync(spec.file, { optimize: spec.optimize, ...(spec.target ? { target: spec.target } : {}) });
    }
    case 'wasm':
      return openWasm(spec.path);
    case 'zigar': {
      // node-zigar returns a []const u8 as a slice object; `.string` decodes it.
      const req = createRequire(path.join(spec.peerDir, 'package.json'));
      req('node-zigar/cjs');
      const m = createRequire(spec.file)(spec.file);
      return { ...pick(m), greeting: () => m.greeting().string };
    }
    default:
      throw new Error(`unknown implementation kind ${spec.kind}`);
  }
}
const pick = (m) => Object.fromEntries(['addF64', 'addI32', 'addI64', 'byteSum', 'weigh', 'sum'].map((k) => [k, m[k]]));

const opened = {};
for (const [name, spec] of Object.entries(impls)) opened[name] = await open(spec);

// Case by case; within a case the implementations take turns round by round (in a rotating
// order), so drift and noise on the machine fall on all of them alike.
const cases = makeCases().filter((c) => !only || only.includes(c.id));
const names = Object.keys(opened);
const results = {};
for (const c of cases) {
  // Big inputs: fewer, longer rounds are enough and keep the run bounded.
  const ms = c.big ? roundMs * 4 : roundMs;
  const count = c.big ? Math.max(3, Math.ceil(rounds / 2)) : rounds;
  const prepared = {};
  const samples = {};
  for (const name of names) {
    const f = opened[name][c.fn];
    if (typeof f !== 'function') throw new Error(`${name} has no function ${c.fn}`);
    prepared[name] = prepareCase(c, f, ms);
    samples[name] = [];
  }
  for (let k = 0; k < count; k++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(j + k) % names.length];
      samples[name].push(timeRound(prepared[name]));
    }
  }
  results[c.id] = Object.fromEntries(names.map((n) => [n, { ...summarize(samples[n]), samples: samples[n], callsPerRound: prepared[n].n }]));
}
console.log(JSON.stringify({ cases: cases.map(({ id, name }) => ({ id, name })), results }));
