// The three ways in give the same result: --import / import / require of zigimport/register,
// and the programmatic load(); on Node 20 (module.register) and newer (module.registerHooks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childEnv, extraNodes, linkPackage, runNode, tempDir, writeSource, ROOT } from './helpers.mjs';

const project = tempDir('proj-');
linkPackage(project);
fs.copyFileSync(path.join(ROOT, 'examples', 'simple_math.zig'), path.join(project, 'simple_math.zig'));
const incDir = path.join(project, 'zig-lib');
fs.mkdirSync(incDir);
writeSource(path.join(incDir, 'inc_mod.zig'), 'pub fn value() i32 {\n    return 77;\n}\n');

const files = {
  'esm-static.mjs': `
    import { add, fibonacci } from './simple_math.zig';
    import math from './simple_math.zig';
    import { createRequire } from 'node:module';
    const required = createRequire(import.meta.url)('./simple_math.zig');
    const dynamic = await import('./simple_math.zig');
    console.log(JSON.stringify({
      add: add(2, 3), fib: String(fibonacci(10)), defaultAdd: math.add(1, 1),
      sameAsRequire: required === math, sameAsDynamic: dynamic.default === math && dynamic.add === add,
      names: Object.keys(dynamic).sort(),
    }));`,
  'esm-entry.mjs': `
    import 'zigimport/register';
    const inner = await import('./esm-inner.mjs');
    console.log(JSON.stringify(inner.result));`,
  'esm-inner.mjs': `
    import { multiply } from './simple_math.zig';
    export const result = { multiply: multiply(2.5, 4) };`,
  'cjs-entry.cjs': `
    require('zigimport/register');
    const a = require('./simple_math.zig');
    const b = require('./simple_math.zig');
    const inc = require('inc_mod.zig');
    import('./simple_math.zig').then((ns) => console.log(JSON.stringify({
      add: a.add(20, 22), same: a === b, sameAsImport: ns.default === a, inc: inc.value(),
    })));`,
  'bare.mjs': `
    import inc from 'inc_mod.zig';
    import { add } from './simple_math.zig?verbose=1';
    console.log(JSON.stringify({ inc: inc.value(), add: add(1, 2) }));`,
  'programmatic.mjs': `
    import { load, loadSync } from 'zigimport';
    const fromCwd = await load('./simple_math.zig');
    const fromUrl = await load('../simple_math.zig', { from: new URL('./sub/', import.meta.url) });
    const sync = loadSync('simple_math.zig');
    console.log(JSON.stringify({ add: fromCwd.add(1, 2), same: fromCwd === fromUrl && fromUrl === sync }));`,
  'app.ts': `
    import { add } from './simple_math.zig';
    const n: number = add(4, 5) as number;
    console.log(JSON.stringify({ add: n }));`,
};
for (const [name, text] of Object.entries(files)) writeSource(path.join(project, name), text.replace(/^\n/, ''));
fs.mkdirSync(path.join(project, 'sub'));

const env = childEnv({ ZIGIMPORT_INCLUDE_PATHS: incDir });

async function runJson(args, node) {
  const r = await runNode(args, { cwd: project, env, node });
  assert.equal(r.code, 0, `node ${args.join(' ')} failed:\n${r.stderr}`);
  return { out: JSON.parse(r.stdout.trim().split('\n').pop()), stderr: r.stderr };
}

test('node --import zigimport/register: named, default, dynamic and required are the same module', async () => {
  const { out } = await runJson(['--import', 'zigimport/register', 'esm-static.mjs']);
  assert.deepEqual(out, {
    add: 5,
    fib: '55',
    defaultAdd: 2,
    sameAsRequire: true,
    sameAsDynamic: true,
    names: ['add', 'default', 'fibonacci', 'multiply'],
  });
});

test("import 'zigimport/register' at the top of an ESM entry hooks later-loaded modules", async () => {
  assert.deepEqual((await runJson(['esm-entry.mjs'])).out, { multiply: 10 });
});

test("require('zigimport/register'): require twice gives the same object, shared with import()", async () => {
  assert.deepEqual((await runJson(['cjs-entry.cjs'])).out, { add: 42, same: true, sameAsImport: true, inc: 77 });
});

test('bare specifiers come from ZIGIMPORT_INCLUDE_PATHS; a query sets per-import options', async () => {
  const { out, stderr } = await runJson(['--import', 'zigimport/register', 'bare.mjs']);
  assert.deepEqual(out, { inc: 77, add: 3 });
  assert.match(stderr, /\[zigimport\].*simple_math\.zig.* load /, 'verbose=1 in the query turned on logging for that import');
  assert.doesNotMatch(stderr, /inc_mod\.zig.* load /, 'and only for that import');
});

test('programmatic load()/loadSync() with no hooks, relative to cwd or to `from`', async () => {
  assert.deepEqual((await runJson(['programmatic.mjs'])).out, { add: 3, same: true });
});

test('the same entries work on every Node version available (ZIGIMPORT_TEST_NODES)', async (t) => {
  const nodes = extraNodes();
  if (nodes.length === 0) {
    assert.ok(!process.env.CI, 'CI must set ZIGIMPORT_TEST_NODES (see .ci/run)');
    t.skip('ZIGIMPORT_TEST_NODES not set: only the default node was tested');
    return;
  }
  for (const node of nodes) {
    const version = (await runNode(['--version'], { node })).stdout.trim();
    await t.test(version, async () => {
      assert.equal((await runJson(['--import', 'zigimport/register', 'esm-static.mjs'], node)).out.add, 5);
      assert.deepEqual((await runJson(['cjs-entry.cjs'], node)).out, { add: 42, same: true, sameAsImport: true, inc: 77 });
      assert.deepEqual((await runJson(['esm-entry.mjs'], node)).out, { multiply: 10 });
      const strips = (await runNode(['-p', 'Boolean(process.features.typescript)'], { node })).stdout.trim() === 'true';
      if (strips) assert.deepEqual((await runJson(['--import', 'zigimport/register', 'app.ts'], node)).out, { add: 9 });
    });
  }
});
