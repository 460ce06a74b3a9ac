// Type matrix: arrays, tuples, vectors, unions, slices of structs
// and strings, `!?T`, constants, and the module descriptor
// (`__zigimport_describe()`, schema: src/types/descriptor.ts).
// test/fixtures/type_matrix.zig is compiled once into the shared build dir.
import { test, describe as group } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { SHARED_BUILD_DIR, throwsLike } from './helpers.mjs';

process.env.ZIGIMPORT_BUILD_DIR = SHARED_BUILD_DIR;
const fixture = fileURLToPath(new URL('./fixtures/type_matrix.zig', import.meta.url));
const { loadSync } = createRequire(import.meta.url)('../dist/index.js');
const m = loadSync(fixture);
const desc = JSON.parse(m.__zigimport_describe());
const find = (list, name) => list.find((e) => e.name === name);

const n = (zig) => ({ kind: 'number', zig });
const big = (zig) => ({ kind: 'bigint', zig });
const str = (zig = '[]const u8') => ({ kind: 'string', zig });
const point = {
  kind: 'struct',
  zig: 'type_matrix.Point',
  name: 'Point',
  fields: [
    { name: 'x', type: n('f64'), hasDefault: false },
    { name: 'y', type: n('f64'), hasDefault: false },
  ],
};
const fn = (name, params, returns, extra = {}) => ({ kind: 'function', name, params, returns, errors: [], async: false, kwargs: false, ...extra });

group('descriptor', () => {
  test('is a non-enumerable, read-only function returning JSON', () => {
    const d = Object.getOwnPropertyDescriptor(m, '__zigimport_describe');
    assert.equal(typeof d.value, 'function');
    assert.equal(d.enumerable, false);
    assert.equal(d.writable, false);
    assert.equal(desc.format, 1);
    assert.match(desc.binding, /^\d+\.\d+\.\d+$/);
    assert.deepEqual(desc.skipped.map((s) => s.name).sort(), ['ParseError', 'asyncBad']);
    assert.match(find(desc.skipped, 'asyncBad').reason, /async functions cannot take callbacks/);
  });

  test('functions: params, returns, errors, kwargs, async', () => {
    const e = desc.exports;
    assert.deepEqual(find(e, 'sumArr'), fn('sumArr', [{ kind: 'typedarray', zig: '[4]i32', array: 'Int32Array', acceptsArray: true, length: 4 }], big('i64')));
    assert.deepEqual(
      find(e, 'doubleAll'),
      fn('doubleAll', [{ kind: 'typedarray', zig: '[]i32', array: 'Int32Array', acceptsArray: false }], { kind: 'void', zig: 'void' }),
    );
    assert.deepEqual(find(e, 'pair'), fn('pair', [n('i32'), str()], { kind: 'tuple', zig: 'struct { i32, []const u8 }', elements: [n('i32'), str()] }));
    assert.deepEqual(
      find(e, 'centroid'),
      fn('centroid', [{ kind: 'array', zig: '[]const type_matrix.Point', element: point }], { kind: 'optional', zig: '?type_matrix.Point', child: point }),
    );
    assert.deepEqual(find(e, 'maybeLen'), fn('maybeLen', [str()], { kind: 'optional', zig: '?u32', child: n('u32') }, { errors: ['Empty', 'TooLong'] }));
    assert.deepEqual(
      find(e, 'joinWords'),
      fn('joinWords', [{ kind: 'array', zig: '[]const []const u8', element: str() }, str()], str(), { errors: ['OutOfMemory'] }),
    );
    assert.deepEqual(
      find(e, 'mapSum'),
      fn(
        'mapSum',
        [
          { kind: 'typedarray', zig: '[]const f64', array: 'Float64Array', acceptsArray: true },
          { kind: 'function', zig: '*const fn (f64) f64', params: [n('f64')], returns: n('f64') },
        ],
        n('f64'),
      ),
    );
    assert.equal(find(e, 'tryEach').errors, null); // inferred set including anyerror from the callback
    assert.deepEqual(
      find(e, 'slowSum'),
      fn('slowSum', [{ kind: 'typedarray', zig: '[]const f64', array: 'Float64Array', acceptsArray: true }, n('u32')], n('f64'), { async: true }),
    );
    assert.equal(find(e, 'echoItem').kwargs, true);
    assert.deepEqual(find(e, 'echoItem').params.length, 1);
  });

  test('unions, enums, classes and constants', () => {
    const e = desc.exports;
    const area = find(e, 'area').params[0];
    assert.equal(area.kind, 'union');
    assert.equal(area.name, 'Shape');
    assert.deepEqual(
      area.variants.map((v) => [v.name, v.type.kind]),
      [
        ['circle', 'number'],
        ['rect', 'struct'],
        ['empty', 'void'],
      ],
    );
    assert.equal(area.variants[1].type.name, undefined); // anonymous struct: no name
    assert.deepEqual(find(e, 'makeShape').params[0], { kind: 'enum', zig: 'type_matrix.Kind', name: 'Kind', values: ['round', 'square', 'none'] });
    assert.deepEqual(find(e, 'total').params, [
      { kind: 'class', zig: '*const type_matrix.Counter', name: 'Counter' },
      { kind: 'class', zig: 'type_matrix.Counter', name: 'Counter' },
    ]);
    const counter = find(e, 'Counter');
    assert.equal(counter.kind, 'class');
    assert.deepEqual(counter.constructorParams, [big('i64')]);
    assert.deepEqual(
      counter.methods.map((x) => x.name),
      ['inc', 'add', 'get', 'peek', 'clone'],
    );
    assert.deepEqual(find(counter.methods, 'add'), fn('add', [big('i64')], big('i64'), { errors: ['Negative'] }));
    assert.deepEqual(counter.fields, [
      { name: 'value', type: big('i64'), hasDefault: false },
      { name: 'step', type: n('i32'), hasDefault: true },
    ]);
    assert.deepEqual(counter.statics, [
      fn('withStep', [big('i64'), n('i32')], { kind: 'class', zig: 'type_matrix.Counter', name: 'Counter' }),
      { kind: 'constant', name: 'max_step', type: n('comptime_int'), value: 100 },
    ]);
    assert.deepEqual(find(e, 'small'), { kind: 'constant', name: 'small', type: n('comptime_int'), value: 7 });
    assert.deepEqual(find(e, 'wide'), { kind: 'constant', name: 'wide', type: big('comptime_int'), value: '1152921504606846976' });
    assert.deepEqual(find(e, 'origin'), { kind: 'constant', name: 'origin', type: point, value: { x: 1, y: 2 } });
    assert.equal(find(e, 'third').value, 1 / 3);
  });
});

