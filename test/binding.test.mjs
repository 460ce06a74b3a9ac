// Binding layer (zig/*.zig): how Zig declarations and values look from JavaScript.
// Loads test/fixtures/core_types.zig through the package's programmatic API.
import { test, describe as group } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { SHARED_BUILD_DIR, throwsLike } from './helpers.mjs';

process.env.ZIGIMPORT_BUILD_DIR = SHARED_BUILD_DIR;

const distIndex = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/core_types.zig', import.meta.url));
const { loadSync } = createRequire(import.meta.url)(distIndex);
const m = loadSync(fixture);

/** assert.throws with the error class name and a message pattern. */

/** A Zig error: plain Error, `code` = error name, fixed message shape. */
function throwsZig(fn, fnName, code) {
  assert.throws(fn, (err) => {
    assert.equal(err.constructor, Error);
    assert.equal(err.code, code);
    assert.equal(err.message, `${fnName}() failed: error.${code}`);
    return true;
  });
}

group('exports object', () => {
  test('pub fns are functions with their Zig names', () => {
    for (const name of ['add', 'multiply', 'fibonacci', 'upper', 'describe', 'hello']) {
      assert.equal(typeof m[name], 'function', name);
      assert.equal(m[name].name, name);
    }
  });

  test('pub consts become read-only enumerable properties', () => {
    assert.equal(m.answer, 42);
    assert.equal(m.big, 2 ** 40);
    assert.equal(m.huge, 2n ** 70n);
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the fixture's constant, not Math.PI
    assert.equal(m.pi, 3.14159);
    assert.equal(m.max_u8, 255);
    assert.equal(m.limit, 10000000000n);
    assert.equal(m.ratio, 0.5);
    assert.equal(m.enabled, true);
    assert.equal(m.name, 'core_types');
    assert.equal(m.default_color, 'green');
    assert.deepEqual(m.origin, { x: 0, y: 0 });
    assert.match(m.binding_version, /^\d+\.\d+\.\d+$/);
    const d = Object.getOwnPropertyDescriptor(m, 'answer');
    assert.equal(d.enumerable, true);
    assert.equal(d.writable, false);
    assert.throws(() => {
      m.answer = 1;
    }, TypeError);
    assert.ok(Object.keys(m).includes('pi'));
  });

  test('namespaces become nested objects', () => {
    assert.equal(m.geometry.area(2, 3), 6);
    assert.equal(m.geometry.unit, 1);
    assert.equal(m.geometry.inner.depth(), 2);
    throwsLike(() => m.geometry.area(1), 'TypeError', /^geometry\.area\(\) expects 2 arguments, got 1$/);
  });

  test('__zigimport_skipped lists what could not be exported, with reasons', () => {
    const d = Object.getOwnPropertyDescriptor(m, '__zigimport_skipped');
    assert.equal(d.enumerable, false);
    assert.ok(!Object.keys(m).includes('__zigimport_skipped'));
    const skipped = new Map(m.__zigimport_skipped.map((s) => [s.name, s.reason]));
    for (const name of ['identity', 'show', 'geometry.generic', 'rawPointer', 'IntAlias', 'imported']) {
      assert.ok(skipped.has(name), `${name} should be skipped`);
      assert.equal(typeof skipped.get(name), 'string');
      assert.ok(skipped.get(name).length > 0);
    }
    assert.match(skipped.get('identity'), /comptime/);
    assert.match(skipped.get('show'), /anytype/);
    assert.match(skipped.get('rawPointer'), /\*i32/);
    assert.deepEqual(m.tupleBack(), [1, 2]); // tuples are arrays now
    assert.equal(m.identity, undefined);
    assert.equal(m.show, undefined);
    // A `pub var` is a live accessor now (test/pub-var.test.mjs).
    assert.ok(!skipped.has('mutable_state'));
    assert.equal(m.mutable_state, 0);
    // Data types are left out quietly (classes come later).
    for (const name of ['Point', 'Shape', 'Color']) {
      assert.ok(!skipped.has(name), name);
      assert.equal(m[name], undefined);
    }
  });
});

