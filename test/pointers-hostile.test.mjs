// Hostile JS values against every function of test/fixtures/pointers.zig (issue 12 point 2):
// every argument position gets proxies, throwing getters, detached buffers, foreign handles,
// views, symbols, callbacks that throw; only typed errors may come out, the process never crashes,
// and the module still works afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { FIXTURES, SHARED_BUILD_DIR, installedZig, zigimport } from './helpers.mjs';

const fixture = path.join(FIXTURES, 'pointers.zig');

for (const release of ['0.17', '0.15']) {
  test(`Zig ${release}: every pointer function, every argument, only typed errors (no crash)`, () => {
    const m = zigimport.loadSync(fixture, { cacheDir: SHARED_BUILD_DIR, zig: installedZig(release), types: false });
    const detached = () => {
      const a = new Float64Array(4);
      structuredClone(a.buffer, { transfer: [a.buffer] });
      return a;
    };
    const hostile = () => [
      undefined,
      null,
      0,
      -1,
      2 ** 64,
      Number.NaN,
      'text',
      '',
      true,
      1n,
      Symbol('s'),
      {},
      [],
      [{}],
      [null, 1, 'x'],
      { x: 1, y: 2 },
      { value: 1, next: { value: 'x' } },
      Object.freeze({ x: 1, y: 2 }),
      {
        get x() {
          throw new Error('getter');
        },
        y: 1,
      },
      new Proxy(
        {},
        {
          get() {
            throw new Error('trap');
          },
        },
      ),
      new Proxy([], {
        get() {
          throw new Error('trap');
        },
      }),
      new Float64Array(3),
      new Int32Array(2),
      new Uint8Array(0),
      detached(),
      m.defaultFont(),
      m.anyPointer(),
      m.origin(),
      () => 1,
      () => {
        throw new Error('callback');
      },
    ];
    const names = Object.keys(m).filter((k) => typeof m[k] === 'function' && !/^(ring|createWindow|newPoint)$/.test(k));
    const isView = (v) => typeof v === 'object' && v !== null && Object.getOwnPropertyDescriptor(v, 'x')?.get !== undefined;
    let calls = 0;
    for (const name of names) {
      for (let pos = 0; pos < 3; pos++) {
        // A view of a global given to a free function would free memory Zig never allocated (as
        // in Zig, the caller's bug; README: Pointers): not a hostile value but a wrong program.
        const values = /^(free|destroy)/.test(name) ? hostile().filter((v) => v !== m.origin() && !isView(v)) : hostile();
        for (const v of values) {
          const args = [{ x: 1, y: 2 }, 1, 1];
          args[pos] = v;
          try {
            m[name](...args);
          } catch (e) {
            assert.ok(e instanceof Error, `${name}: threw a non-Error ${String(e)}`);
            assert.ok(['TypeError', 'RangeError', 'Error'].includes(e.name), `${name}: ${e.name} ${e.message}`);
          }
          calls++;
        }
      }
    }
    assert.ok(calls > 1000, `${calls} calls`);
    assert.equal(m.sumList(m.list()), 6); // still working
  });
}
