// Bun and Deno choose WebAssembly (issue 15 point 4): `?target=wasm` on the import,
// ZIGIMPORT_TARGET=wasm, `target: 'wasm'` in load() options or package.json load the module as
// WebAssembly through emnapi, with no native addon, in Bun (ZIGIMPORT_TEST_BUN) and Deno
// (ZIGIMPORT_TEST_DENO), zigimport installed as npm would (its dependencies copied beside it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { FIXTURES, ROOT, childEnv, tempDir } from './helpers.mjs';
import { runtimeBinary } from './support/runtimes.mjs';
import { consumerProject } from './support/consumer.mjs';
import { PACKAGE_NAME, authorPackage, consumerWith, noZigEnv, pack, runPrebuild } from './support/prebuild-package.mjs';

const bun = runtimeBinary('ZIGIMPORT_TEST_BUN', 'Bun');
const deno = runtimeBinary('ZIGIMPORT_TEST_DENO', 'Deno');
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
const FIXTURE = fs.readFileSync(path.join(FIXTURES, 'wasm_runtimes.zig'), 'utf8');

/** The calls every case makes, printed as one JSON line; `M` is the module's exports. */
const CALLS = `const xs = new Float64Array([1, 2.5]);
M.double(xs);
const counter = new M.Counter(41);
console.log(JSON.stringify({ add: M.add(2, 3.5), greet: M.greet('wasm'), xs: [...xs], bump: counter.bump(), isCounter: counter instanceof M.Counter, arch: M.arch() }));
`;
const EXPECTED = { add: 5.5, greet: 'hello, wasm', xs: [2, 5], bump: 42, isCounter: true, arch: 'wasm32' };

/** The ways in: the entry's source (before CALLS), extra environment, extra package.json fields. */
const WAYS = {
  '?target=wasm on a static import (hooks)': { app: "import * as M from './m.zig?target=wasm';\n", hooks: true },
  'ZIGIMPORT_TARGET=wasm (hooks)': { app: "import * as M from './m.zig';\n", hooks: true, env: { ZIGIMPORT_TARGET: 'wasm' } },
  'package.json "zigimport": { "target": "wasm" } (hooks)': { app: "import * as M from './m.zig';\n", hooks: true, pkg: { zigimport: { target: 'wasm' } } },
  "load(url, { target: 'wasm' }) (no hooks)": {
    app: "import { load } from 'zigimport';\nconst M = await load(new URL('./m.zig', import.meta.url), { target: 'wasm' });\n",
  },
};

function project(way) {
  const pkg = { private: true, type: 'module', dependencies: { zigimport: VERSION }, ...way.pkg };
  return consumerProject({
    'm.zig': FIXTURE,
    'app.mjs': way.app + CALLS,
    'package.json': JSON.stringify(pkg),
    'deno.json': JSON.stringify({ nodeModulesDir: 'manual' }),
  });
}

function run(binary, args, cwd, env) {
  const r = spawnSync(binary, args, { cwd, env: childEnv({ NO_COLOR: '1', ZIGIMPORT_BUILD_DIR: path.join(cwd, '.cache'), ...env }), encoding: 'utf8' });
  return { ...r, output: `${r.stdout}\n${r.stderr}` };
}

