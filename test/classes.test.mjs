// Stateful structs as JS classes: construction, methods, fields,
// statics, dispose / Symbol.dispose, GC-driven deinit, instances as arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { SHARED_BUILD_DIR } from './helpers.mjs';

process.env.ZIGIMPORT_BUILD_DIR = SHARED_BUILD_DIR;
const distIndex = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/type_matrix.zig', import.meta.url));
const m = createRequire(import.meta.url)(distIndex).loadSync(fixture);

test('new calls init; methods take *T, T and *const T; fields are read-only getters', () => {
  const c = new m.Counter(5);
  assert.ok(c instanceof m.Counter);
  c.inc();
  assert.equal(c.get(), 6n);
  assert.equal(c.peek(), 6n);
  assert.equal(c.add(4), 10n);
  assert.equal(c.value, 10n);
  assert.equal(c.step, 1);
  assert.deepEqual(Object.keys(c), []);
  assert.throws(
    () => c.add(-1),
    (e) => e.code === 'Negative' && e.message === 'Counter.add() failed: error.Negative',
  );
  const d = c.clone();
  assert.ok(d instanceof m.Counter);
  d.inc();
  assert.equal(c.get(), 10n);
  assert.equal(d.get(), 11n);
  assert.equal(m.Counter.withStep(1, 3).step, 3);
  assert.equal(m.Counter.max_step, 100);
});

test('init with an allocator and an error union; deinit frees', () => {
  const b = new m.Buffer(10);
  b.fill(3);
  assert.equal(b.len(), 10n);
  assert.equal(b.sum(), 30n);
  assert.throws(
    () => new m.Buffer(1 << 21),
    (e) => e.code === 'TooBig',
  );
  assert.throws(
    () => new m.Buffer(),
    (e) => e instanceof TypeError && /expects 1 argument, got 0/.test(e.message),
  );
  b.dispose();
});

test('instances as arguments of other functions; wrong objects are TypeErrors', () => {
  const a = new m.Counter(2);
  m.bump(a, 10);
  assert.equal(a.get(), 12n);
  assert.equal(m.total(a, new m.Counter(3)), 15n);
  assert.throws(
    () => m.total({ value: 1n }, a),
    (e) => e instanceof TypeError && /argument 1 must be a Counter instance, got object/.test(e.message),
  );
  assert.throws(() => m.total(new m.Buffer(1), a), TypeError);
  assert.throws(() => m.Counter(1), /cannot be invoked without 'new'/);
});

test('dispose() and Symbol.dispose release; a disposed object throws, never touches freed memory', () => {
  const before = m.liveCounters();
  const c = new m.Counter(1);
  assert.equal(m.liveCounters(), before + 1);
  c.dispose();
  assert.equal(m.liveCounters(), before);
  c.dispose(); // idempotent
  assert.throws(
    () => c.get(),
    (e) => e.code === 'ZIGIMPORT_DISPOSED' && /Counter object has been disposed/.test(e.message),
  );
  assert.throws(
    () => c.value,
    (e) => e.code === 'ZIGIMPORT_DISPOSED',
  );
  assert.throws(
    () => m.total(c, c),
    (e) => e.code === 'ZIGIMPORT_DISPOSED',
  );
  if (typeof Symbol.dispose === 'symbol') {
    const d = new m.Counter(1);
    d[Symbol.dispose]();
    assert.throws(
      () => d.inc(),
      (e) => e.code === 'ZIGIMPORT_DISPOSED',
    );
  }
  assert.equal(m.liveCounters(), before);
});

test('garbage collection runs deinit (observed from Zig)', () => {
  const script = `
    const m = require(${JSON.stringify(distIndex)}).loadSync(${JSON.stringify(fixture)});
    (function () { for (let i = 0; i < 2000; i++) new m.Counter(i); })();
    const made = m.liveCounters();
    let rounds = 0;
    const tick = () => {
      globalThis.gc();
      if (m.liveCounters() < made / 2 || ++rounds > 50) { console.log(JSON.stringify([made, m.liveCounters()])); return; }
      setTimeout(tick, 10);
    };
    tick();`;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', env: process.env });
  assert.equal(r.status, 0, r.stderr);
  const [made, after] = JSON.parse(r.stdout);
  assert.equal(made, 2000);
  assert.ok(after < 1000, `GC released only ${made - after} of ${made}`);
});

test('an object borrowed by a call (a *C argument) cannot be disposed from a callback during that call', () => {
  const c = new m.Counter(1n);
  assert.throws(
    () => m.bumpAround(c, () => c.dispose()),
    (e) => e.code === 'ZIGIMPORT_BUSY' && /while a call that uses the object is running/.test(e.message),
  );
  assert.equal(c.get(), 2n, 'the call finished with the object intact');
  c.dispose(); // after the call it can be disposed
  assert.throws(
    () => c.get(),
    (e) => e.code === 'ZIGIMPORT_DISPOSED',
  );
});
