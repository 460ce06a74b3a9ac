// Struct arguments with float fields are read value first (one Node-API call per field when the
// value is a number); whatever is not a number takes the general path, so defaults, optionals,
// "is missing" and wrong-type errors are as before. Fixture: test/fixtures/struct_float_fields.zig.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { FIXTURES, SHARED_BUILD_DIR, throwsLike, zigimport } from './helpers.mjs';

process.env.ZIGIMPORT_BUILD_DIR = SHARED_BUILD_DIR;
const m = zigimport.loadSync(path.join(FIXTURES, 'struct_float_fields.zig'));

test('numbers of every kind read in place, in the right fields, as one object or as arguments', () => {
  assert.equal(m.weigh({ x: 1, y: 2, z: 3 }), 14);
  assert.equal(m.weigh({ z: 3, y: 2, x: 1 }), 14);
  assert.equal(m.weigh(1, 2, 3), 14);
  assert.equal(m.weigh({ x: -0, y: 0.5, z: 1e300 }), 1 + 3e300);
  assert.ok(Number.isNaN(m.weigh({ x: Number.NaN, y: 0, z: 0 })));
  assert.equal(m.weigh({ x: Number.POSITIVE_INFINITY, y: 0, z: 0 }), Number.POSITIVE_INFINITY);
  // Inherited and getter-provided fields are read like own ones.
  const proto = { x: 1 };
  const o = Object.create(proto, { y: { get: () => 2, enumerable: true } });
  o.z = 3;
  assert.equal(m.weigh(o), 14);
  // A class instance is an object too.
  class P {
    x = 1;
    y = 2;
    z = 3;
  }
  assert.equal(m.weigh(new P()), 14);
});

test('undefined takes the default or null; a missing field without one is a TypeError naming it', () => {
  assert.equal(m.scaled({ value: 2 }), 2 * 10 - 1);
  assert.equal(m.scaled({ value: 2, scale: undefined, offset: undefined }), 2 * 10 - 1);
  assert.equal(m.scaled({ value: 2, scale: 3, offset: 4 }), 2 * 3 + 4);
  assert.equal(m.scaled({ value: 0.5, offset: null }), 0.5 * 10 - 1);
  throwsLike(() => m.scaled({ scale: 3 }), 'TypeError', /^scaled\(\): argument 1\.value is missing \(expected a number\)$/);
  throwsLike(() => m.weigh({ x: 1, y: 2 }), 'TypeError', /^weigh\(\): argument 1\.z is missing \(expected a number\)$/);
  throwsLike(() => m.weigh({ x: 1, y: undefined, z: 3 }), 'TypeError', /^weigh\(\): argument 1\.y is missing/);
});

test('a field that is no number is a TypeError naming the field and what it got', () => {
  throwsLike(() => m.weigh({ x: '1', y: 2, z: 3 }), 'TypeError', /^weigh\(\): argument 1\.x must be a number, got string/);
  throwsLike(() => m.weigh({ x: 1, y: 2n, z: 3 }), 'TypeError', /argument 1\.y must be a number, got bigint/);
  throwsLike(() => m.weigh({ x: 1, y: 2, z: null }), 'TypeError', /argument 1\.z must be a number, got null/);
  throwsLike(() => m.weigh({ x: 1, y: 2, z: {} }), 'TypeError', /argument 1\.z must be a number, got object/);
  throwsLike(() => m.scaled({ value: 1, scale: 'big' }), 'TypeError', /argument 1\.scale must be a number, got string/);
  // A getter that throws: its error, unchanged.
  const o = { x: 1, y: 2 };
  Object.defineProperty(o, 'z', {
    get() {
      throw new RangeError('from the getter');
    },
  });
  throwsLike(() => m.weigh(o), 'RangeError', /^from the getter$/);
});

test('the object form: arrays, typed arrays and non-objects are not it; a struct parameter after others reads its object', () => {
  throwsLike(() => m.weigh([1, 2, 3]), 'TypeError', /^weigh\(\) expects an object or 3 arguments, got 1$/);
  throwsLike(() => m.weigh(new Float64Array(3)), 'TypeError', /^weigh\(\) expects an object or 3 arguments, got 1$/);
  throwsLike(() => m.weigh(1), 'TypeError', /^weigh\(\) expects an object or 3 arguments, got 1$/);
  throwsLike(() => m.weigh(null), 'TypeError', /^weigh\(\) expects an object or 3 arguments, got 1$/);
  assert.equal(m.describe(2, { name: 'abc', weight: 0.5 }), 5.5);
  throwsLike(() => m.describe(2, 'abc'), 'TypeError', /^describe\(\): argument 2 must be an object, got string/);
  throwsLike(() => m.describe(2, { name: 'abc' }), 'TypeError', /^describe\(\): argument 2\.weight is missing/);
});

test('many calls in a row keep reading the right values (nothing kept between calls)', () => {
  const v = { x: 0, y: 0, z: 0 };
  let bad = 0;
  for (let i = 0; i < 10_000; i++) {
    v.x = i;
    v.y = i / 2;
    v.z = -i;
    if (m.weigh(v) !== i + i - 3 * i) bad++;
  }
  assert.equal(bad, 0);
});
