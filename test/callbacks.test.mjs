// `*const fn (...) R` parameters take JS functions, called synchronously.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { SHARED_BUILD_DIR } from './helpers.mjs';

process.env.ZIGIMPORT_BUILD_DIR = SHARED_BUILD_DIR;
const fixture = fileURLToPath(new URL('./fixtures/type_matrix.zig', import.meta.url));
const m = createRequire(import.meta.url)('../dist/index.js').loadSync(fixture);

test('JS functions are called with converted arguments and results', () => {
  assert.equal(
    m.mapSum([1, 2, 3], (x) => x * 2),
    12,
  );
  assert.equal(
    m.countIf(10, (i) => i % 2 === 0),
    5,
  );
  assert.equal(
    m.greetVia('bob', (s) => s + '!!'),
    5n,
  );
  assert.equal(
    m.fold([1, 2, 3], 10, (a, b) => a * b),
    60,
  );
  assert.equal(
    m.tryEach(3, () => {}),
    3,
  );
});

test('a throw inside the callback propagates to the caller unchanged', () => {
  const boom = new Error('cb boom');
  let calls = 0;
  assert.throws(
    () =>
      m.mapSum([1, 2, 3], () => {
        calls++;
        throw boom;
      }),
    (e) => e === boom,
  );
  assert.equal(calls, 1); // later calls return at once
  const r = new RangeError('at 3');
  assert.throws(
    () =>
      m.tryEach(5, (i) => {
        if (i === 3) throw r;
      }),
    (e) => e === r,
  );
  assert.equal(
    m.mapSum([1], (x) => x),
    1,
  ); // nothing left pending
});

test('wrong callbacks and wrong callback results are TypeErrors', () => {
  assert.throws(() => m.mapSum([1], 5), /^TypeError: mapSum\(\): argument 2 must be a function, got number$/);
  assert.throws(() => m.mapSum([1], () => 'x'), /argument 2: callback return value must be a number, got string/);
  assert.throws(() => m.countIf(3, () => 1), /callback return value must be a boolean/);
});

test('re-entrant calls each see their own callback', () => {
  const inner = (x) => m.mapSum([x, x], (y) => y + 1);
  assert.equal(m.mapSum([1, 2], inner), 2 + 2 + (3 + 3));
});
