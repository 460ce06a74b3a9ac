// Deno (from the npm package `deno`, ZIGIMPORT_TEST_DENO) with zigimport installed as npm would
// (node_modules, "nodeModulesDir": "manual"): Deno 2.9 implements `module.registerHooks`, so
// `--preload` of the register entry serves static imports of .zig in the main module, and
// `import 'zigimport/register'` serves modules loaded after it; `load()` with a URL is the
// one-line way without hooks; `deno check` types a .zig import through `// @ts-types`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, childEnv } from './helpers.mjs';
import { runtimeBinary } from './support/runtimes.mjs';
import { consumerProject } from './support/consumer.mjs';

const deno = runtimeBinary('ZIGIMPORT_TEST_DENO', 'Deno');
const skip = deno.skip ?? false;
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
// What a build needs: read/write the cache, env settings, uid (cache trust check), run zig, load the addon.
const PERMISSIONS = ['--allow-read', '--allow-write', '--allow-env', '--allow-sys', '--allow-run', '--allow-ffi'];

function project(files) {
  const dir = consumerProject({
    'math.zig': fs.readFileSync(path.join(ROOT, 'examples', 'simple_math.zig'), 'utf8'),
    'math.d.zig.ts': fs.readFileSync(path.join(ROOT, 'examples', 'simple_math.d.zig.ts'), 'utf8'),
    'deno.json': JSON.stringify({ nodeModulesDir: 'manual' }),
    // zigimport listed as a dependency, as a project that installed it has it: `npm:zigimport/...` resolves.
    'package.json': JSON.stringify({ private: true, dependencies: { zigimport: VERSION } }),
    ...files,
  });
  return dir;
}

function runDeno(args, cwd) {
  const r = spawnSync(deno.path, args, { cwd, env: childEnv({ NO_COLOR: '1' }), encoding: 'utf8' });
  return { ...r, output: r.stdout + r.stderr };
}

const STATIC = `// @ts-types="./math.d.zig.ts"
import { add, fibonacci } from './math.zig';
// @ts-types="./math.d.zig.ts"
import math from './math.zig';
import { createRequire } from 'node:module';
import { installImportHooks } from 'zigimport';
const dynamic = await import('./math.zig');
const required = createRequire(import.meta.url)('./math.zig');
const sum: number = add(2, 3);
console.log(JSON.stringify([sum, String(fibonacci(90)), math.add === add, dynamic.add(4, 5), required.add === add, installImportHooks().kind]));
`;

// `zigimport/register` alone is taken for a path by --preload ("Module not found file:///…/zigimport/register").
for (const preload of ['npm:zigimport/register', './node_modules/zigimport/dist/esm/register.mjs']) {
  test(`deno run --preload ${preload}: static, default and dynamic import and require of .zig in the main module`, { skip }, () => {
    const dir = project({ 'app.ts': STATIC });
    const r = runDeno(['run', ...PERMISSIONS, '--preload', preload, 'app.ts'], dir);
    assert.equal(r.status, 0, r.output);
    assert.equal(r.stdout.trim(), JSON.stringify([5, '2880067194370816120', true, 9, true, 'registerHooks']));
  });
}

test("import 'zigimport/register' serves the modules loaded after it (import())", { skip }, () => {
  const dir = project({
    'main.mjs': "import 'zigimport/register';\nawait import('./app.mjs');\n",
    'app.mjs': "import { multiply } from './math.zig';\nconsole.log(multiply(2.5, 4));\n",
  });
  const r = runDeno(['run', ...PERMISSIONS, 'main.mjs'], dir);
  assert.equal(r.status, 0, r.output);
  assert.equal(r.stdout.trim(), '10');
});

test('without hooks: load() with a URL, typed through @ts-types, is the one-line way', { skip }, () => {
  const dir = project({
    'app.ts': `import { load, loadSync } from 'zigimport';
// @ts-types="./math.d.zig.ts"
import type * as Math from './math.zig';
const m = await load<typeof Math>(new URL('./math.zig', import.meta.url));
const n: number = m.add(20, 22);
console.log(n, loadSync<typeof Math>('./math.zig', { from: import.meta.url }).multiply(3, 4));
`,
  });
  const r = runDeno(['run', ...PERMISSIONS, 'app.ts'], dir);
  assert.equal(r.status, 0, r.output);
  assert.equal(r.stdout.trim(), '42 12');
});

test('deno check sees the generated declarations through // @ts-types and rejects wrong uses', { skip }, () => {
  const good = `import { load } from 'zigimport';
// @ts-types="./math.d.zig.ts"
import type * as Math from './math.zig';
// @ts-types="./math.d.zig.ts"
import { add } from './math.zig';
const m = await load<typeof Math>(new URL('./math.zig', import.meta.url));
const a: number = m.add(1, 2) + add(3, 4);
console.log(a);
`;
  const dir = project({ 'good.ts': good, 'bad.ts': good.replace('const a: number', 'const a: string') });
  const ok = runDeno(['check', 'good.ts'], dir);
  assert.equal(ok.status, 0, ok.output);
  const bad = runDeno(['check', 'bad.ts'], dir);
  assert.notEqual(bad.status, 0, bad.output);
  assert.match(bad.output, /TS2322[^\n]*\n?[^\n]*Type 'number' is not assignable to type 'string'/);
});
