// The WebAssembly fallback costs a native import nothing: a cached import and a native prebuild
// import (its package also shipping wasm32) load no WebAssembly runtime (zigimport's wasm/,
// emnapi) and none of the miss path; only the import that falls back to the wasm prebuild does,
// which shows the names checked are the real ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, childEnv, runNode, tempDir } from './helpers.mjs';
import { authorPackage, noZigEnv, runPrebuild } from './support/prebuild-package.mjs';

const DIST = path.join(ROOT, 'dist');
const HOST = `${process.platform}-${process.arch}${process.platform === 'linux' ? '-glibc' : ''}`;
const WASM_RUNTIME = [/^wasm\//, /node_modules\/@emnapi\//];
const MISS_PATH = [/^pipeline\/ensure\.js$/, /^compile\//, /^cache\/lock\.js$/];

/** Loads `file` in a fresh Node, calls `call` on it; returns the zigimport and package modules it loaded. */
async function loadedModules(file, env, call) {
  const code = `
    const z = require(${JSON.stringify(DIST)});
    const m = z.loadSync(${JSON.stringify(file)});
    const answer = (${call})(m);
    const own = Object.keys(require.cache).map((f) => f.startsWith(${JSON.stringify(DIST + path.sep)}) ? f.slice(${DIST.length + 1}).split(require('path').sep).join('/') : f);
    console.log(JSON.stringify({ own, answer }));`;
  const r = await runNode(['-e', code], { env });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const matching = (own, patterns) => own.filter((m) => patterns.some((re) => re.test(m)));

test('a native cached import loads no WebAssembly runtime', async () => {
  const dir = tempDir('cached-native-');
  const file = path.join(dir, 'simple_math.zig');
  fs.copyFileSync(path.join(ROOT, 'examples', 'simple_math.zig'), file);
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: path.join(dir, 'cache') });
  await loadedModules(file, env, '(m) => m.add(2, 3)');
  const cached = await loadedModules(file, env, '(m) => m.add(2, 3)');
  assert.equal(cached.answer, 5);
  assert.deepEqual(matching(cached.own, WASM_RUNTIME), []);
  const wasm = await loadedModules(file, { ...env, ZIGIMPORT_TARGET: 'wasm' }, '(m) => m.add(2, 3)');
  assert.equal(wasm.answer, 5);
  assert.ok(matching(wasm.own, WASM_RUNTIME).length >= 2, `a WebAssembly import loads the runtime (${wasm.own.join(', ')})`);
});

test('a native prebuild import, its package shipping wasm32 too, loads neither the WebAssembly runtime nor the miss path; the wasm fallback loads the runtime only', async () => {
  const dir = authorPackage('cached-prebuild-');
  await runPrebuild(dir, ['--targets', `${HOST},wasm`], { env: childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('cached-prebuild-cache-') }) });
  const file = path.join(dir, 'src', 'geometry.zig');
  const call = '(m) => [m.arch(), m.sum(new Float64Array([1, 2]))]';
  const native = await loadedModules(file, noZigEnv(), call);
  assert.equal(native.answer[1], 3);
  assert.notEqual(native.answer[0], 'wasm32');
  assert.deepEqual(matching(native.own, [...WASM_RUNTIME, ...MISS_PATH]), []);
  fs.rmSync(path.join(dir, 'prebuilds', HOST), { recursive: true });
  const fallback = await loadedModules(file, noZigEnv(), call);
  assert.deepEqual(fallback.answer, ['wasm32', 3]);
  assert.ok(matching(fallback.own, WASM_RUNTIME).length >= 2, fallback.own.join(', '));
  // Finding no Zig went through the miss path's entry, and stopped there: nothing was compiled.
  assert.deepEqual(matching(fallback.own, [/^compile\/compile\.js$/]), []);
});
