// Which keys of a JS object name a tagged union's variant (zig/from_js.zig, napi_get_all_property_names
// with own-only, enumerable, no-symbol, numbers-as-strings keys): inherited, non-enumerable and
// symbol keys are not counted; a numeric key is read as its string form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const fixture = fileURLToPath(new URL('./fixtures/type_matrix.zig', import.meta.url));
const { loadSync } = createRequire(import.meta.url)('../dist/index.js');
const m = loadSync(fixture);

test('an inherited key does not count: only own keys name the variant', () => {
  const shape = Object.create({ rect: { w: 2, h: 3 } });
  shape.circle = 1;
  assert.equal(m.area(shape), Math.PI);
  assert.throws(() => m.area(Object.create({ circle: 1 })), { name: 'TypeError', message: /got an object with 0 keys/ });
});

test('a non-enumerable key does not count', () => {
  const shape = { circle: 1 };
  Object.defineProperty(shape, 'rect', { value: { w: 2, h: 3 }, enumerable: false });
  assert.equal(m.area(shape), Math.PI);
});

test('a symbol key does not count', () => {
  assert.equal(m.area({ circle: 1, [Symbol('rect')]: 2 }), Math.PI);
});

test('a numeric key is read as a string (and is no variant name)', () => {
  assert.throws(() => m.area({ 7: 1 }), { name: 'TypeError', message: /unknown key "7"/ });
});