function lastLine(r) {
  assert.equal(r.status, 0, r.output);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** The built artifacts in the project's cache: only `.wasm`, never a `.node`. */
function artifacts(dir) {
  const builds = path.join(dir, '.cache', 'builds');
  return fs.existsSync(builds) ? fs.readdirSync(builds, { recursive: true }).filter((f) => /\.(wasm|node)$/.test(f)) : [];
}

for (const [name, way] of Object.entries(WAYS)) {
  test(`Bun: ${name} loads WebAssembly and calls it (number, string, typed array, class)`, { skip: bun.skip ?? false }, () => {
    const dir = project(way);
    const r = run(bun.path, [...(way.hooks ? ['--preload', 'zigimport/register'] : []), 'app.mjs'], dir, way.env);
    assert.deepEqual(lastLine(r), EXPECTED);
    const built = artifacts(dir);
    assert.ok(built.length > 0 && built.every((f) => f.endsWith('.wasm')), built.join(', '));
  });

  test(`Deno: ${name} loads WebAssembly and calls it (number, string, typed array, class)`, { skip: deno.skip ?? false }, () => {
    const dir = project(way);
    const all = ['--allow-read', '--allow-write', '--allow-env', '--allow-sys', '--allow-run'];
    const preload = way.hooks ? ['--preload', 'npm:zigimport/register'] : [];
    // A build without --allow-ffi: WebAssembly loads no native library.
    const first = run(deno.path, ['run', ...all, ...preload, 'app.mjs'], dir, way.env);
    assert.deepEqual(lastLine(first), EXPECTED);
    const built = artifacts(dir);
    assert.ok(built.length > 0 && built.every((f) => f.endsWith('.wasm')), built.join(', '));
    // Cached: read, env and sys (the cache's owner check) suffice.
    const cached = run(deno.path, ['run', '--allow-read', '--allow-env', '--allow-sys', ...preload, 'app.mjs'], dir, way.env);
    assert.deepEqual(lastLine(cached), EXPECTED);
  });
}

test('Bun: require() of a .zig file with ZIGIMPORT_TARGET=wasm gives the WebAssembly module', { skip: bun.skip ?? false }, () => {
  const dir = project({ app: '' });
  fs.writeFileSync(path.join(dir, 'app.cjs'), `const M = require('./m.zig');\n${CALLS}`);
  const r = run(bun.path, ['--preload', 'zigimport/register', 'app.cjs'], dir, { ZIGIMPORT_TARGET: 'wasm' });
  assert.deepEqual(lastLine(r), EXPECTED);
});

test('the same project under Node: the native addon by default, WebAssembly when asked (the control)', () => {
  const dir = project(WAYS['ZIGIMPORT_TARGET=wasm (hooks)']);
  const native = run(process.execPath, ['--import', 'zigimport/register', 'app.mjs'], dir, {});
  assert.notEqual(lastLine(native).arch, 'wasm32');
  const wasm = run(process.execPath, ['--import', 'zigimport/register', 'app.mjs'], dir, { ZIGIMPORT_TARGET: 'wasm' });
  assert.deepEqual(lastLine(wasm), EXPECTED);
});

const HOST = `${process.platform}-${process.arch}${process.platform === 'linux' ? '-glibc' : ''}`;
const PREBUILT_APP = `import { createRequire } from 'node:module';
const g = createRequire(import.meta.url)('${PACKAGE_NAME}');
console.log(JSON.stringify({ arch: g.arch(), distance: g.distance({ x: 0, y: 0 }, { x: 3, y: 4 }), sum: g.sum(new Float64Array([1, 2])), total: new g.Accumulator(1).add(2) }));
`;
const FROM_WASM_PREBUILD = { arch: 'wasm32', distance: 5, sum: 3, total: 3 };

let prebuilt;
/** The example package prebuilt for this platform and wasm32, installed in a consumer; no Zig in its environment. */
async function prebuiltConsumer() {
  if (!prebuilt) {
    const dir = authorPackage('runtimes-wasm-author-');
    await runPrebuild(dir, ['--targets', `${HOST},wasm`], { env: childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('runtimes-wasm-prebuild-') }) });
    const consumer = consumerWith(pack(dir));
    fs.writeFileSync(path.join(consumer, 'app.mjs'), PREBUILT_APP);
    fs.writeFileSync(path.join(consumer, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual' }));
    prebuilt = consumer;
  }
  return prebuilt;
}

function runNoZig(binary, args, cwd, extra = {}) {
  const r = spawnSync(binary, args, { cwd, env: noZigEnv({ NO_COLOR: '1', ...extra }), encoding: 'utf8' });
  return { ...r, output: `${r.stdout}\n${r.stderr}` };
}

test('Bun and Deno: a package whose native prebuild is gone, with no Zig, run its WebAssembly prebuild (Deno without --allow-ffi)', {
  skip: bun.skip || deno.skip || false,
}, async () => {
  const consumer = await prebuiltConsumer();
  const native = path.join(consumer, 'node_modules', PACKAGE_NAME, 'prebuilds', HOST);
  const saved = tempDir('saved-native-');
  fs.cpSync(native, saved, { recursive: true });
  fs.rmSync(native, { recursive: true });
  try {
    assert.deepEqual(lastLine(runNoZig(bun.path, ['app.mjs'], consumer)), FROM_WASM_PREBUILD);
    assert.deepEqual(lastLine(runNoZig(deno.path, ['run', '--allow-read', '--allow-env', '--allow-sys', 'app.mjs'], consumer)), FROM_WASM_PREBUILD);
  } finally {
    fs.cpSync(saved, native, { recursive: true });
  }
});

test('Deno without --allow-ffi: the native prebuild is refused by Deno, ZIGIMPORT_TARGET=wasm runs the shipped WebAssembly prebuild instead', {
  skip: deno.skip ?? false,
}, async () => {
  const consumer = await prebuiltConsumer();
  const args = ['run', '--allow-read', '--allow-env', '--allow-sys', 'app.mjs'];
  const refused = runNoZig(deno.path, args, consumer);
  assert.notEqual(refused.status, 0);
  assert.match(refused.output, /Requires ffi access/);
  assert.deepEqual(lastLine(runNoZig(deno.path, args, consumer, { ZIGIMPORT_TARGET: 'wasm' })), FROM_WASM_PREBUILD);
  assert.deepEqual(lastLine(runNoZig(deno.path, [...args.slice(0, 1), '--allow-ffi', ...args.slice(1)], consumer)), {
    ...FROM_WASM_PREBUILD,
    arch: { x64: 'x86_64', arm64: 'aarch64' }[process.arch],
  });
});
