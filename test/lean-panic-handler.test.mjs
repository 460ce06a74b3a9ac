// The lean panic handler of ReleaseFast builds (zig/panic.zig): a panic prints
// `thread <id> panic: <message>` with the id of the thread that panicked and a hint, then the
// process ends with SIGABRT. No stack trace machinery is compiled in those builds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { childEnv, ROOT, tempDir, writeSource } from './helpers.mjs';

const linuxOnly = { skip: process.platform !== 'linux' };
const distIndex = path.join(ROOT, 'dist', 'index.js');

const SOURCE = `
pub fn boom(n: u32) u32 {
    if (n > 0) @panic("boom from zig");
    return n;
}

pub fn boomLater(n: u32) u32 {
    if (n > 0) @panic("boom on a pool thread");
    return n;
}

pub const zigimport_async = .{"boomLater"};
`;

function fixture() {
  const file = path.join(tempDir('panic-'), 'boom.zig');
  writeSource(file, SOURCE);
  return file;
}

/** Runs `body` (with `m` the loaded module) in a fresh node process. */
function runWith(file, body) {
  const script = `const { loadSync } = require(${JSON.stringify(distIndex)});
    const m = loadSync(${JSON.stringify(file)}, { optimize: 'ReleaseFast' });
    ${body}`;
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: childEnv() });
}

test('a panic on the main thread prints "thread <pid> panic: <message>" and a hint, then aborts (ReleaseFast)', linuxOnly, () => {
  const file = fixture();
  const ok = runWith(file, 'console.log(m.boom(0));');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), '0');

  const r = runWith(file, 'm.boom(1);');
  assert.equal(r.signal, 'SIGABRT', `status ${r.status}, stderr: ${r.stderr}`);
  // The main thread's id is the process id.
  assert.match(r.stderr, new RegExp(`^thread ${r.pid} panic: boom from zig\\n`, 'm'));
  assert.match(r.stderr, /^note: build in Debug or ReleaseSafe \(ZIGIMPORT_OPTIMIZE\) for a stack trace$/m);
  assert.doesNotMatch(r.stderr, /\?\?\?|0x[0-9a-f]{6,}/, 'no stack trace in a lean build');
});

test('a panic on a thread-pool thread names that thread, not the main one (ReleaseFast)', linuxOnly, () => {
  const r = runWith(fixture(), 'm.boomLater(1).then(() => console.log("resolved"));');
  assert.equal(r.signal, 'SIGABRT', `status ${r.status}, stderr: ${r.stderr}`);
  const m = /^thread (\d+) panic: boom on a pool thread$/m.exec(r.stderr);
  assert.ok(m, r.stderr);
  assert.notEqual(Number(m[1]), r.pid);
  assert.ok(Number(m[1]) > 0);
  assert.equal(r.stdout, '');
});
