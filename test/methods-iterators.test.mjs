// Structs with methods and iterators (issue 12 point 4), on Zig 0.17 and 0.15: a struct with
// methods and no init is a data class (`new Vec2({ x, y })`, instances round-trip, plain objects
// still accepted); a returned value
// whose type has `pub fn next(self: *Self) ?T` (or `E!?T`) is a lazy JS iterable iterator that
// owns copies of the memory it walks; iterators zigimport cannot own are skipped with a reason;
// the descriptor and the generated declarations (`IterableIterator<T>`, checked by `tsc`).
import { test, describe as group } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  FIXTURES,
  ROOT,
  SHARED_BUILD_DIR,
  fixtureOnRelease,
  installedZig,
  require,
  runNode,
  zigimport,
  assertTypeChecksWithNeededDirectives,
} from './helpers.mjs';

const fixture = path.join(FIXTURES, 'methods_iterators.zig');
const { declarationsFor } = require('../dist/types/write.js');

for (const release of ['0.17', '0.15']) {
  const { m, find } = fixtureOnRelease(fixture, release);

  group(`Zig ${release}`, () => {
    test('std.mem.SplitIterator results work with for…of, spread and Array.from', () => {
      assert.deepEqual([...m.words('a bc  d')], ['a', 'bc', '', 'd']);
      assert.deepEqual(Array.from(m.words('one')), ['one']);
      const seen = [];
      for (const w of m.words('x y')) seen.push(w);
      assert.deepEqual(seen, ['x', 'y']);
      const it = m.words('p q');
      assert.equal(it[Symbol.iterator](), it);
      assert.deepEqual(it.next(), { value: 'p', done: false });
      assert.deepEqual(it.next(), { value: 'q', done: false });
      assert.deepEqual(it.next(), { value: undefined, done: true });
      assert.deepEqual(it.next(), { value: undefined, done: true });
    });

    test('the iterator owns a copy of the string it splits (the call arena is reused meanwhile)', () => {
      const long = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');
      const a = m.words(long);
      const b = m.words('other words entirely '.repeat(40));
      assert.equal(a.next().value, 'w0');
      // Calls in between reuse the per-call memory the argument string was read into.
      assert.deepEqual([...m.fields('1--2', '--')], ['1', '2']);
      assert.equal(b.next().value, 'other');
      assert.deepEqual([...a], long.split(' ').slice(1));
    });

    test('an iterator over a typed array copies it at return: later writes do not show', () => {
      const xs = new Int32Array([1, 2, 3, 4]);
      const it = m.points(xs);
      xs[2] = 99;
      assert.deepEqual(
        [...it],
        [
          { x: 1, y: 2 },
          { x: 3, y: 4 },
        ],
      );
    });

    test('next runs lazily, once per item, and not again after the end', () => {
      const before = m.next_calls;
      const it = m.countdown(3);
      assert.equal(m.next_calls, before);
      assert.deepEqual(it.next(), { value: 3, done: false });
      assert.equal(m.next_calls, before + 1);
      assert.deepEqual([...it], [2, 1]);
      assert.equal(m.next_calls, before + 4);
      assert.equal(it.next().done, true);
      assert.equal(m.next_calls, before + 4);
    });

    test('an error from next is thrown as an Error whose code is the Zig name; then the iterator is done', () => {
      const it = m.flaky(2);
      const got = [];
      assert.throws(
        () => {
          for (const v of it) got.push(v);
        },
        (err) => err instanceof Error && err.code === 'Exhausted' && /next\(\) failed: error\.Exhausted/.test(err.message),
      );
      assert.deepEqual(got, [1, 2]);
      assert.deepEqual(it.next(), { value: undefined, done: true });
    });

    test('E!Iterator results throw the error or give the iterator', () => {
      assert.deepEqual([...m.fields('a--b--c', '--')], ['a', 'b', 'c']);
      assert.throws(
        () => m.fields('a', ''),
        (err) => err.code === 'EmptySeparator',
      );
    });

    test('iterators holding pointers, and iterator parameters, are skipped with a reason', () => {
      const skipped = Object.fromEntries(m.__zigimport_skipped.map((s) => [s.name, s.reason]));
      assert.match(skipped.walk, /iterator field node \(\?\*const methods_iterators\.Node\) points into memory zigimport cannot copy/);
      assert.match(skipped.drain, /parameter 1: iterators can only be returned/);
      assert.equal('walk' in m, false);
      assert.equal('drain' in m, false);
    });

    test('a struct with methods and no init is a class built field-wise; its methods call Zig', () => {
      const v = new m.Vec2({ x: 3, y: 4 });
      assert.ok(v instanceof m.Vec2);
      assert.equal(v.x, 3);
      assert.equal(v.y, 4);
      assert.equal(v.length(), 5);
      assert.equal(v.dot({ x: 1, y: 1 }), 7);
      assert.equal(v.dot(new m.Vec2({ x: 2 })), 6);
      // `self: *Vec2` works on the instance's own memory: the change shows on the next read.
      v.scale(2);
      assert.equal(v.x, 6);
      assert.equal(v.length(), 10);
      assert.equal(m.Vec2.unit().x, 1);
      assert.equal(new m.Vec2({ x: 1 }).y, 0);
    });

    test('data class values round-trip: results are instances, parameters take instances or plain objects', () => {
      const sum = m.add(new m.Vec2({ x: 1, y: 2 }), { x: 10, y: 20 });
      assert.ok(sum instanceof m.Vec2);
      assert.deepEqual([sum.x, sum.y], [11, 22]);
      const again = m.add(sum, sum);
      assert.deepEqual([again.x, again.y, sum.x], [22, 44, 11]);
      assert.equal(m.add({ x: 3 }, { x: 0, y: 4 }).length(), 5);
    });

    test('data class input errors are TypeErrors naming the field; new is required', () => {
      assert.throws(() => new m.Vec2({ y: 1 }), { name: 'TypeError', message: /^new Vec2\(\): argument 1\.x is missing/ });
      assert.throws(() => new m.Vec2(), { name: 'TypeError', message: /new Vec2\(\) expects 1 argument/ });
      assert.throws(() => new m.Vec2({ x: 'a' }), { name: 'TypeError', message: /argument 1\.x must be a number, got string/ });
      assert.throws(() => m.Vec2({ x: 1 }), { name: 'TypeError', message: /cannot be invoked without 'new'/ });
      assert.throws(() => m.add(new m.Vec2({ x: 1 }), 5), { name: 'TypeError', message: /^add\(\): argument 2/ });
      const foreign = Object.create(m.Vec2.prototype);
      assert.throws(() => foreign.length(), { name: 'TypeError' });
    });

    test('a struct with methods and pointer fields keeps converting as a plain object, its methods skipped with a reason', () => {
      const skipped = Object.fromEntries(m.__zigimport_skipped.map((s) => [s.name, s.reason]));
      assert.match(skipped.Named, /struct with methods and pointer fields: its methods are not exported/);
      assert.equal(m.nameLength({ name: 'abcd' }), 4n);
      assert.equal('Named' in m, false);
    });

    test('descriptor: iterator results carry their item type', () => {
      assert.deepEqual(find('words').returns.item, { kind: 'string', zig: '[]const u8' });
      assert.equal(find('words').returns.kind, 'iterator');
      assert.equal(find('points').returns.item.kind, 'struct');
      assert.equal(find('flaky').returns.item.kind, 'number');
    });
  });
}

