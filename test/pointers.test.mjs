// Pointers across the boundary (issue 12 point 2, and point 3's slices of structs), type-matrix
// style on Zig 0.17 and 0.15: `*T` / `*const T` struct parameters (copy in, fields written back
// into the same object for `*T`), mutable `[]Struct` written back into the array's objects, C
// strings, type-tagged opaque handles, recursive structures returned and passed (a cycle is a
// RangeError), hostile values, the descriptor, and the declarations checked by `tsc`.
import { test, describe as group } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  FIXTURES,
  SHARED_BUILD_DIR,
  fixtureOnRelease,
  installedZig,
  require,
  zigimport,
  throwsLike,
  assertTypeChecksWithNeededDirectives,
} from './helpers.mjs';

const fixture = path.join(FIXTURES, 'pointers.zig');
const { declarationsFor } = require('../dist/types/write.js');

for (const release of ['0.17', '0.15']) {
  const { m, find } = fixtureOnRelease(fixture, release);

  group(`Zig ${release}`, () => {
    test('*T of a plain struct: the same object gets the new field values; *const T is read only', () => {
      const p = { x: 3, y: 4 };
      assert.equal(m.scale(p, 2), undefined);
      assert.deepEqual(p, { x: 6, y: 8 });
      const q = Object.freeze({ x: 3, y: 4 });
      assert.equal(m.length(q), 5); // a frozen object is fine where nothing is written
      // Nested struct fields are written into the nested objects JS holds; a string field is replaced.
      const r = { min: { x: 0, y: 0 }, max: { x: 1, y: 1 } };
      const min = r.min;
      m.grow(r, 1);
      assert.equal(r.min, min);
      assert.deepEqual(r, { min: { x: -1, y: -1 }, max: { x: 2, y: 2 }, label: 'grown' });
    });

    test('*T with a mutable slice field: written into the same typed array', () => {
      const data = new Float64Array(2);
      const s = { data, count: 0 };
      m.record(s, 7);
      assert.equal(s.data, data);
      assert.deepEqual([...data], [7, 0]);
      assert.equal(s.count, 1);
    });

    test('*T: writes made before a Zig error still reach the object', () => {
      const p = { x: 1, y: 1 };
      throwsLike(() => m.zeroThenFail(p), 'Error', /zeroThenFail\(\) failed: error\.Refused/);
      assert.deepEqual(p, { x: 0, y: 0 });
    });

    test('*T: hostile values are typed errors naming the parameter', () => {
      throwsLike(() => m.scale(null, 2), 'TypeError', /^scale\(\): argument 1 must be an object, got null$/);
      throwsLike(() => m.scale(5, 2), 'TypeError', /^scale\(\): argument 1 must be an object, got number$/);
      throwsLike(() => m.scale({ x: 1 }, 2), 'TypeError', /^scale\(\): argument 1\.y is missing \(expected a number\)$/);
      throwsLike(() => m.scale({ x: 'a', y: 1 }, 2), 'TypeError', /^scale\(\): argument 1\.x must be a number, got string$/);
      const getterThrows = {
        x: 1,
        get y() {
          throw new Error('boom');
        },
      };
      throwsLike(() => m.scale(getterThrows, 2), 'Error', /^boom$/);
      // A frozen object cannot take the writes: the assignment fails silently in sloppy
      // semantics (Node-API sets like non-strict code), and the call itself succeeds.
      const frozen = Object.freeze({ x: 1, y: 2 });
      m.scale(frozen, 3);
      assert.deepEqual(frozen, { x: 1, y: 2 });
      // A setter that throws surfaces as the call's error.
      const setterThrows = {
        x: 1,
        get y() {
          return 2;
        },
        set y(_) {
          throw new RangeError('no');
        },
      };
      throwsLike(() => m.scale(setterThrows, 2), 'RangeError', /^no$/);
    });

    test('[]Struct (mutable): each JS object gets its element back; []const Struct is not written', () => {
      const planets = [
        { x: 0, v: 0, mass: 3 },
        { x: 1, v: 0, mass: 1 },
      ];
      const [a, b] = planets;
      m.step(planets, 0.1);
      assert.equal(planets[0], a);
      assert.ok(Math.abs(a.v - 0.1) < 1e-12 && Math.abs(a.x - 0.01) < 1e-12, JSON.stringify(a));
      assert.ok(Math.abs(b.v + 0.3) < 1e-12 && Math.abs(b.x - 0.97) < 1e-12, JSON.stringify(b));
      m.sortByMass(planets);
      assert.deepEqual(
        planets.map((p) => p.mass),
        [1, 3],
      );
      assert.equal(planets[0], a); // the objects stay, their fields follow the sort
      const fixed = Object.freeze([Object.freeze({ x: 0, v: 0, mass: 2 })]);
      assert.equal(m.totalMass(fixed), 2);
      const words = ['a', 'abcd'];
      m.shout(words);
      assert.deepEqual(words, ['short', 'LONG']);
      throwsLike(() => m.step([{ x: 0, v: 0 }], 1), 'TypeError', /^step\(\): argument 1 element\.mass is missing/);
      throwsLike(() => m.step({ length: 1 }, 1), 'TypeError', /^step\(\): argument 1 must be an array, got object$/);
    });

    test('a returned *T into Zig memory is a live view: reads and writes go to that memory', () => {
      const o = m.origin();
      assert.deepEqual(o, { x: 1, y: 2 });
      assert.equal(JSON.stringify(o), '{"x":1,"y":2}');
      o.x = 5;
      assert.equal(m.originX(), 5);
      m.moveOrigin(1);
      assert.equal(o.x, 6);
      // Passed back as *T, a view is the memory itself (no copy, nothing written back).
      m.scale(o, 2);
      assert.equal(m.originX(), 12);
      assert.deepEqual(m.origin(), { x: 12, y: 4 });
      // *const T results are copies of the values at the time of the call.
      const copy = m.originCopy();
      assert.equal(Object.getOwnPropertyDescriptor(copy, 'x').value, 12);
      m.moveOrigin(1);
      assert.equal(copy.x, 12);
      // Assignments convert like arguments; accessors refuse other objects.
      throwsLike(
        () => {
          o.x = 'a';
        },
        'TypeError',
        /^Point view\.x must be a number, got string$/,
      );
      assert.equal(m.originX(), 13);
      throwsLike(() => Object.getOwnPropertyDescriptor(o, 'x').get.call({}), 'TypeError', /^Point view\.x: not called on a Point view$/);
      // Fields holding pointers are read-only; nested structs are read as copies, written whole.
      const l = m.theLabeled();
      assert.equal(l.label, 'first');
      assert.throws(() => {
        l.label = 'x';
      }, TypeError);
      l.at = { x: 3, y: 4 };
      assert.equal(m.labeledX(), 3);
      l.at.x = 99; // a copy: Zig's value is unchanged
      assert.equal(m.labeledX(), 3);
    });

    test('views of allocations: valid until a free function takes them; arena and argument pointers are copies', () => {
      const p = m.newPoint(1, 2);
      assert.equal(m.length(p), Math.sqrt(5));
      p.y = 0;
      assert.equal(m.length(p), 1);
      m.freePoint(p);
      const freed = (e) => e.code === 'ZIGIMPORT_FREED' && /this view's memory was given to a free function/.test(e.message);
      assert.throws(() => p.x, freed);
      assert.throws(() => m.length(p), freed);
      throwsLike(() => m.freePoint(p), 'TypeError', /^freePoint\(\): argument 1 was already freed/);
      throwsLike(() => m.freePoint({ x: 1, y: 2 }), 'TypeError', /^freePoint\(\): argument 1 is not memory this module allocated/);
      const arena = m.arenaPoint();
      assert.deepEqual(Object.getOwnPropertyDescriptor(arena, 'x'), { value: 7, writable: true, enumerable: true, configurable: true });
      const same = m.same({ x: 1, y: 1 });
      assert.equal(Object.getOwnPropertyDescriptor(same, 'x').value, 1);
      // Handles given to a free function are spent too.
      const w = m.createWindow(1, 2);
      m.destroyWindow(w);
      throwsLike(() => m.destroyWindow(w), 'TypeError', /^destroyWindow\(\): argument 1: this Window handle was given to a free function/);
      throwsLike(() => m.windowArea(w), 'TypeError', /^windowArea\(\): argument 1: this Window handle was given to a free function/);
    });

    test('C strings: [*:0]const u8 <-> string, ?[*:0]const u8 <-> string | null', () => {
      assert.equal(m.cLength('héllo'), 6n);
      assert.equal(m.cLength(new Uint8Array([104, 105])), 2n);
      assert.equal(m.greeting(true), 'Good day');
      assert.equal(m.greeting(false), 'hi');
      m.remember('bob');
      assert.equal(m.remembered(), 'bob');
      m.remember('x'.repeat(1000));
      assert.equal(m.remembered(), 'x'.repeat(64));
      assert.equal(m.orDefault(null), null);
      assert.equal(m.orDefault(undefined), null);
      assert.equal(m.orDefault(''), '(empty)');
      assert.equal(m.orDefault('kept'), 'kept');
      throwsLike(() => m.cLength(5), 'TypeError', /^cLength\(\): argument 1 must be a string or Uint8Array, got number$/);
      throwsLike(() => m.cLength(null), 'TypeError', /^cLength\(\): argument 1 must be a string or Uint8Array, got null$/);
    });

    test('opaque handles: only a handle of the right kind goes back; others are TypeErrors', () => {
      const w = m.createWindow(3, 4);
      assert.equal(typeof w, 'object');
      assert.deepEqual(Object.keys(w), []);
      assert.equal(m.windowArea(w), 12);
      assert.equal(m.openWindows(), 1);
      const font = m.defaultFont();
      assert.equal(m.fontSize(font), 12);
      throwsLike(
        () => m.windowArea(font),
        'TypeError',
        /^windowArea\(\): argument 1 must be a Window handle \(a value a Zig function returned as \*const pointers\.Window\), got another object$/,
      );
      throwsLike(() => m.fontSize(w), 'TypeError', /^fontSize\(\): argument 1 must be a Font handle/);
      throwsLike(() => m.windowArea({}), 'TypeError', /argument 1 must be a Window handle/);
      throwsLike(() => m.windowArea({ ...w }), 'TypeError', /argument 1 must be a Window handle/);
      throwsLike(() => m.windowArea(Object.create(w)), 'TypeError', /argument 1 must be a Window handle/);
      throwsLike(() => m.windowArea(null), 'TypeError', /^windowArea\(\): argument 1 must be a Window handle, got null$/);
      throwsLike(() => m.windowArea(12), 'TypeError', /got number/);
      m.destroyWindow(w);
      assert.equal(m.openWindows(), 0);
      const any = m.anyPointer();
      assert.equal(m.readAny(any), 42);
      throwsLike(() => m.readAny(w), 'TypeError', /^readAny\(\): argument 1 must be an anyopaque handle/);
      throwsLike(() => m.windowArea(any), 'TypeError', /must be a Window handle/);
      assert.equal(m.maybeAny(false), null);
      assert.equal(m.readAny(m.maybeAny(true)), 42);
      assert.equal(m.isNull(null), true);
      assert.equal(m.isNull(undefined), true);
      assert.equal(m.isNull(any), false);
    });

    test('recursive structures: nested objects out and in; a cycle is a RangeError, not a crash', () => {
      assert.deepEqual(m.list(), { value: 1, next: { value: 2, next: { value: 3, next: null } } });
      assert.equal(m.sumList(m.list()), 6);
      assert.equal(m.sumList({ value: 5, next: { value: 6, next: null } }), 11);
      assert.equal(m.sumList(null), 0);
      const cyc = { value: 1, next: null };
      cyc.next = cyc;
      // WebAssembly frames share V8's stack: a Debug build may reach its end (still a RangeError)
      // before the depth limit (README, "Browsers and bundlers").
      const wasmStackEnd = process.env.ZIGIMPORT_TARGET === 'wasm' ? '|^Maximum call stack size exceeded$' : '';
      throwsLike(() => m.sumList(cyc), 'RangeError', new RegExp(`^sumList\\(\\): argument 1….next: pointers nest more than 1000 levels deep${wasmStackEnd}`));
      throwsLike(() => m.ring(), 'RangeError', /^ring\(\): return value….next: pointers nest more than 1000 levels deep/);
      try {
        m.ring();
      } catch (e) {
        assert.equal(e.code, 'ZIGIMPORT_POINTER_DEPTH');
      }
      // The depth count is back to zero after an error: a long (but finite) list still converts.
      // (WebAssembly: shorter, so that a Debug build stays within V8's stack.)
      const length = wasmStackEnd ? 200 : 900;
      let long = null;
      for (let i = 0; i < length; i++) long = { value: 1, next: long };
      assert.equal(m.sumList(long), length);
      throwsLike(
        () => m.sumList({ value: 1, next: { value: 'x', next: null } }),
        'TypeError',
        /^sumList\(\): argument 1…\.value must be a number, got string$/,
      );
    });

    test('a method returning a pointer into its instance gives a live view that keeps the instance alive', () => {
      let body = new m.Body(2);
      const pos = body.position();
      pos.x = 4;
      assert.equal(body.x(), 4);
      body.step(1);
      assert.equal(pos.x, 5);
      assert.deepEqual(Object.keys(pos), ['x', 'y']);
      body = null;
      globalThis.gc?.();
      assert.equal(pos.x, 5); // the hidden owner reference kept the instance (and its memory)
    });

    test('[*]T followed by a usize: one typed array (or array) argument gives both', () => {
      assert.equal(m.sumMany(new Float64Array([1, 2, 3.5])), 6.5);
      assert.equal(m.sumMany([1, 2]), 3);
      assert.equal(m.sumMany(new Float64Array(0)), 0);
      const xs = new Float64Array([1, 2]);
      m.scaleMany(xs, 3);
      assert.deepEqual([...xs], [3, 6]);
      assert.equal(m.countByte('banana', 97), 3n);
      assert.equal(m.countByte(new Uint8Array([1, 1, 2]), 1), 2n);
      const filled = new Int32Array(3);
      let n = 0;
      m.fillWith(filled, () => ++n);
      assert.deepEqual([...filled], [1, 2, 3]);
      throwsLike(() => m.sumMany(), 'TypeError', /^sumMany\(\) expects 1 argument, got 0$/);
      throwsLike(() => m.sumMany(new Float64Array(2), 2), 'TypeError', /^sumMany\(\) expects 1 argument, got 2$/);
      throwsLike(() => m.sumMany(new Int32Array(2)), 'TypeError', /^sumMany\(\): argument 1 must be a Float64Array or array, got Int32Array/);
      throwsLike(() => m.scaleMany([1, 2], 2), 'TypeError', /^scaleMany\(\): argument 1 must be a Float64Array/);
      const detached = new Float64Array(4);
      structuredClone(detached.buffer, { transfer: [detached.buffer] });
      assert.equal(m.sumMany(detached), 0);
      assert.equal(m.noLength, undefined);
      const divmod = m.__zigimport_skipped.find((s) => s.name === 'divmod');
      assert.match(divmod.reason, /^parameter 3: type \*u32 is not supported: only pointers to structs and opaque types have a JS form/);
      const skipped = m.__zigimport_skipped.find((s) => s.name === 'noLength');
      assert.match(skipped.reason, /^parameter 1: a many-item pointer \(\[\*\]const f64\) carries no length: follow it with a `len: usize` parameter/);
    });

    test('pub var of pointer types: handles, C strings, struct pointers', () => {
      assert.equal(m.current_handle, null);
      m.current_handle = m.anyPointer();
      assert.equal(m.handleIsAny(), true);
      throwsLike(
        () => {
          m.current_handle = m.defaultFont();
        },
        'TypeError',
        /^current_handle must be an anyopaque handle/,
      );
      m.current_handle = null;
      assert.equal(m.handleIsAny(), false);
      assert.equal(m.title, 'untitled');
      m.title = 'a longer title';
      assert.equal(m.title, 'a longer title');
      assert.equal(m.titleLength(), 14n);
      assert.deepEqual(m.cursor, m.originCopy());
      m.cursor = { x: -1, y: -2 };
      assert.deepEqual(m.cursor, { x: -1, y: -2 });
    });

    test('constants: C strings, null handles, structures with pointers', () => {
      assert.equal(m.c_name, 'constant');
      assert.equal(m.no_handle, null);
      assert.deepEqual(m.two_nodes, { value: 10, next: { value: 20, next: null } });
      assert.equal(find('c_name').value, 'constant');
    });

    test('descriptor: struct pointers as structs with `pointer`, recursive ones as `ref`, handles branded', () => {
      const scale = find('scale');
      assert.equal(scale.params[0].kind, 'struct');
      assert.equal(scale.params[0].pointer, 'mutable');
      assert.equal(find('length').params[0].pointer, 'const');
      const next = find('list').returns.fields[1].type;
      assert.deepEqual(next.child, { kind: 'ref', zig: 'pointers.Node', name: 'Node', pointer: 'const' });
      assert.deepEqual(find('anyPointer').returns, { kind: 'handle', zig: '*anyopaque', name: 'anyopaque' });
      assert.deepEqual(find('windowArea').params[0], { kind: 'handle', zig: '*const pointers.Window', name: 'Window' });
      assert.deepEqual(find('cLength').params[0], { kind: 'string', zig: '[*:0]const u8' });
      assert.deepEqual(find('sumMany').params, [{ kind: 'typedarray', zig: '[]const f64', array: 'Float64Array', acceptsArray: true }]);
      assert.deepEqual(find('scaleMany').lengths, [1]);
      assert.equal(find('sumMany').params.length, 1);
      assert.equal(find('scale').lengths, undefined);
    });
  });
}

