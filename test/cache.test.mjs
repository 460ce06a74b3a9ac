// The cache: content-hash keys over every local import, no process on a cached import,
// corrupted artifacts rebuilt, release mode and forced rebuilds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childEnv, countCompiles, probeImport, tempDir, writeSource } from './helpers.mjs';

/**
 * A module whose `value()` returns `n` + helper.extra + the length of data.txt, so that the
 * entry, an imported file and an embedded file all matter.
 */
function writeModule(dir, n, helperN = 0, data = '') {
  writeSource(path.join(dir, 'helper.zig'), `pub const extra: i32 = ${helperN};\npub const data = @embedFile("data.txt");\n`);
  writeSource(path.join(dir, 'data.txt'), data);
  writeSource(
    path.join(dir, 'mod.zig'),
    `const helper = @import("helper.zig");\n// const unused = @import("not_there.zig");\npub fn value() i32 {\n    return ${n} + helper.extra + @as(i32, @intCast(helper.data.len));\n}\n`,
  );
  return path.join(dir, 'mod.zig');
}

const probe = probeImport;
const compiles = countCompiles;

function artifactsIn(buildDir) {
  return fs.readdirSync(path.join(buildDir, 'builds')).filter((f) => f.endsWith('.node'));
}

test('first import compiles; a cached import in a new process starts no process at all', async () => {
  const buildDir = tempDir('cache-');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: buildDir });
  const file = writeModule(tempDir('src-'), 7);
  const first = await probe(file, env);
  assert.equal(first.ok, true, first.message);
  assert.equal(first.value, 7);
  assert.equal(compiles(first.spawns), 1);
  assert.equal(fs.statSync(buildDir).mode & 0o777, 0o700, 'cache dir must be private (0700)');

  const second = await probe(file, env);
  assert.equal(second.value, 7);
  assert.deepEqual(second.spawns, [], 'a cached import must not start any process');
});

test('every file the compiler read is tracked: imports, embedded files, deletions', async () => {
  const buildDir = tempDir('cache-');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: buildDir, ZIGIMPORT_VERBOSE: '1' });
  const dir = tempDir('src-');
  const file = writeModule(dir, 1, 10, 'abc');
  const first = await probe(file, env);
  assert.equal(first.value, 14);
  assert.match(first.stderr, /hash .* 3 file\(s\) read by the compiler/, 'entry, helper and data.txt; not the commented-out import');

  writeSource(path.join(dir, 'helper.zig'), 'pub const extra: i32 = 20;\npub const data = @embedFile("data.txt");\n');
  const edited = await probe(file, env);
  assert.equal(edited.value, 24);
  assert.equal(compiles(edited.spawns), 1);
  assert.match(edited.stderr, /cache miss: changed: .*helper\.zig/);

  writeSource(path.join(dir, 'data.txt'), 'abcdef');
  const embedded = await probe(file, env);
  assert.equal(embedded.value, 27);
  assert.match(embedded.stderr, /cache miss: changed: .*data\.txt/);
  assert.equal(artifactsIn(buildDir).length, 3, 'each version is its own artifact, named by key');

  const cached = await probe(file, env);
  assert.equal(cached.value, 27);
  assert.deepEqual(cached.spawns, []);

  fs.rmSync(path.join(dir, 'data.txt'));
  const deleted = await probe(file, env);
  assert.equal(deleted.ok, false, 'a deleted input is a change: rebuilt, and the compiler reports the missing file');
  assert.equal(deleted.name, 'ZigCompileError');
  assert.match(deleted.message, /data\.txt/);
});

test('two modules with the same name in different folders never collide', async () => {
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('cache-') });
  const a = writeModule(tempDir('a-'), 100);
  const b = writeModule(tempDir('b-'), 200);
  assert.equal((await probe(a, env)).value, 100);
  assert.equal((await probe(b, env)).value, 200);
  assert.equal((await probe(a, env)).value, 100);
});

