// Record names in the cache's latest/ folder (src/cache/store.ts recordName): 128 bits of
// FNV-1a in four lanes, computed without node:crypto so that a release-mode import loads none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { recordName } = require('../../dist/cache/store.js');

/** Lane 0 is plain 32-bit FNV-1a: its published test vectors pin the arithmetic. */
const FNV1A_32 = [
  ['', '811c9dc5'],
  ['a', 'e40c292c'],
  ['foobar', 'bf9cf968'],
];
for (const [input, lane0] of FNV1A_32) {
  test(`recordName(${JSON.stringify(input)}) starts with FNV-1a's ${lane0}`, () => {
    const name = recordName(input);
    assert.match(name, /^[0-9a-f]{32}$/);
    assert.equal(name.slice(0, 8), lane0);
  });
}

const DISTINCT = [
  ['/src/a.zig\0Debug\0x64-linux', '/src/a.zig\0ReleaseFast\0x64-linux'],
  ['/src/a.zig\0Debug\0x64-linux', '/src/b.zig\0Debug\0x64-linux'],
  ['/src/a.zig\0Debug\0x64-linux', '/src/a.zig\0Debug\0aarch64-linux-gnu'],
  ['/ü/π.zig\0Debug\0x64-linux', '/u/p.zig\0Debug\0x64-linux'],
];
for (const [a, b] of DISTINCT) {
  test(`recordName tells ${JSON.stringify(a)} from ${JSON.stringify(b)} in every lane`, () => {
    const [x, y] = [recordName(a), recordName(b)];
    for (let lane = 0; lane < 4; lane++) assert.notEqual(x.slice(lane * 8, lane * 8 + 8), y.slice(lane * 8, lane * 8 + 8));
    assert.equal(recordName(a), x, 'deterministic');
  });
}
