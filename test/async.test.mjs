// Functions listed in `pub const zigimport_async` return Promises and run on
// the libuv thread pool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { SHARED_BUILD_DIR } from './helpers.mjs';

process.env.ZIGIMPORT_BUILD_DIR = SHARED_BUILD_DIR;
const fixture = fileURLToPath(new URL('./fixtures/type_matrix.zig', import.meta.url));
const m = createRequire(import.meta.url)('../dist/index.js').loadSync(fixture);

test('the event loop keeps running during a long async call', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  const p = m.slowSum([1, 2, 3], 300);
  assert.ok(p instanceof Promise);
  assert.equal(await p, 6);
  clearInterval(timer);
  assert.ok(ticks >= 5, `only ${ticks} timer ticks during the call`);
});

test('arguments are copied before the work starts', async () => {
  const xs = new Float64Array([1, 2, 3]);
  const p = m.slowSum(xs, 100);
  xs.fill(100);
  assert.equal(await p, 6);
  assert.equal(await m.asyncUpper('hello'), 'HELLO');
  assert.equal(await m.asyncUpper(Buffer.from('buf')), 'BUF');
});

test('Zig errors and bad arguments reject', async () => {
  await assert.rejects(m.slowFail(5), (e) => e.code === 'TooSlow' && e.message === 'slowFail() failed: error.TooSlow');
  await assert.rejects(m.slowSum('x', 1), (e) => e instanceof TypeError && /must be a Float64Array or array, got string/.test(e.message));
  await assert.rejects(m.slowSum([1]), (e) => e instanceof TypeError && /expects 2 arguments, got 1/.test(e.message));
});

test('many concurrent calls', async () => {
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => m.slowSum([i, 1], 1)));
  assert.deepEqual(
    results,
    Array.from({ length: 50 }, (_, i) => i + 1),
  );
});
