// Callbacks receiving `*T` and `[]T` (issue 12, callbacks): the JS function gets plain objects,
// and what it changes in them is read back into the Zig memory when it returns (`*const T` stays
// read-only); pointer-holding fields (strings, slices) keep their Zig values. Hostile values
// are TypeErrors naming the field. Real compiles on Zig 0.17 and 0.15.
import { test, describe as group } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { FIXTURES, SHARED_BUILD_DIR, installedZig, zigimport } from './helpers.mjs';

const fixture = path.join(FIXTURES, 'callback_pointers.zig');

for (const release of ['0.17', '0.15']) {
  const zig = installedZig(release);
  const m = zigimport.loadSync(fixture, { cacheDir: SHARED_BUILD_DIR, zig, types: false });

  group(`Zig ${release}`, () => {
    test('a *T callback parameter: the fields JS sets reach the Zig struct', () => {
      assert.deepEqual(
        m.movePoint(1, 2, (p) => {
          assert.deepEqual(p, { x: 1, y: 2 });
          p.x += 10;
          p.y = -p.y;
        }),
        { x: 11, y: -2 },
      );
      assert.equal(
        m.counter(5, (p) => {
          p.x += 1;
        }),
        5,
      );
    });

    test('a *const T callback parameter is read-only: JS changes do not reach Zig', () => {
      assert.equal(
        m.peekPoint(3, (p) => {
          p.x = 99;
        }),
        3,
      );
    });

    test('nested struct fields are read back; string fields keep the Zig value', () => {
      const b = m.editGlobal((b) => {
        assert.equal(b.name, 'earth');
        b.name = 'mars';
        b.pos.x = 4;
        b.pos = { x: b.pos.x, y: 7 };
        b.mass = 2.5;
        b.alive = false;
      });
      assert.deepEqual(b, { name: 'earth', pos: { x: 4, y: 7 }, mass: 2.5, alive: false });
      // The global kept the moved position for the next call.
      m.editGlobal((b) => assert.deepEqual(b.pos, { x: 4, y: 7 }));
    });

    test('a []T callback parameter of structs and of booleans is read back element by element', () => {
      const sum = m.stepAll(0.5, (bodies, dt) => {
        assert.equal(bodies.length, 3);
        for (const b of bodies) b.x += dt;
        bodies[2] = { x: 0, y: 0 };
      });
      assert.equal(sum, 1.5 + 1 + 2.5 + 2 + 0);
      assert.equal(
        m.flipAll((flags) => {
          for (let i = 0; i < flags.length; i++) flags[i] = !flags[i];
        }),
        2,
      );
    });

    test('a []f64 callback parameter: the typed array the callback changes is copied back; []const f64 is not', () => {
      assert.equal(
        m.scaleAll((xs) => {
          assert.ok(xs instanceof Float64Array);
          xs[0] = 10;
          xs[2] *= 2;
        }),
        10 + 2 + 6,
      );
      assert.equal(
        m.peekAll((xs) => {
          xs[0] = 100;
        }),
        6,
      );
      // A buffer detached by the callback reads as empty: the Zig values stay.
      assert.equal(
        m.scaleAll((xs) => {
          structuredClone(xs.buffer, { transfer: [xs.buffer] });
        }),
        6,
      );
    });

    test('an optional pointer: null stays null, a point is read back; error-union results keep the changes', () => {
      assert.equal(
        m.maybeMove(true, (p) => {
          p.x = 8;
        }),
        8,
      );
      assert.equal(
        m.maybeMove(false, (p) => {
          assert.equal(p, null);
        }),
        5,
      );
      assert.equal(
        m.tryMove((p) => {
          p.y = 10;
        }),
        11,
      );
    });

    test('hostile changes are TypeErrors naming the field, never a crash', () => {
      assert.throws(
        () =>
          m.movePoint(1, 2, (p) => {
            p.x = 'far';
          }),
        { name: 'TypeError', message: /movePoint\(\): argument 3: callback argument 1\.x must be a number, got string/ },
      );
      assert.throws(
        () =>
          m.stepAll(1, (bodies) => {
            bodies[1] = 42;
          }),
        { name: 'TypeError', message: /callback argument 1 element must be an object/ },
      );
      assert.throws(
        () =>
          m.editGlobal((b) => {
            b.pos = null;
          }),
        { name: 'TypeError', message: /callback argument 1\.pos must be an object/ },
      );
      assert.throws(
        () =>
          m.movePoint(1, 2, (p) => {
            Object.defineProperty(p, 'y', {
              get() {
                throw new Error('getter');
              },
            });
          }),
        { message: 'getter' },
      );
      assert.throws(
        () =>
          m.movePoint(1, 2, () => {
            throw new RangeError('inside');
          }),
        { name: 'RangeError', message: 'inside' },
      );
      // The module keeps working after every failure.
      assert.deepEqual(
        m.movePoint(0, 0, (p) => {
          p.x = 1;
        }),
        { x: 1, y: 0 },
      );
    });
  });
}