group('the issue examples', () => {
  test('add, multiply, fibonacci', () => {
    assert.equal(m.add(2, 3), 5);
    assert.equal(m.add(-(2 ** 31), 0), -(2 ** 31));
    assert.equal(m.multiply(2.5, 4), 10);
    assert.equal(m.fibonacci(10), 55n);
    assert.equal(m.fibonacci(90), 2880067194370816120n);
  });

  test('wrong argument count is a TypeError', () => {
    throwsLike(() => m.add(1), 'TypeError', /^add\(\) expects 2 arguments, got 1$/);
    throwsLike(() => m.add(1, 2, 3), 'TypeError', /^add\(\) expects 2 arguments, got 3$/);
    throwsLike(() => m.fibonacci(), 'TypeError', /^fibonacci\(\) expects 1 argument, got 0$/);
    throwsLike(() => m.greeting(1), 'TypeError', /^greeting\(\) expects 0 arguments, got 1$/);
  });

  test('wrong argument type names the position and the expected type', () => {
    throwsLike(() => m.add('1', 2), 'TypeError', /^add\(\): argument 1 must be a number, got string$/);
    throwsLike(() => m.add(1, 2n), 'TypeError', /^add\(\): argument 2 must be a number, got bigint$/);
    throwsLike(() => m.add(null, 2), 'TypeError', /argument 1 must be a number, got null$/);
    throwsLike(() => m.multiply({}, 2), 'TypeError', /^multiply\(\): argument 1 must be a number, got object$/);
  });
});

group('integers', () => {
  test('small integers are numbers, checked for integrality and range', () => {
    assert.equal(m.echoU8(255), 255);
    assert.equal(m.echoI8(-128), -128);
    assert.equal(m.echoI16(-32768), -32768);
    assert.equal(m.echoU32(4294967295), 4294967295);
    throwsLike(() => m.echoU8(256), 'RangeError', /^echoU8\(\): argument 1 is out of range for u8 \(0\.\.255\)$/);
    throwsLike(() => m.echoU8(-1), 'RangeError', /out of range for u8/);
    throwsLike(() => m.echoI16(32768), 'RangeError', /out of range for i16 \(-32768\.\.32767\)/);
    throwsLike(() => m.add(2 ** 31, 0), 'RangeError', /out of range for i32/);
    throwsLike(() => m.add(Infinity, 0), 'RangeError', /out of range for i32/);
    throwsLike(() => m.add(1.5, 1), 'TypeError', /^add\(\): argument 1 must be an integer, got a non-integral number$/);
    throwsLike(() => m.add(NaN, 1), 'TypeError', /must be an integer, got NaN/);
  });

  test('64-bit and wider integers return BigInt and accept BigInt or integral numbers', () => {
    assert.equal(m.echoI64(-5n), -5n);
    assert.equal(m.echoI64(7), 7n);
    assert.equal(m.echoI64(-(2 ** 63)), -(2n ** 63n));
    assert.equal(m.negate64(5n), -5n);
    assert.equal(m.echoU64(2n ** 64n - 1n), 2n ** 64n - 1n);
    assert.equal(m.echoI128(-(2n ** 100n)), -(2n ** 100n));
    assert.equal(m.echoI128(2n ** 127n - 1n), 2n ** 127n - 1n);
    assert.equal(m.echoI128(12), 12n);
    throwsLike(() => m.echoI64(2n ** 63n), 'RangeError', /^echoI64\(\): argument 1 is out of range for i64/);
    throwsLike(() => m.echoI64(2 ** 63), 'RangeError', /out of range for i64/);
    throwsLike(() => m.echoU64(-1n), 'RangeError', /out of range for u64/);
    throwsLike(() => m.echoU64(2n ** 64n), 'RangeError', /out of range for u64/);
    throwsLike(() => m.echoI128(2n ** 127n), 'RangeError', /out of range for i128/);
    throwsLike(() => m.echoI128(-(2n ** 200n)), 'RangeError', /out of range for i128/);
    throwsLike(() => m.echoI64(1.5), 'TypeError', /must be an integer/);
    throwsLike(() => m.echoI64('1'), 'TypeError', /^echoI64\(\): argument 1 must be a bigint or integer number, got string$/);
  });

  test('usize and isize (64-bit) are bigints like u64 and i64: every value, never an error', () => {
    assert.equal(m.echoUsize(Number.MAX_SAFE_INTEGER), BigInt(Number.MAX_SAFE_INTEGER));
    assert.equal(m.echoUsize(2n ** 53n + 1n), 2n ** 53n + 1n);
    assert.equal(m.echoIsize(Number.MIN_SAFE_INTEGER), BigInt(Number.MIN_SAFE_INTEGER));
    throwsLike(() => m.echoUsize(-1), 'RangeError', /out of range for usize \(0\.\.18446744073709551615\)/);
    assert.equal(m.maxUsize(), 2n ** 64n - 1n);
  });
});

