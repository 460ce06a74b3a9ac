// Bun (from the npm package `bun`, ZIGIMPORT_TEST_BUN): `.zig` imports through zigimport's Bun
// plugin, in every way in that issue 14 lists: --preload, bunfig.toml preload (run time and
// [test]), a preloaded file importing zigimport/register, `bun test`, and Bun.build bundles for
// targets bun and node that run without zigimport or its cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, childEnv, linkPackage, tempDir } from './helpers.mjs';
import { runtimeBinary } from './support/runtimes.mjs';

const bun = runtimeBinary('ZIGIMPORT_TEST_BUN', 'Bun');
const skip = bun.skip ?? false;

function project() {
  const dir = tempDir('bun-');
  fs.copyFileSync(path.join(ROOT, 'examples', 'simple_math.zig'), path.join(dir, 'math.zig'));
  linkPackage(dir);
  return dir;
}

function runBun(args, cwd, env = childEnv()) {
  const r = spawnSync(bun.path, args, { cwd, env, encoding: 'utf8' });
  return { ...r, output: r.stdout + r.stderr };
}

const APP = `import { add, fibonacci } from './math.zig';
import math from './math.zig';
const dynamic = await import('./math.zig');
const required = require('./math.zig');
console.log(JSON.stringify([add(2, 3), String(fibonacci(90)), math.add === add, dynamic.add(4, 5), required.add === add]));
`;
const EXPECTED = JSON.stringify([5, '2880067194370816120', true, 9, true]);

test('bun --preload zigimport/register: static, default, dynamic import and require of .zig', { skip }, () => {
  const dir = project();
  fs.writeFileSync(path.join(dir, 'app.ts'), APP);
  const r = runBun(['--preload', 'zigimport/register', 'app.ts'], dir);
  assert.equal(r.status, 0, r.output);
  assert.equal(r.stdout.trim(), EXPECTED);
  // Same declarations as on Node: the fresh build wrote them beside the module.
  assert.match(fs.readFileSync(path.join(dir, 'math.d.zig.ts'), 'utf8'), /export declare function add\(a: number, b: number\): number;/);
});

test('bunfig.toml preload of a file that imports zigimport/register', { skip }, () => {
  const dir = project();
  fs.writeFileSync(path.join(dir, 'app.mjs'), APP);
  fs.writeFileSync(path.join(dir, 'setup.ts'), "import 'zigimport/register';\n");
  fs.writeFileSync(path.join(dir, 'bunfig.toml'), 'preload = ["./setup.ts"]\n');
  const r = runBun(['app.mjs'], dir);
  assert.equal(r.status, 0, r.output);
  assert.equal(r.stdout.trim(), EXPECTED);
});

test('bun test with [test] preload = ["zigimport/register"]', { skip }, () => {
  const dir = project();
  fs.writeFileSync(path.join(dir, 'bunfig.toml'), '[test]\npreload = ["zigimport/register"]\n');
  fs.writeFileSync(
    path.join(dir, 'math.test.ts'),
    `import { test, expect } from 'bun:test';
import { add, multiply } from './math.zig';
test('add', () => { expect(add(2, 3)).toBe(5); });
test('multiply', () => { expect(multiply(2.5, 4)).toBe(10); });
test('a wrong argument is a TypeError', () => { expect(() => (add as any)('x', 1)).toThrow(TypeError); });
`,
  );
  const r = runBun(['test', './math.test.ts'], dir);
  assert.equal(r.status, 0, r.output);
  assert.match(r.output, /3 pass/);
  assert.match(r.output, /0 fail/);
});

test('an import query picks the build (optimize=ReleaseFast is another build than the default)', { skip }, () => {
  const dir = project();
  fs.writeFileSync(
    path.join(dir, 'app.mjs'),
    `import { describeLoaded } from 'zigimport';
import * as debug from './math.zig';
import * as fast from './math.zig?optimize=ReleaseFast';
console.log(JSON.stringify([fast.add(1, 2), describeLoaded(debug.default).key !== describeLoaded(fast.default).key]));
`,
  );
  const r = runBun(['--preload', 'zigimport/register', 'app.mjs'], dir);
  assert.equal(r.status, 0, r.output);
  assert.equal(r.stdout.trim(), JSON.stringify([3, true]));
});

test('Bun.build with zigimportBunPlugin(): bundles for targets bun and node run without zigimport or its cache', { skip }, () => {
  const dir = project();
  fs.writeFileSync(path.join(dir, 'app.mjs'), `import { add, fibonacci } from './math.zig';\nconsole.log(add(20, 22), String(fibonacci(10)));\n`);
  fs.writeFileSync(
    path.join(dir, 'build.mjs'),
    `import { zigimportBunPlugin } from 'zigimport/bun';
for (const target of ['bun', 'node']) {
  const r = await Bun.build({ entrypoints: ['./app.mjs'], outdir: './out-' + target, target, plugins: [zigimportBunPlugin()] });
  if (!r.success) throw new AggregateError(r.logs, 'build failed');
}
const browser = await Bun.build({ entrypoints: ['./app.mjs'], outdir: './out-browser', target: 'browser', plugins: [zigimportBunPlugin()], throw: false });
console.log(JSON.stringify({ browser: browser.success, logs: browser.logs.map(String) }));
`,
  );
  const built = runBun(['build.mjs'], dir);
  assert.equal(built.status, 0, built.output);
  const report = JSON.parse(built.stdout.trim().split('\n').at(-1));
  assert.equal(report.browser, false);
  assert.match(report.logs.join('\n'), /cannot run in a browser bundle/);
  // Moved away from the project (no node_modules) with an empty cache: the bundle is self-contained.
  const elsewhere = tempDir('bun-dist-');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('bun-empty-cache-') });
  for (const target of ['bun', 'node']) {
    fs.cpSync(path.join(dir, `out-${target}`), path.join(elsewhere, target), { recursive: true });
    assert.ok(
      fs.readdirSync(path.join(elsewhere, target)).some((f) => f.endsWith('.node')),
      `no .node file in the ${target} bundle`,
    );
  }
  for (const [runtime, target] of [
    [bun.path, 'bun'],
    [process.execPath, 'node'],
    [bun.path, 'node'],
  ]) {
    const r = spawnSync(runtime, [path.join(elsewhere, target, 'app.js')], { cwd: elsewhere, env, encoding: 'utf8' });
    assert.equal(r.status, 0, `${runtime} ${target}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stdout.trim(), '42 55');
  }
});
