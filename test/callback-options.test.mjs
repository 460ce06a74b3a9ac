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
