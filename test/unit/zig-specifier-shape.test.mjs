// The `.zig` test every hook runs on every specifier of the app (src/loaders/zig-specifier-shape.ts),
// and the bare-specifier test of the include-path search.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { isZigSpecifier, isBareSpecifier } = require('../../dist/loaders/zig-specifier-shape.js');

const ZIG = [
  ['./math.zig', true],
  ['math.zig', true],
  ['/abs/path/math.zig', true],
  ['file:///abs/path/math.zig', true],
  ['./math.zig?optimize=ReleaseFast', true],
  ['./math.zig?optimize=ReleaseFast#frag', true],
  ['./math.zig#frag', true],
  ['C:\\dir\\math.zig', true],
  ['./math.zig.js', false],
  ['./math.zigx', false],
  ['./dir.zig/index.js', false],
  ['./math.js?x=.zig', false],
  ['./math.js#.zig', false],
  ['node:fs', false],
  ['', false],
  ['.zig', true],
];
for (const [specifier, expected] of ZIG) {
  test(`isZigSpecifier(${JSON.stringify(specifier)}) is ${expected}`, () => assert.equal(isZigSpecifier(specifier), expected));
}

const BARE = [
  ['math.zig', true],
  ['pkg/math.zig', true],
  ['./math.zig', false],
  ['../math.zig', false],
  ['/abs/math.zig', false],
  ['C:\\dir\\math.zig', false],
  ['C:/dir/math.zig', false],
  ['file:///abs/math.zig', false],
  ['.\\math.zig', false],
];
for (const [specifier, expected] of BARE) {
  test(`isBareSpecifier(${JSON.stringify(specifier)}) is ${expected}`, () => assert.equal(isBareSpecifier(specifier), expected));
}
