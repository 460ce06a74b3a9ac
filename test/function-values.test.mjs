// Function values (issue 12 point 5): Zig function pointers returned, or exported in tables and
// structs, are callable JS functions with the same argument checks as exported functions;
// callbacks take up to 32 parameters and converted values (structs with strings, slices,
// optionals) both ways; `zigimport.JsFunction` keeps a JS function for later calls, from the
// JS thread or a Zig thread, until Zig releases it. Real compiles on Zig 0.17 and 0.15.
import { test, describe as group } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { FIXTURES, SHARED_BUILD_DIR, ROOT, installedZig, require, zigimport, assertTypeChecksWithNeededDirectives } from './helpers.mjs';

const fixture = path.join(FIXTURES, 'function_values.zig');
// Calls from Zig threads and the thread pool: a fixture of their own (it links libc, which
// WebAssembly builds refuse; WebAssembly has no threads: README, "Browsers and bundlers").
const threadsFixture = path.join(FIXTURES, 'function_values_threads.zig');
const wasm = process.env.ZIGIMPORT_TARGET === 'wasm';
const noThreads = wasm && 'WebAssembly builds have no threads (README, "Browsers and bundlers")';
const { declarationsFor } = require('../dist/types/write.js');
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Waits (up to 10 s) until `done()`: a queued call runs at the event loop's next turns. */
async function until(done) {
  const deadline = Date.now() + 10_000;
  while (!done() && Date.now() < deadline) await tick();
}