group('arrays, vectors, tuples', () => {
  test('[N]T: typed array or plain array, length checked', () => {
    assert.equal(m.sumArr([1, 2, 3, 4]), 10n);
    assert.equal(m.sumArr(new Int32Array([1, 2, 3, 4])), 10n);
    throwsLike(() => m.sumArr([1, 2]), 'RangeError', /^sumArr\(\): argument 1 must have length 4, got 2$/);
    throwsLike(() => m.sumArr(new Int32Array(5)), 'RangeError', /must have length 4, got 5/);
    throwsLike(() => m.sumArr(new Float64Array(4)), 'TypeError', /must be an Int32Array or array, got Float64Array/);
    throwsLike(() => m.sumArr([1, 2, 'x', 4]), 'TypeError', /argument 1 element must be a number, got string/);
    const r = m.revArr([1, 2, 3]);
    assert.ok(r instanceof Float64Array);
    assert.deepEqual([...r], [3, 2, 1]);
    assert.deepEqual(m.names3(['a', 'b', 'c']), ['c', 'b', 'a']);
    assert.deepEqual(m.flags(5), [true, false, true]);
    assert.deepEqual(m.primes, new Uint8Array([2, 3, 5, 7]));
  });

  test('@Vector: typed arrays both ways', () => {
    assert.deepEqual(m.addVec([1, 2, 3, 4], new Float32Array([1, 1, 1, 1])), new Float32Array([2, 3, 4, 5]));
    assert.deepEqual(m.bigVec(5n), new BigUint64Array([5n, 6n]));
  });

  test('tuples: fixed-shape arrays', () => {
    assert.deepEqual(m.pair(3, 'x'), [6, 'x']);
    assert.deepEqual(m.swap([1.5, true]), [true, 1.5]);
    throwsLike(() => m.swap([1.5]), 'RangeError', /must have length 2, got 1/);
    throwsLike(() => m.swap([1.5, 1]), 'TypeError', /^swap\(\): argument 1\[1\] must be a boolean, got number$/);
  });
});

