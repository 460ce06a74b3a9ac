// npm run bench [-- --quick] [--only import,calls,peer,scale,process,wasm] [--no-readme] [--force-readme]
// Runs the six parts of the benchmark, prints one table per part, writes JSON under
// bench/results/ and regenerates the README's Performance section: after a full (not --quick) run
// of all parts, or whenever --readme is given. A failed part exits 1 and leaves the README alone.
// So does a busy machine: when the 1-minute load average exceeds the core count at the start or
// the end of the run, the README is left alone (exit 3) unless --force-readme is given.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { RESULTS, machine, removeTmp, zig as findZig } from './lib/env.mjs';
import { toText } from './lib/table.mjs';
import { updateReadme } from './lib/readme.mjs';
import { importPart } from './parts/import.mjs';
import { callsPart } from './parts/calls.mjs';
import { peerPart } from './parts/peer.mjs';
import { scalePart } from './parts/scale.mjs';
import { processPart } from './parts/process.mjs';
import { wasmPart } from './parts/wasm.mjs';

const PARTS = { import: importPart, calls: callsPart, peer: peerPart, scale: scalePart, process: processPart, wasm: wasmPart };
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    readme: { type: 'boolean' },
    'no-readme': { type: 'boolean', default: false },
    'force-readme': { type: 'boolean', default: false },
  },
});
const only = values.only ? values.only.split(',') : Object.keys(PARTS);
for (const p of only) if (!PARTS[p]) throw new Error(`--only: unknown part "${p}" (parts: ${Object.keys(PARTS).join(', ')})`);

const started = performance.now();
const date = new Date().toISOString();
const log = (msg) => process.stderr.write(`${msg}\n`);
const m = machine();
/** The 1-minute load average, rounded: other work on the machine skews every figure. */
const loadAverage = () => Math.round(os.loadavg()[0] * 100) / 100;
const load = { start: loadAverage(), end: undefined };
const zig = findZig();
console.log(
  `zigimport bench${values.quick ? ' (--quick)' : ''}: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; Node ${m.node}; Zig ${zig.version} (${zig.path}); load average ${load.start}\n`,
);

const results = { date, quick: values.quick, machine: m, zig, load, parts: {} };
const tables = [];
let failed = false;
for (const name of only) {
  log(`part ${name}...`);
  const t0 = performance.now();
  try {
    const r = await PARTS[name]({ quick: values.quick, log, zig });
    results.parts[name] = { seconds: (performance.now() - t0) / 1000, ...r.data };
    for (const t of [r.table, r.callsTable].filter(Boolean)) {
      tables.push(t);
      console.log(`${toText(t)}\n`);
    }
  } catch (err) {
    failed = true;
    results.parts[name] = { error: err.message };
    console.error(`part ${name} FAILED: ${err.stack ?? err.message}`);
  }
  log(`part ${name}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  removeTmp();
}
const seconds = (performance.now() - started) / 1000;
results.seconds = seconds;
load.end = loadAverage();
fs.mkdirSync(RESULTS, { recursive: true });
const out = path.join(RESULTS, `bench-${date.replaceAll(':', '-').slice(0, 19)}${values.quick ? '-quick' : ''}.json`);
fs.writeFileSync(out, JSON.stringify(results, null, 2));
fs.writeFileSync(path.join(RESULTS, 'latest.json'), JSON.stringify(results, null, 2));
console.log(`results: ${path.relative(process.cwd(), out)}; ${seconds.toFixed(0)} s in all`);

const writeReadme = !failed && !values['no-readme'] && (values.readme ?? (!values.quick && only.length === Object.keys(PARTS).length));
const busy = Math.max(load.start, load.end) > m.cores;
if (writeReadme && busy && !values['force-readme']) {
  console.log(
    `README.md left alone: the 1-minute load average was ${load.start} at the start and ${load.end} at the end, above the ${m.cores} cores, ` +
      'so other work skewed these figures. Run again on a quiet machine, or pass --force-readme to write them anyway.',
  );
  process.exit(3);
}
if (writeReadme) {
  updateReadme({ date, machine: m, zig, quick: values.quick, seconds, tables, load: { ...load, forced: busy } });
  console.log('README.md: Performance section regenerated');
}
process.exit(failed ? 1 : 0);