for (const release of ['0.17', '0.15']) {
  const zig = installedZig(release);
  const m = zigimport.loadSync(fixture, { cacheDir: SHARED_BUILD_DIR, zig, types: false });
  const threads = () => zigimport.loadSync(threadsFixture, { cacheDir: SHARED_BUILD_DIR, zig, types: false });

  group(`Zig ${release}`, () => {
    test('a returned *const fn is a JS function calling that Zig function', () => {
      assert.equal(m.pick('add')(2, 3), 5);
      assert.equal(m.pick('sub')(2, 3), -1);
      assert.equal(typeof m.pick('add'), 'function');
      assert.equal(m.find('sub')(1, 9), -8);
      assert.equal(m.find('nope'), null);
    });

    test('tables and structs of function pointers are arrays and objects of functions', () => {
      assert.deepEqual(
        m.ops.map((f) => f(10, 4)),
        [14, 6],
      );
      assert.equal(m.vtable.add(1, 2), 3);
      assert.equal(m.vtable.neg(2.5), -2.5);
    });

    test('a pub var holding a function pointer reads as the current function and is read-only', () => {
      assert.equal(m.current(2, 3), 5);
      m.useSub();
      assert.equal(m.current(2, 3), -1);
      assert.throws(() => {
        m.current = (a, b) => a * b;
      }, TypeError);
      assert.equal(m.current(2, 3), -1);
    });

    test('a function value checks its arguments like an exported function', () => {
      const add = m.pick('add');
      assert.throws(() => add('x', 1), { name: 'TypeError', message: 'function from pick(): return value: argument 1 must be a number, got string' });
      assert.throws(() => add(1), { name: 'TypeError', message: /expects 2 arguments, got 1/ });
      assert.throws(() => add(2 ** 40, 1), RangeError);
      assert.throws(() => m.vtable.neg(1n), TypeError);
    });

    test('a function value gets an injected allocator, returns strings, and fails with the Zig error', () => {
      const shout = m.shouter();
      assert.equal(shout('hi'), 'HI!');
      assert.throws(
        () => shout(''),
        (e) => e.code === 'Empty' && /error\.Empty/.test(e.message),
      );
    });

    test('a function value may itself take a callback', () => {
      assert.equal(
        m.twice()((x) => x * 3, 2),
        18,
      );
    });

    test('callbacks of 6 and 12 parameters get every argument converted', () => {
      assert.equal(
        m.sum6((...a) => a.reduce((x, y) => x + y)),
        21,
      );
      let args;
      const r = m.many((...a) => {
        args = a;
        return 1.5;
      });
      assert.equal(r, 1.5);
      assert.deepEqual(args, [1, -2, 3, 4, 0.5, 0.25, true, -5n, 6n, 'seven', null, 'sub']);
    });

    test('callback structs, slices and optionals are converted both ways', () => {
      let seen;
      const out = m.transform((p, xs, s) => {
        seen = [p, [...xs], s];
        return { x: p.x * 2, y: xs[2], label: p.label + '!' };
      });
      assert.deepEqual(seen, [{ x: 1.5, y: -2, label: 'origin', tag: 7 }, [1, 2, 3], null]);
      assert.deepEqual(out, { x: 3, y: 3, label: 'origin!', tag: null });
      assert.equal(
        m.joinVia((s, n) => s.repeat(Number(n) + 1)),
        12n,
      );
      assert.equal(
        m.maybePoint((b) => (b ? { x: 1, y: 2, label: 'q' } : null)),
        103,
      );
      assert.throws(() => m.transform(() => ({ x: 'no' })), { name: 'TypeError', message: /callback return value\.x must be a number, got string/ });
      assert.throws(() => m.joinVia(() => 5), TypeError);
    });

    test('a kept JS function is called after the call that received it returned', async () => {
      const got = [];
      m.setListener((x) => got.push(x));
      assert.equal(m.fire(1), 'ok'); // queued: runs once this JS code yields
      assert.equal(m.fireNow(2), 'ok'); // on the JS thread: runs at once
      assert.deepEqual(got, [2]);
      await until(() => got.length === 2);
      assert.deepEqual(got, [2, 1]);
      m.releaseListener();
      assert.equal(m.fire(3), 'Released');
      assert.equal(m.fireNow(4), 'Released');
      m.releaseListener(); // twice: a no-op
      await tick();
      await tick();
      assert.deepEqual(got, [2, 1]);
    });

    test('a Zig thread calls a kept function N times and JS receives all N, in order', { skip: noThreads }, async () => {
      const n = 2000;
      const seen = await new Promise((resolve) => {
        const s = [];
        threads().countFromThread(n, (i, total) => {
          s.push(i);
          if (s.length === total) resolve(s);
        });
      });
      assert.equal(seen.length, n);
      assert.ok(seen.every((v, i) => v === i));
    });

    test('an async function reports progress through a kept function from the thread pool', { skip: noThreads }, async () => {
      const seen = [];
      const n = await threads().countAsync(50, (i) => seen.push(i));
      assert.equal(n, 50);
      await until(() => seen.length === 50);
      assert.deepEqual(
        seen,
        Array.from({ length: 50 }, (_, i) => i),
      );
    });

    test('a Zig thread waits for results of a kept function (callBlocking)', { skip: noThreads }, async () => {
      const [sum, how] = await new Promise((resolve) =>
        threads().sumFromThread(
          100,
          (i) => i * 2,
          (s, h) => resolve([s, h]),
        ),
      );
      assert.equal(sum, 9900n);
      assert.equal(how, 'add');
    });

    test('callBlocking on the JS thread returns the result; a wrong argument or result is a TypeError', () => {
      assert.equal(
        m.askNow((x) => x * 10, 4),
        40,
      );
      assert.throws(() => m.askNow(() => 'no', 1), { name: 'TypeError', message: /result must be a number, got string/ });
      const boom = new Error('boom');
      assert.throws(
        () =>
          m.askNow(() => {
            throw boom;
          }, 1),
        (e) => e === boom,
      );
      assert.throws(() => m.setListener(5), { name: 'TypeError', message: 'setListener(): argument 1 must be a function, got number' });
    });

    test('a function kept by a worker that exited is refused, not called', async () => {
      const source = `
        const { parentPort, workerData } = require('node:worker_threads');
        const m = require(workerData.index).loadSync(workerData.fixture, { cacheDir: workerData.cacheDir, zig: workerData.zig, types: false });
        m.setListener(() => {});
        parentPort.postMessage('kept');`;
      const worker = new Worker(source, { eval: true, workerData: { index: path.join(ROOT, 'dist', 'index.js'), fixture, cacheDir: SHARED_BUILD_DIR, zig } });
      await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      // The kept function keeps the worker's loop alive: end it from here.
      await worker.terminate();
      assert.equal(m.fire(1), 'Released');
      assert.equal(m.fireNow(1), 'Released');
    });
  });
}