test('declarations: struct pointers as the struct, handles branded per kind, C strings as string; tsc checks them', () => {
  const exports = zigimport.loadSync(fixture, { cacheDir: SHARED_BUILD_DIR, zig: installedZig('0.17'), types: false });
  const text = declarationsFor({ file: fixture, exports, cacheDir: SHARED_BUILD_DIR, zig: installedZig('0.17') });
  assert.match(text, /export declare function scale\(p: Point, k: number\): void;/);
  assert.match(text, /export declare function step\(planets: Planet\[\], dt: number\): void;/);
  assert.match(text, /export declare function windowArea\(w: \{ readonly __zigHandle: "Window" \}\): number;/);
  assert.match(text, /export declare function maybeAny\(give: boolean\): \{ readonly __zigHandle: "anyopaque" \} \| null;/);
  assert.match(text, /export declare function orDefault\(s: string \| Uint8Array \| null \| undefined\): string \| null;/);
  assert.match(text, /export declare function sumMany\(ptr: Float64Array \| number\[\]\): number;/);
  assert.match(text, /export declare function scaleMany\(ptr: Float64Array, factor: number\): void;/);
  assert.match(text, /export declare function countByte\(bytes: string \| Uint8Array, byte: number\): bigint;/);
  assert.match(text, /export declare const c_name: "constant";/);
  assert.match(text, /export declare const no_handle: \{ readonly __zigHandle: "anyopaque" \} \| null;/);
  assert.match(text, /export interface Node \{\n {2}value: number;\n {2}next: Node \| null;\n\}/);
  assertTypeChecksWithNeededDirectives('pointers', text);
});
