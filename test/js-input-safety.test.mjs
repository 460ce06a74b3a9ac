// Bad JS input never corrupts memory. JS code that runs while Zig holds memory
// borrowed from a typed array (a getter, a proxy trap, a callback) cannot detach it under Zig nor
// change an argument already read; signatures where no JS can run stay zero-copy.
// Fixture: test/fixtures/input_safety.zig. Detaching cases run in a child process with --expose-gc,
// so a use of freed memory would show as a crash (signal or non-zero exit), not as a flaky parent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { require, SHARED_BUILD_DIR } from './helpers.mjs';

process.env.ZIGIMPORT_BUILD_DIR = SHARED_BUILD_DIR;
const distIndex = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/input_safety.zig', import.meta.url));
const m = require(distIndex).loadSync(fixture);

/**
 * Runs `body` in `node --expose-gc` with `m` (the fixture) and `detach` defined; returns its stdout lines.
 * `detach` transfers the buffer, the way Node 20 can (ArrayBuffer.prototype.transfer is Node 21+).
 */
function inChild(body) {
  const script = `const m = require(${JSON.stringify(distIndex)}).loadSync(${JSON.stringify(fixture)});
const detach = (ab) => structuredClone(ab, { transfer: [ab] });
// usize results are bigints; the child reports them as JSON numbers.
const out = (x) => console.log(JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? Number(v) : v)));
${body}`;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', env: process.env, timeout: 120_000 });
  assert.equal(r.signal, null, `child died with ${r.signal}: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

test('a callback that detaches a mutable slice: TypeError naming the argument, no crash after GC', () => {
  const [message, errors, rounds, kept] = inChild(`
let message = null, errors = 0;
const rounds = 300;
for (let i = 0; i < rounds; i++) {
  const xs = new Float64Array(4096).fill(1);
  try {
    m.mapInPlace(xs, (x) => {
      if (xs.length) new Float64Array(detach(xs.buffer)).fill(5); // the new owner writes; Zig must not
      return x * 2;
    });
  } catch (e) { errors++; message ??= e.name + ': ' + e.message; }
  globalThis.gc();
  new Float64Array(4096).fill(9); // reuse freed memory: stale writes would land here or crash
}
out(message); out(errors); out(rounds);
const ys = new Float64Array([1, 2, 3]);
m.mapInPlace(ys, (x) => { globalThis.gc(); return x * 10; });
out(Array.from(ys));`);
  assert.equal(message, "TypeError: mapInPlace(): argument 1: its ArrayBuffer was detached during the call, so the function's writes were dropped");
  assert.equal(errors, rounds);
  assert.deepEqual(kept, [10, 20, 30], "without a detach, the writes reach the caller's array");
});

test('a callback that shrinks a resizable ArrayBuffer under a mutable slice: TypeError, the rest intact', () => {
  const ab = new ArrayBuffer(64, { maxByteLength: 128 });
  const xs = new Float64Array(ab).fill(1); // length-tracking: 8 elements, then 2
  assert.throws(
    () =>
      m.mapInPlace(xs, (x) => {
        if (ab.byteLength > 16) ab.resize(16);
        return x + 1;
      }),
    /^TypeError: mapInPlace\(\): argument 1: its typed array shrank from 8 to 2 elements during the call/,
  );
  assert.deepEqual(Array.from(xs), [1, 1], 'the dropped writes did not reach the array');
});

test('a callback that detaches or refills a read-only slice: Zig keeps the values it was given', () => {
  const [sum, text, results] = inChild(`
const xs = new Float64Array([1, 2, 3]);
out(m.sumMapped(xs, (x) => { if (xs.length) detach(xs.buffer); globalThis.gc(); return x; }));
const h = Buffer.from('hello');
out(m.textAfter(h, () => { h.fill(90); }));
out(m.sumResults(6, (i) => { globalThis.gc(); return new Float64Array([i, 1]); }));`);
  assert.equal(sum, 6);
  assert.equal(text, 'hello');
  // (0+1)+(1+1)+...+(5+1) = 21, plus the first result again (1): results are copied, not borrowed.
  assert.equal(results, 22);
});

test("a later argument's getter cannot change a borrowed Uint8Array string argument", () => {
  const h = Buffer.from('hello');
  assert.equal(
    m.join(h, {
      get name() {
        h.fill(90);
        return 'b';
      },
    }),
    'hello,b',
  );
  assert.equal(h.toString(), 'ZZZZZ');
  const p = Buffer.from('hello');
  assert.equal(
    m.join(
      p,
      new Proxy(
        {},
        {
          get() {
            p.fill(89);
            return 'c';
          },
        },
      ),
    ),
    'hello,c',
    'a Proxy argument is read the same way',
  );
});

test("a later argument's getter that detaches a borrowed buffer", () => {
  const [filled, len, sum] = inChild(`
const w = new Float64Array(4);
out(m.fillWith(w, { get value() { detach(w.buffer); globalThis.gc(); return 3; } }));
out(w.length);
const r = new Float64Array([1, 2, 3]);
out(m.sumScaled(r, { get by() { detach(r.buffer); globalThis.gc(); return 2; } }));`);
  assert.equal(filled, 0, 'a mutable slice is borrowed again after the getter ran: it is empty now');
  assert.equal(len, 0);
  assert.equal(sum, 12, 'a read-only slice keeps the values it had when it was read');
  // Mutating (not detaching) a mutable slice from a later getter: the slice still aliases the array.
  const a = new Float64Array(3);
  assert.equal(
    m.fillWith(a, {
      get value() {
        a[0] = 100;
        return 4;
      },
    }),
    3n,
  );
  assert.deepEqual(Array.from(a), [4, 4, 4]);
});

test('struct and array arguments: a field or element getter cannot change a slice read before it', () => {
  const label = Buffer.from('abc');
  assert.equal(
    m.describe({
      text: label,
      get count() {
        label.fill(65);
        return 2;
      },
    }),
    'abcx2',
  );
  const part = Buffer.from('ab');
  const parts = [part];
  Object.defineProperty(parts, 1, {
    get() {
      part.fill(82);
      return 'cd';
    },
    enumerable: true,
  });
  assert.equal(m.joinAll(parts), 'ab+cd');
  // A mutable slice inside a struct is copied and written back when the call returns...
  const t = new Float64Array(3);
  assert.equal(m.fillTarget({ data: t, value: 4 }), 3n);
  assert.deepEqual(Array.from(t), [4, 4, 4]);
  // ...unless a later field's getter detached it: a TypeError naming the field.
  const [message] = inChild(`
const t = new Float64Array(3);
try { m.fillTarget({ data: t, get value() { detach(t.buffer); globalThis.gc(); return 4; } }); out('no error'); }
catch (e) { out(e.name + ': ' + e.message); }`);
  assert.match(message, /^TypeError: fillTarget\(\): argument 1\.data: its ArrayBuffer was detached during the call/);
});

test('an element getter of a later plain-array argument that detaches an earlier mutable slice', () => {
  const [n, len] = inChild(`
const out_ = new Float64Array(3);
const input = [1, 2];
Object.defineProperty(input, 2, { get() { detach(out_.buffer); globalThis.gc(); return 3; } });
out(m.copyInto(out_, input)); out(out_.length);`);
  assert.deepEqual([n, len], [0, 0]);
  const dst = new Float64Array(3);
  assert.equal(m.copyInto(dst, [4, 5, 6]), 3n);
  assert.deepEqual(Array.from(dst), [4, 5, 6]);
});

test('optional slices, two slices where the second is a plain array with getters, class methods', () => {
  const h = Buffer.from('hey');
  assert.equal(
    m.joinMaybe(h, {
      get name() {
        h.fill(88);
        return 'b';
      },
    }),
    'hey,b',
  );
  assert.equal(m.joinMaybe(null, { name: 'b' }), 'null,b');
  const a = new Float64Array([1, 2]);
  const b = [10];
  Object.defineProperty(b, 1, {
    get() {
      a.fill(100);
      return 20;
    },
  });
  assert.equal(m.sumBoth(a, b), 33, 'a keeps the values it had when it was read');
  assert.equal(m.sumBoth(a, new Float64Array([1])), 201);
  const acc = new m.Accumulator();
  const xs = new Float64Array([1, 2]);
  assert.equal(
    acc.mapAdd(xs, (x) => x + 1),
    5,
  );
  assert.deepEqual(Array.from(xs), [2, 3]);
  const [message] = inChild(`
const acc = new m.Accumulator();
const xs = new Float64Array(64);
try { acc.mapAdd(xs, (x) => { if (xs.length) detach(xs.buffer); globalThis.gc(); return x; }); out('no error'); }
catch (e) { out(e.name + ': ' + e.message); }`);
  assert.equal(message, "TypeError: Accumulator.mapAdd(): argument 1: its ArrayBuffer was detached during the call, so the function's writes were dropped");
});

test('optional and byte slices: copied and written back with a callback, borrowed again after a getter', () => {
  const xs = new Float64Array(3);
  let i = 0;
  assert.equal(
    m.fillMaybeVia(xs, () => ++i),
    3n,
  );
  assert.deepEqual(Array.from(xs), [1, 2, 3]);
  assert.equal(
    m.fillMaybeVia(null, () => 1),
    0n,
  );
  const ys = new Float64Array(2);
  assert.equal(
    m.fillMaybeWith(ys, {
      get value() {
        ys[1] = 50;
        return 6;
      },
    }),
    2n,
  );
  assert.deepEqual(Array.from(ys), [6, 6]);
  const zs = new Float64Array([1, 2]);
  assert.equal(
    m.sumMaybeVia(zs, () => zs.fill(0)),
    3,
  );
  assert.equal(
    m.sumMaybeVia(undefined, () => {}),
    -1,
  );
  const bytes = new Uint8Array(3);
  m.fillBytesVia(bytes, () => 9);
  assert.deepEqual(Array.from(bytes), [9, 9, 9]);
  const [message, filled] = inChild(`
const b = Buffer.alloc(2048);
let msg = null;
try { m.fillBytesVia(b, () => { if (b.buffer.byteLength) detach(b.buffer); globalThis.gc(); return 1; }); } catch (e) { msg = e.name + ': ' + e.message; }
out(msg);
const w = new Float64Array(8);
out(m.fillMaybeWith(w, { get value() { detach(w.buffer); globalThis.gc(); return 1; } }));`);
  assert.match(message ?? 'no error', /^TypeError: fillBytesVia\(\): argument 1: its ArrayBuffer was detached during the call/);
  assert.equal(filled, 0);
});

test('a sparse array of length 2^32-1 is a RangeError naming the argument, for every element type', () => {
  const sparse = () => {
    const a = [];
    a.length = 2 ** 32 - 1;
    return a;
  };
  for (const name of ['sum', 'sumI32', 'countPoints', 'countMaybe', 'countTexts']) {
    assert.throws(
      () => m[name](sparse()),
      (e) => {
        assert.equal(e.constructor, RangeError, `${name}: ${e.stack}`);
        assert.match(e.message, new RegExp(`^${name}\\(\\): argument 1: array length 4294967295 is too large`));
        return true;
      },
    );
  }
  assert.match(
    String(
      (() => {
        try {
          m.sum(sparse());
        } catch (e) {
          return e.message;
        }
      })(),
    ),
    /pass a typed array/,
  );
  // A mutable slice never took plain arrays: still a TypeError.
  assert.throws(() => m.fill(sparse(), 1), /^TypeError: fill\(\): argument 1 must be a Float64Array, got array$/);
  // Sparse but short enough: holes are read as undefined, which an optional element accepts.
  const holes = [];
  holes.length = 1000;
  assert.equal(m.countMaybe(holes), 1000n);
});

test('zero-copy where no JS can run: writes visible, the same memory handed twice', () => {
  const xs = new Float64Array([1, 2, 3]);
  m.fill(xs, 7);
  assert.deepEqual(Array.from(xs), [7, 7, 7]);
  assert.equal(m.sum(xs), 21);
  const bytes = new Uint8Array([104, 105]);
  assert.equal(m.len(bytes), 2n);
  assert.equal(m.sameBytes(bytes, bytes), true, 'a Uint8Array for []const u8 is borrowed, not copied');
  assert.equal(m.sameF64(xs, xs), true, 'typed arrays for two []const f64 are both borrowed');
  assert.equal(
    m.sameF64Via(xs, xs, () => {}),
    false,
    'with a callback they are copied',
  );
  assert.equal(m.sameF64(xs, [7, 7, 7]), false);
  const dst = new Float64Array(2);
  assert.equal(m.copyInto(dst, xs), 2n, 'a typed array where a plain array is also accepted runs no JS');
  assert.deepEqual(Array.from(dst), [7, 7]);
});