group('floats, bool, void', () => {
  test('floats are numbers', () => {
    assert.equal(m.halfF32(3), 1.5);
    assert.ok(Object.is(m.echoF64(-0), -0));
    assert.ok(Number.isNaN(m.echoF64(NaN)));
    assert.equal(m.echoF64(Infinity), Infinity);
    assert.equal(m.echoF16(0.5), 0.5);
    assert.equal(m.echoF16(65504), 65504);
    throwsLike(() => m.halfF32('x'), 'TypeError', /^halfF32\(\): argument 1 must be a number, got string$/);
  });

  test('bool is strict', () => {
    assert.equal(m.not(true), false);
    assert.equal(m.not(false), true);
    throwsLike(() => m.not(1), 'TypeError', /^not\(\): argument 1 must be a boolean, got number$/);
    throwsLike(() => m.not(undefined), 'TypeError', /must be a boolean, got undefined/);
  });

  test('void returns undefined', () => {
    const before = m.getCounter();
    assert.equal(m.bump(), undefined);
    assert.equal(m.getCounter(), before + 1);
  });
});

group('strings', () => {
  test('string parameters are UTF-8, from strings or bytes', () => {
    assert.equal(m.strlen('héllo'), 6n);
    assert.equal(m.strlen(''), 0n);
    assert.equal(m.strlen(Buffer.from('abc')), 3n);
    assert.equal(m.strlen(new Uint8Array(5)), 5n);
    assert.equal(m.strlen('\uD800'), 3n); // lone surrogate -> U+FFFD
    assert.equal(m.zlen('abc'), 3n);
    assert.equal(m.zlen(new Uint8Array([65, 66])), 2n);
    assert.equal(m.firstByte(''), null);
    assert.equal(m.firstByte('A'), 65);
  });

  test('long and multi-byte strings around the stack buffer size', () => {
    for (let n = 490; n <= 530; n++) assert.equal(m.strlen('a'.repeat(n)), BigInt(n));
    for (let n = 160; n <= 180; n++) assert.equal(m.strlen('€'.repeat(n)), BigInt(3 * n));
    for (let n = 120; n <= 135; n++) assert.equal(m.strlen('😀'.repeat(n)), BigInt(4 * n));
    assert.equal(m.strlen('x'.repeat(100000)), 100000n);
    assert.equal(m.zlen('é'.repeat(1000)), 2000n);
  });

  test('string results', () => {
    assert.equal(m.greeting(), 'hello from zig');
    assert.equal(m.literal(), 'zig!!');
    assert.equal(m.upper('abc'), 'ABC');
    assert.equal(m.upper('x'.repeat(5000)), 'X'.repeat(5000));
    assert.equal(m.concat('ab', 'cd'), 'abcd');
    assert.equal(m.concat('€', '😀'), '€😀');
  });

  test('allocator results are freed per call (many calls stay fine)', () => {
    for (let i = 0; i < 2000; i++) assert.equal(m.upper(`item ${i} `.repeat(20)), `ITEM ${i} `.repeat(20));
  });

  test('wrong string argument', () => {
    throwsLike(() => m.strlen(5), 'TypeError', /^strlen\(\): argument 1 must be a string or Uint8Array, got number$/);
    throwsLike(() => m.strlen(new Int32Array(2)), 'TypeError', /got Int32Array$/);
    throwsLike(() => m.strlen([1]), 'TypeError', /got array$/);
  });
});