test('iterators dropped unfinished are freed by the GC without a crash', async () => {
  const script = `
    const zigimport = require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))});
    const m = zigimport.loadSync(${JSON.stringify(fixture)}, { cacheDir: ${JSON.stringify(SHARED_BUILD_DIR)}, zig: ${JSON.stringify(installedZig('0.17'))}, types: false });
    const text = 'a b c d e f g h '.repeat(50);
    let total = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 500; i++) { const it = m.words(text); total += it.next().value.length; }
      globalThis.gc();
    }
    const next = m.words('kept alive').next;
    globalThis.gc();
    console.log(total, next().value, next().value);
  `;
  const r = await runNode(['--expose-gc', '-e', script]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '10000 kept alive');
});

test('declarations: iterator results are IterableIterator<T>; tsc checks them', () => {
  const exports = zigimport.loadSync(fixture, { cacheDir: SHARED_BUILD_DIR, zig: installedZig('0.17'), types: false });
  const text = declarationsFor({ file: fixture, exports, cacheDir: SHARED_BUILD_DIR, zig: installedZig('0.17') });
  assert.match(text, /export declare function words\(s: string \| Uint8Array\): IterableIterator<string>;/);
  assert.match(text, /export declare function countdown\(n: number\): IterableIterator<number>;/);
  assert.match(text, /export declare class Vec2 \{\n {2}constructor\(arg0: \{ x: number; y\?: number \}\);/);
  assert.match(
    text,
    /export declare function add\(a: Vec2 \| ConstructorParameters<typeof Vec2>\[0\], b: Vec2 \| ConstructorParameters<typeof Vec2>\[0\]\): Vec2;/,
  );
  assert.match(text, /export declare function points\(xs: Int32Array \| number\[\]\): IterableIterator<\{ x: number; y: number \}>;/);
  assertTypeChecksWithNeededDirectives('methods_iterators', text);
});