group('slices', () => {
  test('const numeric slices accept plain arrays (copied)', () => {
    assert.equal(m.sumF64([1, 2, 3]), 6);
    assert.equal(m.sumF64(new Float64Array([1, 2])), 3);
    assert.equal(m.sumF64([]), 0);
    assert.equal(m.sumU64s([1n, 2]), 3n);
    // biome-ignore lint/suspicious/noSparseArray: the hole is the input under test
    throwsLike(() => m.sumF64([1, , 3]), 'TypeError', /element must be a number, got undefined/);
  });

  test('mutable numeric slices are zero-copy and need a typed array', () => {
    const a = new Int32Array([1, 2]);
    m.doubleAll(a);
    assert.deepEqual([...a], [2, 4]);
    throwsLike(() => m.doubleAll([1, 2]), 'TypeError', /must be an Int32Array, got array/);
    const b = m.rawBytes(3);
    assert.ok(b instanceof Uint8Array);
    assert.deepEqual([...b], [0, 1, 2]);
  });

  test('slices of structs and strings are JS arrays', () => {
    assert.deepEqual(
      m.centroid([
        { x: 0, y: 0 },
        { x: 2, y: 2 },
      ]),
      { x: 1, y: 1 },
    );
    assert.equal(m.centroid([]), null);
    assert.deepEqual(m.grid(3), [
      { x: 0, y: 0 },
      { x: 1, y: 1 },
      { x: 2, y: 4 },
    ]);
    assert.equal(m.joinWords(['a', 'b', 'c'], '-'), 'a-b-c');
    assert.deepEqual(m.splitWords('a bb  c'), ['a', 'bb', 'c']);
    throwsLike(() => m.centroid([{ x: 0 }]), 'TypeError', /argument 1 element\.y is missing/);
    throwsLike(() => m.joinWords('ab', '-'), 'TypeError', /must be an array, got string/);
  });
});

group('unions, nesting, errors', () => {
  test('tagged unions are single-key objects', () => {
    assert.equal(m.area({ circle: 1 }), Math.PI);
    assert.equal(m.area({ rect: { w: 2, h: 3 } }), 6);
    assert.equal(m.area({ empty: null }), 0);
    assert.deepEqual(m.makeShape('square', 2), { rect: { w: 2, h: 2 } });
    assert.deepEqual(m.makeShape('round', 2), { circle: 2 });
    assert.deepEqual(m.makeShape('none', 2), { empty: undefined });
    throwsLike(() => m.area({ x: 1 }), 'TypeError', /unknown key "x" \(expected one of "circle", "rect", "empty"\)/);
    throwsLike(() => m.area({ circle: 1, rect: 2 }), 'TypeError', /got an object with 2 keys/);
    throwsLike(() => m.area('circle'), 'TypeError', /must be an object with one key/);
    throwsLike(() => m.area({ circle: 'x' }), 'TypeError', /argument 1\.circle must be a number/);
  });

  test('nested structs with slices, arrays, optionals and unions', () => {
    assert.equal(
      m.summarize([
        { name: 'a', scores: [1, 2] },
        { name: 'b', tags: ['x'], shape: { circle: 2 } },
      ]),
      '2 items, 3 points',
    );
    assert.deepEqual(m.echoItem({ name: 'n', shape: { rect: { w: 1, h: 2 } } }), {
      name: 'n',
      tags: [],
      scores: new Uint8Array([0, 0]),
      shape: { rect: { w: 1, h: 2 } },
      weight: null,
    });
    throwsLike(() => m.summarize([{ name: 'a', scores: [1, 256] }]), 'RangeError', /element\.scores element is out of range for u8/);
  });

  test('!?T and errors from nested calls', () => {
    assert.equal(m.maybeLen('none'), null);
    assert.equal(m.maybeLen('abc'), 3);
    for (const [arg, code] of [
      ['', 'Empty'],
      ['123456789', 'TooLong'],
    ]) {
      assert.throws(
        () => m.maybeLen(arg),
        (e) => e.code === code && e.message === `maybeLen() failed: error.${code}`,
      );
    }
    assert.throws(
      () => m.failVoid(true),
      (e) => e.code === 'Requested',
    );
    assert.equal(m.failVoid(false), undefined);
  });

  test('constants by size', () => {
    assert.equal(m.small, 7);
    assert.equal(m.wide, 2n ** 60n);
    assert.equal(m.third, 1 / 3);
  });
});