test('declarations: function values as function types, callbacks of any arity, kept functions as callbacks; tsc checks them', () => {
  const zig = installedZig('0.17');
  const exports = zigimport.loadSync(fixture, { cacheDir: SHARED_BUILD_DIR, zig, types: false });
  const text = declarationsFor({ file: fixture, exports, cacheDir: SHARED_BUILD_DIR, zig });
  assert.match(text, /export declare function pick\(op: Op\): \(\(arg0: number, arg1: number\) => number\);/);
  assert.match(text, /export declare function find\(name: string \| Uint8Array\): \(\(arg0: number, arg1: number\) => number\) \| null;/);
  assert.match(text, /export declare const vtable: \{ add: \(\(arg0: number, arg1: number\) => number\); neg: \(\(arg0: number\) => number\) \};/);
  // The injected allocator is no JS parameter.
  assert.match(text, /export declare function shouter\(\): \(\(arg0: string \| Uint8Array\) => string\);/);
  assert.match(text, /export declare function setListener\(f: \(\(arg0: number\) => void\)\): void;/);
  assert.match(text, /arg11: Op\) => number\)\): number;/);
  assertTypeChecksWithNeededDirectives('function_values', text);
});

// The test runner fails a test on any uncaught exception: these run in a child process.
test('a kept function throwing, or returning a wrong type, when called later is an uncaught exception; the Zig thread gets error.JsException', {
  skip: noThreads,
}, () => {
  const load = (file) =>
    `require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))}).loadSync(${JSON.stringify(file)}, { cacheDir: ${JSON.stringify(SHARED_BUILD_DIR)}, zig: ${JSON.stringify(installedZig('0.17'))}, types: false })`;
  const script = `
    const m = ${load(fixture)};
    const t = ${load(threadsFixture)};
    const caught = [];
    process.on('uncaughtException', (e) => caught.push(e.name + ': ' + e.message));
    m.setListener(() => { throw new Error('late boom'); });
    console.log(m.fire(1));
    t.sumFromThread(3, () => 'no', (sum, how) => {
      m.releaseListener();
      setTimeout(() => console.log(JSON.stringify({ sum: String(sum), how, caught })), 50);
    });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  const [first, report] = r.stdout.trim().split('\n');
  assert.equal(first, 'ok');
  const { sum, how, caught } = JSON.parse(report);
  assert.equal(sum, '-1');
  assert.equal(how, 'sub');
  assert.deepEqual(caught.sort(), ['Error: late boom', 'TypeError: JsFunction(fn (i32) i32): result must be a number, got string']);
});

test('an unreleased kept function keeps Node running, like a timer; releasing lets it exit', () => {
  const head = `const m = require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))}).loadSync(${JSON.stringify(fixture)}, { cacheDir: ${JSON.stringify(SHARED_BUILD_DIR)}, zig: ${JSON.stringify(installedZig('0.17'))}, types: false });
    m.setListener(() => {});`;
  const kept = spawnSync(process.execPath, ['-e', head], { encoding: 'utf8', timeout: 3_000 });
  assert.equal(kept.signal, 'SIGTERM', 'the process should still be running');
  const released = spawnSync(process.execPath, ['-e', head + 'm.releaseListener();'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(released.status, 0, released.stderr);
  // A kept function read for a call that then fails on a later argument is released by zigimport.
  const failed = spawnSync(
    process.execPath,
    ['-e', head.replace('m.setListener(() => {});', "try { m.askNow(() => 1, 'x'); } catch (e) { console.log(e.name); }")],
    {
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  assert.equal(failed.status, 0, failed.stderr);
  assert.equal(failed.stdout, 'TypeError\n');
});
