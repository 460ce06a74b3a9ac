// TypeScript consumers of the published package, with tsc 5.x (this repo's devDependency) and
// tsc 7.x (the Go-based `tsgo` of @typescript/native-preview, ZIGIMPORT_TEST_TSC7): zigimport's own
// declarations type-check with skipLibCheck off and no @types/node, and the typed programmatic API
// (`load<T>`, `loadSync<T>`, `reload`) types results from a module's .d.zig.ts, rejecting wrong calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from './helpers.mjs';
import { runtimeBinary } from './support/runtimes.mjs';
import { consumerProject } from './support/consumer.mjs';

const tsc7 = runtimeBinary('ZIGIMPORT_TEST_TSC7', 'TypeScript 7 (tsgo)');
const COMPILERS = [
  { name: 'tsc 5', command: process.execPath, args: [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')], skip: false },
  { name: 'tsc 7', command: tsc7.path, args: [], skip: tsc7.skip ?? false },
];

const MATH = fs.readFileSync(path.join(ROOT, 'examples', 'simple_math.zig'), 'utf8');
const MATH_TYPES = fs.readFileSync(path.join(ROOT, 'examples', 'simple_math.d.zig.ts'), 'utf8');

// Each @ts-expect-error line must be needed: the test removes them and counts the errors.
const APP = `import { load, loadSync, reload, installImportHooks, type ZigExports } from 'zigimport';
import { add } from './math.zig';
type Math = typeof import('./math.zig');
const sum: number = add(1, 2);
const sync = loadSync<Math>('./math.zig', { from: import.meta.url });
const product: number = sync.multiply(2, 3);
const loaded = await load<Math>(new URL('./math.zig', import.meta.url));
const again: Math = await reload(loaded);
const big: bigint = again.fibonacci(10);
const untyped: ZigExports = loadSync('./math.zig');
// @ts-expect-error add takes numbers
sync.add('1', 2);
// @ts-expect-error fibonacci returns a bigint
const wrong: number = loaded.fibonacci(3);
// @ts-expect-error the module has no such export
loaded.subtract(1, 2);
// @ts-expect-error an untyped load gives unknown values, not functions
untyped.add(1, 2);
console.log(sum, product, big, wrong, installImportHooks().kind);
`;

function typeCheck(compiler, dir) {
  const r = spawnSync(compiler.command, [...compiler.args, '-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

for (const compiler of COMPILERS) {
  test(`${compiler.name}: zigimport's declarations and the typed API, skipLibCheck off, no @types/node`, { skip: compiler.skip }, () => {
    const dir = consumerProject({ 'math.zig': MATH, 'math.d.zig.ts': MATH_TYPES, 'app.mts': APP });
    assert.ok(!fs.existsSync(path.join(dir, 'node_modules', '@types')));
    const ok = typeCheck(compiler, dir);
    assert.equal(ok.status, 0, ok.output);
    fs.writeFileSync(path.join(dir, 'app.mts'), APP.replaceAll('// @ts-expect-error', '// (wrong)'));
    const bad = typeCheck(compiler, dir);
    const lines = new Set([...bad.output.matchAll(/app\.mts\((\d+),/g)].map((m) => m[1]));
    assert.equal(lines.size, APP.split('// @ts-expect-error').length - 1, bad.output);
    assert.doesNotMatch(bad.output, /node_modules\/zigimport/);
  });

  test(`${compiler.name}: a CommonJS consumer and the zigimport/bun and zigimport/register entries`, { skip: compiler.skip }, () => {
    const dir = consumerProject({
      'math.zig': MATH,
      'math.d.zig.ts': MATH_TYPES,
      'app.cts': `import zigimport = require('zigimport');
import 'zigimport/register';
import { zigimportBunPlugin } from 'zigimport/bun';
const m = zigimport.loadSync<typeof import('./math.zig')>(__dirname + '/math.zig');
const n: number = m.add(1, 2);
const plugin: { name: string } = zigimportBunPlugin({ optimize: 'ReleaseFast' });
export = [n, plugin];
`,
    });
    // No @types/node: declare the two CommonJS globals this file uses, as a project without Node's types would.
    fs.writeFileSync(path.join(dir, 'globals.d.ts'), 'declare var __dirname: string;\n');
    const r = typeCheck(compiler, dir);
    assert.equal(r.status, 0, r.output);
  });
}
