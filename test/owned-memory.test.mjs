// Memory Zig owns (issue 12 point 3), on Zig 0.17 and 0.15: a numeric slice a Zig function
// allocated with a long-lived allocator and returned can be handed back to a Zig free function
// (which gets the original memory, not the JS copy), once; a second free, a JS-made array, a copy,
// a per-call arena result and a function's own argument are TypeErrors, never an "Invalid free"
// abort or a double free. Each case runs in the test process: a crash would fail the whole file.
import { test, describe as group } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { FIXTURES, SHARED_BUILD_DIR, installedZig, require, zigimport, throwsLike } from './helpers.mjs';

const fixture = path.join(FIXTURES, 'owned_memory.zig');
const { declarationsFor } = require('../dist/types/write.js');
const NOT_OURS =
  /^freeNumbers\(\): argument 1 is not memory this module allocated: a free function only takes a typed array a function of this module returned/;

for (const release of ['0.17', '0.15']) {
  const zig = installedZig(release);
  const m = zigimport.loadSync(fixture, { cacheDir: SHARED_BUILD_DIR, zig, types: false });

  group(`Zig ${release}`, () => {
    test('alloc -> return -> free: the free function gets the Zig memory, with the JS edits', () => {
      const before = m.liveCount();
      const a = m.makeNumbers(4);
      assert.deepEqual([...a], [0, 1, 2, 3]);
      assert.equal(m.liveCount(), before + 1);
      a[0] = 10;
      assert.equal(m.total(a), 16); // an ordinary function works on the JS array
      assert.equal(m.freeNumbers(a), 16); // the Zig memory, filled with what JS wrote
      assert.equal(m.liveCount(), before);
      // The JS array is JS memory: still readable after the free.
      assert.deepEqual([...a], [10, 1, 2, 3]);
      assert.equal(m.total(a), 16);
    });

    test('a second free of the same array is a TypeError, not a double free', () => {
      const a = m.makeNumbers(2);
      m.freeNumbers(a);
      throwsLike(
        () => m.freeNumbers(a),
        'TypeError',
        /^freeNumbers\(\): argument 1 was already freed \(passing it to a free function twice would be a double free\)$/,
      );
      const b = m.makeBytes(3);
      assert.deepEqual([...b], [7, 7, 7]);
      m.destroyBytes(b);
      throwsLike(() => m.destroyBytes(b), 'TypeError', /^destroyBytes\(\): argument 1 was already freed/);
    });

    test('freeing memory Zig did not allocate is a TypeError: JS arrays, copies, views, arena results, arguments', () => {
      const before = m.liveCount();
      throwsLike(() => m.freeNumbers(new Float64Array(3)), 'TypeError', NOT_OURS);
      const a = m.makeNumbers(3);
      throwsLike(() => m.freeNumbers(a.slice()), 'TypeError', NOT_OURS);
      throwsLike(() => m.freeNumbers(a.subarray(1)), 'TypeError', NOT_OURS);
      throwsLike(() => m.freeNumbers(m.arenaNumbers(3)), 'TypeError', NOT_OURS);
      throwsLike(() => m.freeNumbers(m.same(new Float64Array(2))), 'TypeError', NOT_OURS);
      throwsLike(() => m.freeNumbers([1, 2]), 'TypeError', NOT_OURS);
      throwsLike(() => m.freeNumbers(null), 'TypeError', NOT_OURS);
      throwsLike(() => m.freeNumbers({}), 'TypeError', NOT_OURS);
      throwsLike(() => m.destroyBytes(Buffer.from('ab')), 'TypeError', /^destroyBytes\(\): argument 1 is not memory this module allocated/);
      // Another element type than the one returned: refused before anything is freed.
      const bytes = m.makeBytes(8);
      throwsLike(() => m.freeNumbers(bytes), 'TypeError', /^freeNumbers\(\): argument 1 must be a Float64Array this module returned$/);
      m.destroyBytes(bytes);
      m.freeNumbers(a);
      assert.equal(m.liveCount(), before);
    });

    test('optional slices: null is passed as null; a detached array frees without copying', () => {
      const before = m.liveCount();
      assert.equal(m.maybeFree(null), false);
      assert.equal(m.maybeFree(m.makeNumbers(2)), true);
      const a = m.makeNumbers(2);
      structuredClone(a.buffer, { transfer: [a.buffer] });
      assert.equal(a.length, 0);
      assert.equal(m.freeNumbers(a), 1); // Zig's own memory still holds [0, 1]
      assert.equal(m.liveCount(), before);
    });

    test('a free function whose parameter holds memory inside a copy is skipped with the reason', () => {
      assert.equal(m.freeResult, undefined);
      assert.equal(m.freeName, undefined);
      const reason = (name) => m.__zigimport_skipped.find((s) => s.name === name)?.reason;
      assert.match(
        reason('freeResult'),
        /^parameter 1 of a free function holds memory JS can only pass as a copy \(type owned_memory\.Result\): Zig could not free it/,
      );
      assert.match(reason('freeName'), /^parameter 1 of a free function holds memory JS can only pass as a copy \(type \[:0\]const u8\)/);
    });

    test('many alloc/free cycles leave nothing live', () => {
      const before = m.liveCount();
      for (let i = 0; i < 2000; i++) m.freeNumbers(m.makeNumbers(16));
      assert.equal(m.liveCount(), before);
    });
  });
}

test('declarations: returned and freed slices are the typed array', () => {
  const exports = zigimport.loadSync(fixture, { cacheDir: SHARED_BUILD_DIR, zig: installedZig('0.17'), types: false });
  const text = declarationsFor({ file: fixture, exports, cacheDir: SHARED_BUILD_DIR, zig: installedZig('0.17') });
  assert.match(text, /export declare function makeNumbers\(n: number \| bigint\): Float64Array;/);
  assert.match(text, /export declare function freeNumbers\(buf: Float64Array\): number;/);
});
