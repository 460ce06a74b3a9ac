// Optional callbacks (`?*const fn`: null/undefined give Zig null) and callbacks inside an options
// struct (`{ onProgress: fn }`, valid for the call), with the callback parameter cap (32; a
// 33-parameter callback is skipped with its reason). Hostile values are TypeErrors, never a
// crash. Real compiles on Zig 0.17 and 0.15; the declarations are checked by tsc.
import { test, describe as group } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { FIXTURES, SHARED_BUILD_DIR, installedZig, require, zigimport, assertTypeChecksWithNeededDirectives } from './helpers.mjs';

const fixture = path.join(FIXTURES, 'callback_options.zig');
const arityFixture = path.join(FIXTURES, 'callback_arity.zig');
const { declarationsFor } = require('../dist/types/write.js');

for (const release of ['0.17', '0.15']) {
  const zig = installedZig(release);
  const m = zigimport.loadSync(fixture, { cacheDir: SHARED_BUILD_DIR, zig, types: false });

  group(`Zig ${release}`, () => {
    test('an optional callback: null and undefined give Zig null, a function is called', () => {
      assert.equal(m.sumMapped([1, 2, 3], null), 6);
      assert.equal(m.sumMapped([1, 2, 3], undefined), 6);
      assert.equal(
        m.sumMapped([1, 2, 3], (x) => x * 10),
        60,
      );
      assert.equal(m.keep(null), false);
      assert.equal(
        m.keep(() => {}),
        true,
      );
    });

    test('an options object with callback fields: called during the call, defaults and optional fields apply', () => {
      const seen = [];
      assert.equal(
        m.run({
          onProgress: (step, label) => {
            seen.push(`${label}:${step}`);
          },
        }),
        3,
      );
      assert.deepEqual(seen, ['job:0', 'job:1', 'job:2']);
      const done = [];
      assert.equal(
        m.run({
          steps: 4,
          label: 'copy',
          onProgress: () => {},
          onDone: (total) => {
            done.push(total);
            return false;
          },
        }),
        0,
      );
      assert.deepEqual(done, [6]);
      assert.equal(m.run({ steps: 2, onProgress: () => {}, onDone: null }), 1);
      assert.equal(m.filterCount(10, { keep: (x) => x % 3 === 0 }), 4);
    });

    test('re-entrant calls each see their own options callbacks', () => {
      const inner = [];
      const outer = m.run({
        steps: 2,
        onProgress: (step) => {
          inner.push(m.filterCount(step + 2, { keep: () => true }));
        },
      });
      assert.equal(outer, 1);
      assert.deepEqual(inner, [2, 3]);
    });

    test('hostile values are TypeErrors naming the field or argument, never a crash', () => {
      assert.throws(() => m.run({ onProgress: 42 }), {
        name: 'TypeError',
        message: 'run(): argument 1.onProgress must be a function, got number',
      });
      assert.throws(() => m.run({}), { name: 'TypeError', message: /argument 1\.onProgress must be a function, got undefined/ });
      assert.throws(() => m.run({ onProgress: () => {}, onDone: 'yes' }), {
        name: 'TypeError',
        message: /argument 1\.onDone must be a function, null or undefined, got string/,
      });
      assert.throws(() => m.run(() => {}), TypeError);
      assert.throws(() => m.sumMapped([1], 5), { name: 'TypeError', message: /argument 2 must be a function, null or undefined, got number/ });
      assert.throws(() => m.sumMapped([1], () => 'x'), { name: 'TypeError', message: /callback return value must be a number, got string/ });
      assert.throws(() => m.run({ onProgress: () => {}, onDone: () => 1 }), {
        name: 'TypeError',
        message: /onDone: callback return value must be a boolean/,
      });
      assert.throws(
        () =>
          m.run({
            onProgress: () => {
              throw new RangeError('stop');
            },
          }),
        { name: 'RangeError', message: 'stop' },
      );
      // A getter on the options object that throws, and a later field that fails after a
      // callback field was read: both leave the module usable.
      assert.throws(
        () =>
          m.run({
            onProgress: () => {},
            get onDone() {
              throw new Error('getter');
            },
          }),
        { message: 'getter' },
      );
      assert.throws(() => m.run({ steps: -1, onProgress: () => {} }), RangeError);
      assert.equal(m.run({ steps: 1, onProgress: () => {} }), 0);
    });
  });
}

