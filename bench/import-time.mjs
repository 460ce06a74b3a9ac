// Measures the import cost of examples/simple_math.zig: cold (empty zigimport cache), cached in
// checksum mode and cached in release mode, each timed inside a fresh Node process around
// loadSync(), plus a bare process.dlopen of the same artifact as the floor. Prints medians.
// Usage: npm run build && node bench/import-time.mjs [runs]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const runs = Number(process.argv[2] ?? 7);
const file = path.join(root, 'examples', 'simple_math.zig');
const child = `
  const t0 = performance.now();
  const z = require(${JSON.stringify(path.join(root, 'dist', 'index.js'))});
  const t1 = performance.now();
  const m = z.loadSync(${JSON.stringify(file)});
  const t2 = performance.now();
  if (m.add(2, 3) !== 5) throw new Error('wrong answer');
  console.log(JSON.stringify({ requireMs: t1 - t0, loadMs: t2 - t1, artifact: z.describeLoaded(m).key }));`;
const floorChild = (artifact) => `
  const t0 = performance.now();
  const m = { exports: {} };
  process.dlopen(m, ${JSON.stringify(artifact)});
  const t1 = performance.now();
  if (m.exports.add(2, 3) !== 5) throw new Error('wrong answer');
  console.log(JSON.stringify({ loadMs: t1 - t0 }));`;

function run(code, env) {
  const out = execFileSync(process.execPath, ['-e', code], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stats = (xs) => `median ${median(xs).toFixed(2)} ms (min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)}, n=${xs.length})`;

const cold = [];
let buildDir;
for (let i = 0; i < Math.max(3, Math.ceil(runs / 2)); i++) {
  buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zigimport-bench-'));
  cold.push(run(child, { ZIGIMPORT_BUILD_DIR: buildDir }).loadMs);
}
const cached = [];
const release = [];
const floor = [];
let key;
for (let i = 0; i < runs; i++) {
  const r = run(child, { ZIGIMPORT_BUILD_DIR: buildDir });
  cached.push(r.loadMs);
  key = r.artifact;
  release.push(run(child, { ZIGIMPORT_BUILD_DIR: buildDir, ZIGIMPORT_RELEASE_MODE: '1' }).loadMs);
  floor.push(run(floorChild(path.join(buildDir, 'builds', `${key}.node`)), {}).loadMs);
}
console.log(`Node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`);
console.log(`cold import (compile, Debug, Zig global cache warm): ${stats(cold)}`);
console.log(`cached import, checksum mode:                        ${stats(cached)}`);
console.log(`cached import, release mode:                         ${stats(release)}`);
console.log(`floor: bare process.dlopen of the same artifact:     ${stats(floor)}`);