group('typed arrays', () => {
  test('mutable slices are zero-copy: writes are visible to JS', () => {
    const xs = new Float64Array([1, 2, 3]);
    assert.equal(m.scaleInPlace(xs, 2), undefined);
    assert.deepEqual([...xs], [2, 4, 6]);
    const base = new Float64Array([1, 2, 3, 4]);
    m.scaleInPlace(base.subarray(1, 3), 10);
    assert.deepEqual([...base], [1, 20, 30, 4]);
    const buf = Buffer.alloc(4);
    m.fillBytes(buf, 7);
    assert.deepEqual([...buf], [7, 7, 7, 7]);
    m.fillBytes(new Uint8Array(0), 1);
  });

  test('const slices read typed arrays', () => {
    assert.equal(m.sumI32(new Int32Array([1, 2, 3])), 6n);
    assert.equal(m.sumI32(new Int32Array(0)), 0n);
    assert.equal(m.sumF32(new Float32Array([0.5, 0.25])), 0.75);
    assert.equal(m.sumU64(new BigUint64Array([1n, 2n])), 3n);
    assert.equal(m.findIndex(new Int32Array([5, 6]), 6), 1n);
    assert.equal(m.findIndex(new Int32Array([5, 6]), 7), null);
  });

  test('returned slices become new typed arrays', () => {
    const r = m.range(4);
    assert.ok(r instanceof Float64Array);
    assert.deepEqual([...r], [0, 1, 2, 3]);
    assert.notEqual(m.range(4), r);
    assert.equal(m.range(0).length, 0);
    const sq = m.squares(new Int16Array([3, -4]));
    assert.ok(sq instanceof Int16Array);
    assert.deepEqual([...sq], [9, 16]);
    const b = m.bytes(3);
    assert.ok(b instanceof Uint8Array);
    assert.deepEqual([...b], [0, 1, 2]);
  });

  test('the wrong kind of array is a TypeError naming the expected one', () => {
    throwsLike(() => m.sumI32(new Float64Array(2)), 'TypeError', /^sumI32\(\): argument 1 must be an Int32Array or array, got Float64Array$/);
    assert.equal(m.sumI32([1, 2]), 3n); // const slices also take plain arrays (copied)
    throwsLike(() => m.sumI32(['1']), 'TypeError', /argument 1 element must be a number, got string/);
    throwsLike(() => m.scaleInPlace(new Float32Array(1), 2), 'TypeError', /must be a Float64Array, got Float32Array/);
    throwsLike(() => m.fillBytes('abc', 1), 'TypeError', /must be a Uint8Array, got string/);
  });
});

group('optionals and errors', () => {
  test('optionals map to null and accept undefined', () => {
    assert.equal(m.maybeDouble(4), 8);
    assert.equal(m.maybeDouble(null), null);
    assert.equal(m.maybeDouble(undefined), null);
    throwsLike(() => m.maybeDouble('x'), 'TypeError', /must be a number, got string/);
  });

  test('Zig errors throw an Error with the error name as code', () => {
    assert.equal(m.divide(7, 2), 3);
    throwsZig(() => m.divide(1, 0), 'divide', 'DivisionByZero');
    assert.equal(m.check(1), undefined);
    throwsZig(() => m.check(-1), 'check', 'Negative');
    assert.equal(m.parseMaybe(''), null);
    assert.equal(m.parseMaybe('12'), 12);
    throwsZig(() => m.parseMaybe('zz'), 'parseMaybe', 'InvalidCharacter');
    throwsZig(() => m.parseMaybe('99999999999'), 'parseMaybe', 'Overflow');
  });
});

group('enums and structs', () => {
  test('enums are tag-name strings', () => {
    assert.equal(m.nextColor('red'), 'green');
    assert.equal(m.nextColor('blue'), 'red');
    throwsLike(() => m.nextColor('purple'), 'TypeError', /^nextColor\(\): argument 1 must be one of "red", "green", "blue", got "purple"$/);
    throwsLike(() => m.nextColor('re'), 'TypeError', /must be one of/);
    throwsLike(() => m.nextColor('red€'), 'TypeError', /must be one of/);
    throwsLike(() => m.nextColor(1), 'TypeError', /must be a string \(one of "red", "green", "blue"\), got number/);
  });

  test('struct parameters read fields by name, with defaults', () => {
    assert.equal(m.describe({ name: 'sq', origin: { x: 1, y: 2 } }), 'sq at (1,2) blue x1 tag=null');
    assert.equal(m.describe({ name: 'sq', origin: { x: 1, y: 2 }, color: 'red', scale: 2, tag: 5 }), 'sq at (1,2) red x2 tag=5');
    assert.deepEqual(m.midpoint({ x: 0, y: 0 }, { x: 2, y: 4 }), { x: 1, y: 2 });
  });

  test('struct results are plain objects with every field', () => {
    const s = m.moveShape({ name: 'sq', origin: { x: 1, y: 2 }, tag: 3 }, 1, 1);
    assert.deepEqual(s, { name: 'sq', origin: { x: 2, y: 3 }, color: 'blue', scale: 1, tag: 3 });
    assert.equal(m.moveShape({ name: 'n', origin: { x: 0, y: 0 } }, 0, 0).tag, null);
  });

  test('struct errors name the field', () => {
    throwsLike(() => m.describe({ origin: { x: 1, y: 2 } }), 'TypeError', /^describe\(\): argument 1\.name is missing \(expected a string or Uint8Array\)$/);
    throwsLike(() => m.describe({ name: 'a', origin: { x: 1 } }), 'TypeError', /argument 1\.origin\.y is missing/);
    throwsLike(() => m.describe({ name: 'a', origin: { x: '1', y: 2 } }), 'TypeError', /argument 1\.origin\.x must be a number, got string/);
    throwsLike(
      () => m.describe({ name: 'a', origin: { x: 1, y: 2 }, color: 'pink' }),
      'TypeError',
      /argument 1\.color must be one of "red", "green", "blue", got "pink"/,
    );
    throwsLike(() => m.midpoint(1, { x: 0, y: 0 }), 'TypeError', /^midpoint\(\): argument 1 must be an object, got number$/);
    throwsLike(() => m.midpoint({ x: 0, y: 0 }, null), 'TypeError', /argument 2 must be an object, got null/);
  });

  test('an exception thrown by a getter propagates unchanged', () => {
    const boom = new Error('getter boom');
    assert.throws(
      () =>
        m.describe({
          get name() {
            throw boom;
          },
          origin: { x: 0, y: 0 },
        }),
      (err) => err === boom,
    );
    assert.equal(m.add(1, 1), 2); // nothing left pending
  });

  test('a getter may call back into the addon while arguments are read', () => {
    const arg = {
      get name() {
        return m.upper('inner');
      },
      origin: { x: 0, y: 0 },
    };
    assert.equal(m.describe(arg), 'INNER at (0,0) blue x1 tag=null');
  });
});