test('a callback of 33 parameters is skipped with its reason; 32 parameters work', () => {
  for (const release of ['0.17', '0.15']) {
    const m = zigimport.loadSync(arityFixture, { cacheDir: SHARED_BUILD_DIR, zig: installedZig(release), types: false });
    assert.deepEqual(m.__zigimport_skipped, [{ name: 'apply33', reason: 'parameter 1: callbacks take at most 32 parameters' }]);
    assert.equal(m.apply33, undefined);
    assert.equal(
      m.apply32((...xs) => xs.reduce((a, b) => a + b, 0)),
      (32 * 33) / 2,
    );
  }
});

test('declarations: optional callbacks as `| null | undefined`, callback fields as function types; tsc checks them', () => {
  const zig = installedZig('0.17');
  const exports = zigimport.loadSync(fixture, { cacheDir: SHARED_BUILD_DIR, zig, types: false });
  const text = declarationsFor({ file: fixture, exports, cacheDir: SHARED_BUILD_DIR, zig });
  assert.match(text, /export declare function sumMapped\(xs: Float64Array \| number\[\], map: \(\(arg0: number\) => number\) \| null \| undefined\): number;/);
  assert.match(text, /onProgress: \(\(arg0: number, arg1: string\) => void\);/);
  assert.match(text, /onDone\?: \(\(arg0: number\) => boolean\) \| null \| undefined;/);
  assert.match(text, /export declare function filterCount\(limit: number, filter: \{ keep: \(\(arg0: number\) => boolean\) \}\): number;/);
  assertTypeChecksWithNeededDirectives('callback_options', text);
});

// Random arguments and random callback behaviour (wrong results, throws, mutations of what the
// callback got, options objects with random fields) never crash: every failure is a TypeError,
// a RangeError, or the callback's own exception.
test('random values and random callbacks never crash (both fixtures, Zig 0.17)', () => {
  const zig = installedZig('0.17');
  const modules = [fixture, path.join(FIXTURES, 'callback_pointers.zig')].map((f) => zigimport.loadSync(f, { cacheDir: SHARED_BUILD_DIR, zig, types: false }));
  let seed = 12345;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const thrown = new Error('thrown by a callback');
  const scalars = () => [0, -1, 2.5, 2 ** 40, Number.NaN, '', 'x', true, null, undefined, 1n, Symbol('s'), [], {}, new Float64Array(2)][rand(15)];
  const mutate = (v) => {
    if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) if (rand(2)) v[k] = scalars();
    }
  };
  const randomCallback = () => {
    const mode = rand(4);
    return (...args) => {
      args.forEach((a) => mode === 1 && mutate(a));
      if (mode === 2) throw thrown;
      return mode === 3 ? scalars() : args[0];
    };
  };
  const value = (depth = 0) => {
    switch (rand(depth > 1 ? 2 : 5)) {
      case 0:
        return scalars();
      case 1:
        return randomCallback();
      case 2:
        return {
          steps: scalars(),
          label: scalars(),
          onProgress: rand(3) ? randomCallback() : scalars(),
          onDone: rand(2) ? randomCallback() : value(depth + 1),
          keep: randomCallback(),
        };
      case 3:
        return [value(depth + 1), value(depth + 1)];
      default:
        return new Proxy({}, { get: () => value(depth + 1) });
    }
  };
  let calls = 0;
  let succeeded = 0;
  for (let round = 0; round < 300; round++) {
    for (const m of modules) {
      for (const [name, f] of Object.entries(m)) {
        if (typeof f !== 'function') continue;
        const args = Array.from({ length: 1 + rand(3) }, () => value());
        try {
          f(...args);
          succeeded++;
        } catch (e) {
          assert.ok(e === thrown || e instanceof TypeError || e instanceof RangeError || (e instanceof Error && typeof e.code === 'string'), `${name}: ${e}`);
        }
        calls++;
      }
    }
  }
  assert.ok(calls > 1000);
  // Some random calls get through (so callbacks and read-backs really ran).
  assert.ok(succeeded > 20, `only ${succeeded} of ${calls} random calls succeeded`);
  // Still working afterwards.
  assert.equal(modules[0].sumMapped([1, 2], null), 3);
});
