// The sync/async core (src/effects.ts): one generator-written operation run by the blocking and
// the non-blocking driver gives the same result, errors and cleanup; only the non-blocking one
// lets the event loop run; compile slots bound concurrency only there. Real processes are spawned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { perform, performSync, sleep, spawn, takeSlot, SlotPool } = require('../../dist/effects.js');
const { runZig } = require('../../dist/compile/run.js');

const NODE = process.execPath;
const request = (code, extra = {}) => ({
  command: NODE,
  args: ['-e', code],
  cwd: process.cwd(),
  input: Buffer.alloc(0),
  timeoutMs: 10_000,
  stopSignal: 'SIGKILL',
  ...extra,
});

/** Sleeps, runs a process that echoes stdin to stdout and exits 3, and records its cleanup. */
function* echoTwice(log) {
  try {
    yield* sleep(5);
    const r = yield* spawn(request('process.stdin.pipe(process.stdout); process.stdin.on("end", () => process.exit(3))', { input: Buffer.from('hello') }));
    return { code: r.code, out: r.stdout.toString(), timedOut: r.timedOut };
  } finally {
    log.push('cleaned');
  }
}

const DRIVERS = [
  ['performSync', (op) => performSync(op)],
  ['perform', (op) => perform(op)],
];

for (const [name, drive] of DRIVERS) {
  test(`${name}: runs an operation to the same result, cleanup included`, async () => {
    const log = [];
    assert.deepEqual(await drive(echoTwice(log)), { code: 3, out: 'hello', timedOut: false });
    assert.deepEqual(log, ['cleaned']);
  });

  test(`${name}: a process past its time limit is stopped and reported as timed out`, async () => {
    const started = Date.now();
    const r = await drive(spawn(request('setTimeout(() => {}, 20000)', { timeoutMs: 300 })));
    assert.equal(r.timedOut, true);
    assert.ok(Date.now() - started < 10_000);
  });

  test(`${name}: an unstartable command is an error result, not a throw`, async () => {
    const r = await drive(spawn({ ...request(''), command: '/nonexistent/zig' }));
    assert.equal(r.error?.code, 'ENOENT');
  });

  test(`${name}: an error thrown inside the operation reaches the caller after its finally`, async () => {
    const log = [];
    function* failing() {
      try {
        yield* sleep(1);
        throw new Error('boom');
      } finally {
        log.push('released');
      }
    }
    await assert.rejects(async () => drive(failing()), /boom/);
    assert.deepEqual(log, ['released']);
  });

  test(`${name}: runZig reports a missing compiler as spawnError`, async () => {
    const r = await drive(runZig('/nonexistent/zig', ['version'], { cwd: process.cwd(), timeoutMs: 5000 }));
    assert.ok(r.spawnError, 'spawnError set');
    assert.match(r.spawnError.message, /nonexistent\/zig/);
  });
}

test('perform leaves the event loop running during a sleep; performSync blocks it', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  try {
    await perform(sleep(200));
    assert.ok(ticks >= 5, `event loop ran ${ticks} times during perform`);
    ticks = 0;
    performSync(sleep(200));
    assert.equal(ticks, 0);
  } finally {
    clearInterval(timer);
  }
});

test('slots: perform waits for a free one; performSync takes none', async () => {
  const pool = new SlotPool(2);
  let running = 0;
  let most = 0;
  function* job() {
    const held = yield* takeSlot(pool);
    try {
      running++;
      most = Math.max(most, running);
      yield* sleep(50);
      running--;
      return held;
    } finally {
      if (held) pool.release();
    }
  }
  const held = await Promise.all(Array.from({ length: 6 }, () => perform(job())));
  assert.deepEqual(held, Array(6).fill(true));
  assert.equal(most, 2);
  assert.equal(performSync(job()), false);
});
