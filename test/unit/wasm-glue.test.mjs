// Pure helpers of the WebAssembly side: the target setting's values, the bundler glue module
// (src/bundler/build.ts) and the fast path's wrappers (src/wasm/fast-path.ts), table-driven.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { resolveSettings } = require('../../dist/config/settings.js');
const { glueModule, inlineSource, urlSource } = require('../../dist/bundler/build.js');

const TARGETS = [
  ['native', 'native'],
  ['wasm', 'wasm'],
  [' WASM ', 'wasm'],
  ['wasm32', null],
  ['node-api', null],
];
for (const [text, expected] of TARGETS) {
  test(`ZIGIMPORT_TARGET=${JSON.stringify(text)} → ${expected ?? 'an error naming the variable'}`, () => {
    const run = () => resolveSettings({ env: { ZIGIMPORT_TARGET: text } }).settings.target;
    if (expected) assert.equal(run(), expected);
    else assert.throws(run, { code: 'ZIGIMPORT_INVALID_CONFIG', message: /^ZIGIMPORT_TARGET must be one of native, wasm/ });
  });
}

test("glue with init: 'await' exports each valid identifier and the default; others stay on the default export", () => {
  const code = glueModule({ names: ['add', 'Counter', 'not-an-identifier', 'default', 'init'], runtime: 'zigimport/wasm', source: 'SRC', init: 'await' });
  assert.match(code, /^import \{ instantiateZigWasm, wasmBytesFromBase64, wasmSourceFromUrl \} from "zigimport\/wasm";\n/);
  assert.match(code, /const __zig = await \(\(\) => instantiateZigWasm\(SRC\)\)\(\);/);
  assert.match(code, /export const add = __zig\.add;/);
  assert.match(code, /export const Counter = __zig\.Counter;/);
  assert.match(code, /export default __zig;/);
  assert.doesNotMatch(code, /not-an-identifier|export const default|export const init/);
});

test("glue with init: 'manual' has no top-level await and fills live bindings once", () => {
  const code = glueModule({ names: ['add'], runtime: 'zigimport/wasm', source: 'SRC', init: 'manual' });
  assert.doesNotMatch(code, /^const __zig = await/m);
  assert.match(code, /export let add;/);
  assert.match(code, /export default function init\(\)/);
  assert.match(code, /__zig \?\?= /);
  assert.match(code, /add = m\.add;/);
});

const SOURCES = [
  [() => inlineSource(Buffer.from([0, 0x61, 0x73, 0x6d])), 'wasmBytesFromBase64("AGFzbQ==")'],
  [() => urlSource('import.meta.ROLLUP_FILE_URL_abc'), 'wasmSourceFromUrl(import.meta.ROLLUP_FILE_URL_abc)'],
];
for (const [make, expected] of SOURCES) {
  test(`source expression ${expected}`, () => assert.equal(make(), expected));
}
