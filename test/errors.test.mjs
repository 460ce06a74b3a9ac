// Errors: compile errors point at the user's file:line:col, the process survives and a fixed
// file loads; no Zig, an unsupported Zig and a hung compiler each get a clear typed error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childEnv, runNode, tempDir, writeSource, zigimport, ZIG, ROOT } from './helpers.mjs';

const { loadSync, load, ZigCompileError, ZigNotFoundError, UnsupportedZigVersionError, ZigTimeoutError } = zigimport;
const PROBE = path.join(ROOT, 'test', 'support', 'probe.cjs');

process.env.ZIGIMPORT_BUILD_DIR = tempDir('cache-');
process.env.ZIGIMPORT_ZIG = ZIG;

test('a compile error throws ZigCompileError at the user file:line:col; after a fix the import works', async () => {
  const file = path.join(tempDir('src-'), 'broken.zig');
  writeSource(file, 'pub fn value() i32 {\n    return "not a number";\n}\n');
  let caught;
  try {
    loadSync(file);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ZigCompileError, `expected ZigCompileError, got ${caught}`);
  assert.equal(caught.code, 'ZIGIMPORT_COMPILE_ERROR');
  assert.match(caught.message, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:12: error: expected type 'i32'`));
  assert.doesNotMatch(caught.message, /root\.zig/, 'never points at the generated root');
  const first = caught.diagnostics[0];
  assert.deepEqual({ file: first.file, line: first.line, column: first.column, severity: first.severity }, { file, line: 2, column: 12, severity: 'error' });

  // A syntax error, through the async path.
  writeSource(file, 'pub fn value() i32 {\n    return 1\n}\n');
  await assert.rejects(load(file), (err) => err instanceof ZigCompileError && err.diagnostics.some((d) => d.line === 2 || d.line === 3));

  writeSource(file, 'pub fn value() i32 {\n    return 1;\n}\n');
  assert.equal(loadSync(file).value(), 1);
});

test('with no Zig anywhere, importing says exactly how to get one', async () => {
  const file = path.join(tempDir('src-'), 'nozig.zig');
  writeSource(file, 'pub fn value() i32 {\n    return 1;\n}\n');
  const home = tempDir('home-');
  const env = childEnv({ PATH: '/nonexistent', HOME: home, PYTHON: '/nonexistent/python3', ZIGIMPORT_BUILD_DIR: path.join(home, 'cache') });
  delete env.ZIGIMPORT_ZIG;
  const r = await runNode([PROBE, file], { env });
  const out = JSON.parse(r.stdout.trim());
  assert.equal(out.ok, false);
  assert.equal(out.name, 'ZigNotFoundError');
  assert.equal(out.code, 'ZIGIMPORT_ZIG_NOT_FOUND');
  assert.match(out.message, /npx zigimport toolchain install/);
  assert.match(out.message, /ZIGIMPORT_ZIG=/);
  assert.ok(ZigNotFoundError);
});

function fakeZig(script) {
  const exe = path.join(tempDir('fakezig-'), 'zig');
  fs.writeFileSync(exe, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return exe;
}

test('an unsupported Zig version gets a clear error naming the supported ones', () => {
  const file = path.join(tempDir('src-'), 'old.zig');
  writeSource(file, 'pub fn value() i32 {\n    return 1;\n}\n');
  assert.throws(
    () => loadSync(file, { zig: fakeZig('echo 0.13.0') }),
    (err) => {
      assert.ok(err instanceof UnsupportedZigVersionError);
      assert.match(err.message, /Zig 0\.13\.0 .* is not supported by zigimport \(supported: 0\.15\.x, 0\.16\.x, 0\.17\.x\)/);
      return true;
    },
  );
});

test('a compiler that runs past ZIGIMPORT_TIMEOUT is stopped with ZigTimeoutError', () => {
  const file = path.join(tempDir('src-'), 'slow.zig');
  writeSource(file, 'pub fn value() i32 {\n    return 1;\n}\n');
  const zig = fakeZig('if [ "$1" = version ]; then echo 0.17.1; else exec sleep 30; fi');
  const started = Date.now();
  assert.throws(
    () => loadSync(file, { zig, timeout: '1' }),
    (err) => err instanceof ZigTimeoutError && /ZIGIMPORT_TIMEOUT/.test(err.message),
  );
  assert.ok(Date.now() - started < 10_000, 'stopped near the timeout');
});
