// Checksum mode's stat-only hit (src/cache/verified.ts): once a build was verified by hashing
// sources whose ctime is older than the racy margin, later imports only `stat` them. Any write
// (even same-length with the mtime put back) changes ctime and is hashed and rebuilt; a source
// written within the margin is never trusted by identity; the artifact is still checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { childEnv, countCompiles, probeImport, tempDir, writeSource, require } from './helpers.mjs';

const { trustedIdentities, RACY_MARGIN_MS } = require('../dist/cache/verified.js');
const VERIFIED_HIT = /cache hit \(no source changed since it was last hashed\)/;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** value() = base + helper.extra + the sum of data.txt's bytes. */
function writeModule(dir) {
  writeSource(path.join(dir, 'helper.zig'), 'pub const extra: i32 = 10;\npub const data = @embedFile("data.txt");\n');
  writeSource(path.join(dir, 'data.txt'), 'abc');
  writeSource(
    path.join(dir, 'mod.zig'),
    'const helper = @import("helper.zig");\npub fn value() i32 {\n    var sum: i32 = 0;\n    for (helper.data) |b| sum += b;\n    return 100 + helper.extra + sum;\n}\n',
  );
  return path.join(dir, 'mod.zig');
}

/** Same-length edit in the same inode, mtime restored to the nanosecond (`touch -r`). */
function editKeepingMtime(file, from, to) {
  const ref = `${file}.ref`;
  assert.equal(spawnSync('touch', ['-r', file, ref]).status, 0);
  const before = fs.statSync(file, { bigint: true });
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, fs.readFileSync(file, 'utf8').replace(from, to), 0);
  fs.closeSync(fd);
  assert.equal(spawnSync('touch', ['-r', ref, file]).status, 0);
  fs.rmSync(ref);
  const after = fs.statSync(file, { bigint: true });
  assert.deepEqual([after.size, after.ino, after.mtimeNs], [before.size, before.ino, before.mtimeNs], 'only content and ctime changed');
}

test('a source written within the racy margin has no trusted identity; an older one does', async () => {
  const dir = tempDir('verified-unit-');
  const file = path.join(dir, 'a.zig');
  writeSource(file, 'pub fn f() void {}\n');
  assert.deepEqual(trustedIdentities([file, path.join(dir, 'missing.zig')]), [undefined, undefined]);
  await sleep(RACY_MARGIN_MS + 200);
  const [identity] = trustedIdentities([file]);
  const st = fs.statSync(file, { bigint: true });
  assert.equal(identity, `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`);
});

test('stat-only hits after a verified hash; same-length edits with mtime restored still rebuild; a damaged artifact is rebuilt', async () => {
  const cacheDir = tempDir('verified-');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: cacheDir, ZIGIMPORT_VERBOSE: '1' });
  const dir = tempDir('src-');
  const file = writeModule(dir);
  await sleep(RACY_MARGIN_MS + 200); // the sources' ctimes age past the margin

  const built = await probeImport(file, env);
  assert.equal(built.value, 404);
  assert.equal(countCompiles(built.spawns), 1);
  const hashed = await probeImport(file, env);
  assert.equal(hashed.value, 404);
  assert.doesNotMatch(hashed.stderr, VERIFIED_HIT, 'the first hit hashes (and records the identities)');
  const statOnly = await probeImport(file, env);
  assert.equal(statOnly.value, 404);
  assert.match(statOnly.stderr, VERIFIED_HIT);
  assert.deepEqual(statOnly.spawns, []);

  for (const [name, from, to, value] of [
    ['helper.zig', '= 10;', '= 20;', 414],
    ['data.txt', 'abc', 'abd', 415],
    ['mod.zig', 'return 100', 'return 200', 515],
  ]) {
    // Make the last hit a stat-only one again (the edited file must age past the margin).
    await sleep(RACY_MARGIN_MS + 200);
    await probeImport(file, env);
    assert.match((await probeImport(file, env)).stderr, VERIFIED_HIT, `stat-only before editing ${name}`);
    editKeepingMtime(path.join(dir, name), from, to);
    const edited = await probeImport(file, env);
    assert.equal(edited.value, value, `${name} edited in place with its mtime restored is rebuilt`);
    assert.doesNotMatch(edited.stderr, VERIFIED_HIT);
    assert.match(edited.stderr, new RegExp(`cache miss: changed: .*${name.replace('.', '\\.')}`));
  }

  // The stat-only path still checks the artifact: damaged bytes are rebuilt, never loaded.
  await sleep(RACY_MARGIN_MS + 200);
  await probeImport(file, env);
  const before = await probeImport(file, env);
  assert.match(before.stderr, VERIFIED_HIT);
  const builds = path.join(cacheDir, 'builds');
  const artifacts = fs.readdirSync(builds).filter((n) => n.endsWith('.node'));
  assert.ok(artifacts.length > 0, 'artifacts exist');
  for (const f of artifacts) fs.appendFileSync(path.join(builds, f), 'x');
  const damaged = await probeImport(file, env);
  assert.equal(damaged.value, 515, 'rebuilt, correct');
  assert.equal(countCompiles(damaged.spawns), 1, 'the damaged artifact was not loaded: compiled again');
});