group('keyword-argument form', () => {
  test('positional arguments or one object', () => {
    assert.equal(m.hello('World'), 'Hello, World!');
    assert.equal(m.hello({ name: 'World' }), 'Hello, World!');
    assert.equal(m.hello('World', '?'), 'Hello, World?');
    assert.equal(m.hello({ name: 'W', punctuation: '.' }), 'Hello, W.');
    assert.equal(m.hello(Buffer.from('Zig')), 'Hello, Zig!');
    assert.equal(m.box(2), 2);
    assert.equal(m.box(2, 3), 6);
    assert.equal(m.box(2, 3, 4), 24);
    assert.equal(m.box({ w: 5, d: 2 }), 10);
    assert.equal(m.describe('sq', { x: 1, y: 2 }), 'sq at (1,2) blue x1 tag=null');
    assert.equal(m.describe('sq', { x: 1, y: 2 }, 'red', 3, 7), 'sq at (1,2) red x3 tag=7');
  });

  test('argument count and missing fields', () => {
    throwsLike(() => m.hello(), 'TypeError', /^hello\(\) expects 1 to 2 arguments, got 0$/);
    throwsLike(() => m.hello('a', 'b', 'c'), 'TypeError', /^hello\(\) expects 1 to 2 arguments, got 3$/);
    throwsLike(() => m.hello({}), 'TypeError', /^hello\(\): argument 1\.name is missing/);
    throwsLike(() => m.box([2]), 'TypeError', /^box\(\): argument 1 must be a number, got array$/);
    throwsLike(() => m.describe('sq'), 'TypeError', /^describe\(\) expects an object or 2 to 5 arguments, got 1$/);
  });
});

group('process and threads', () => {
  test('a Zig panic prints its message and a stack trace naming the user file and line, then ends the process (Debug)', () => {
    const script = `const { loadSync } = require(${JSON.stringify(distIndex)});
      loadSync(${JSON.stringify(fixture)}, { optimize: 'Debug' }).overflow(100);`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: process.env });
    assert.ok(r.status !== 0 || r.signal !== null, 'process should not exit cleanly');
    assert.match(r.stderr, /panic: integer overflow/);
    const line =
      fs
        .readFileSync(fixture, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('return x + 200;')) + 1;
    assert.match(r.stderr, new RegExp(`core_types\\.zig:${line}:\\d+: 0x[0-9a-f]+ in overflow`), 'the trace names the user file and line');
    assert.match(r.stderr, /return x \+ 200;/, 'with the source line');
  });

  test('works in a worker thread with its own environment', async () => {
    const code = `const { parentPort } = require('node:worker_threads');
      const m = require(${JSON.stringify(distIndex)}).loadSync(${JSON.stringify(fixture)});
      let out = '';
      for (let i = 0; i < 100; i++) out = m.upper('worker ' + i);
      parentPort.postMessage([out, m.add(20, 22), m.hello({ name: 'thread' })]);`;
    const w = new Worker(code, { eval: true });
    const msg = await new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    assert.deepEqual(msg, ['WORKER 99', 42, 'Hello, thread!']);
    await w.terminate();
    assert.equal(m.upper('main'), 'MAIN');
  });
});