test('a corrupted or truncated artifact is detected and rebuilt, never loaded', async () => {
  const buildDir = tempDir('cache-');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: buildDir, ZIGIMPORT_VERBOSE: '1' });
  const file = writeModule(tempDir('src-'), 5);
  assert.equal((await probe(file, env)).value, 5);
  const [name] = artifactsIn(buildDir);
  const artifact = path.join(buildDir, 'builds', name);

  // Same size, different bytes: only the checksum can tell.
  const bytes = fs.readFileSync(artifact);
  bytes[Math.floor(bytes.length / 2)] ^= 0xff;
  fs.writeFileSync(artifact, bytes);
  const altered = await probe(file, env);
  assert.equal(altered.value, 5);
  assert.match(altered.stderr, /checksum mismatch/);
  assert.equal(compiles(altered.spawns), 1);

  // Truncated: caught by size, even in release mode.
  fs.truncateSync(artifact, 1000);
  const truncated = await probe(file, { ...env, ZIGIMPORT_RELEASE_MODE: '1' });
  assert.equal(truncated.value, 5);
  assert.match(truncated.stderr, /artifact size 1000 != recorded/);
  assert.equal(compiles(truncated.spawns), 1);
});

test('release mode loads the last build for the path without hashing; force rebuild always compiles', async () => {
  const buildDir = tempDir('cache-');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: buildDir });
  const dir = tempDir('src-');
  const file = writeModule(dir, 1);

  // No build recorded yet: release mode builds.
  const built = await probe(file, { ...env, ZIGIMPORT_RELEASE_MODE: 'yes' });
  assert.equal(built.value, 1);
  assert.equal(compiles(built.spawns), 1);

  // The source changes, but release mode does not look: the recorded build loads, no process.
  writeModule(dir, 2);
  const stale = await probe(file, { ...env, ZIGIMPORT_RELEASE_MODE: 'true' });
  assert.equal(stale.value, 1);
  assert.deepEqual(stale.spawns, []);

  // Checksum mode sees the change.
  assert.equal((await probe(file, env)).value, 2);

  const forced = await probe(file, { ...env, ZIGIMPORT_FORCE_REBUILD: '1' });
  assert.equal(forced.value, 2);
  assert.equal(compiles(forced.spawns), 1);
});

test('ZIGIMPORT_VERBOSE prints each step with its time, hit or miss, and why it rebuilt', async () => {
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('cache-'), ZIGIMPORT_VERBOSE: '1' });
  const file = writeModule(tempDir('src-'), 3);
  const step = (name) => new RegExp(`\\[zigimport\\] .*mod\\.zig ${name} \\d+\\.\\d+ms`);
  const miss = await probe(file, env, false);
  for (const name of ['resolve', 'toolchain', 'lock wait', 'compile', 'hash', 'publish', 'load']) assert.match(miss.stderr, step(name), name);
  assert.match(miss.stderr, /cache miss: never built with these settings/);
  const hit = await probe(file, env, false);
  for (const name of ['resolve', 'toolchain', 'hash', 'lookup', 'load']) assert.match(hit.stderr, step(name), name);
  assert.match(hit.stderr, /cache hit/);
  assert.doesNotMatch(hit.stderr, / compile /);
  const quiet = await probe(file, { ...env, ZIGIMPORT_VERBOSE: 'no' }, false);
  assert.equal(quiet.stderr, '');
});

test('ZIGIMPORT_VERBOSE names each declaration the binding layer left out, with the reason', async () => {
  const dir = tempDir('src-');
  const file = path.join(dir, 'skips.zig');
  writeSource(file, 'pub fn value() i32 {\n    return 1;\n}\npub fn show(x: anytype) usize {\n    _ = x;\n    return 0;\n}\n');
  const r = await probe(file, childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('cache-'), ZIGIMPORT_VERBOSE: '1' }), false);
  assert.equal(r.value, 1);
  assert.match(r.stderr, /not exported: show \(.*anytype.*\)/);
});
