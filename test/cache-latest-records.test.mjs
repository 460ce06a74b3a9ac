// Release mode's latest/ records (src/cache/store.ts): named without SHA-256 so that a release-mode
// import loads no node:crypto, checked against the path, mode and target they name on read; a
// record a former zigimport wrote under its SHA-256 name still serves a prepared cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childEnv, countCompiles, probeImport, tempDir, writeSource } from './helpers.mjs';

function setup() {
  const dir = tempDir('latest-');
  const file = path.join(dir, 'mod.zig');
  writeSource(file, 'pub fn value() i32 {\n    return 41;\n}\n');
  const buildDir = path.join(dir, 'cache');
  return { file, buildDir, env: childEnv({ ZIGIMPORT_BUILD_DIR: buildDir }) };
}

const latestFiles = (buildDir) => fs.readdirSync(path.join(buildDir, 'latest')).map((n) => path.join(buildDir, 'latest', n));

test("a record that names another source is a miss, never that source's build", async () => {
  const { file, buildDir, env } = setup();
  const first = await probeImport(file, env);
  assert.equal(first.value, 41);
  const [record] = latestFiles(buildDir);
  const other = path.join(path.dirname(file), 'other.zig');
  writeSource(other, 'pub fn value() i32 {\n    return 7;\n}\n');
  // The other module's record file is made to hold this module's record (a name collision).
  const data = JSON.parse(fs.readFileSync(record, 'utf8'));
  await probeImport(other, env); // builds other.zig and records it
  for (const f of latestFiles(buildDir)) if (JSON.parse(fs.readFileSync(f, 'utf8')).source === other) fs.writeFileSync(f, JSON.stringify(data));
  const release = await probeImport(other, { ...env, ZIGIMPORT_RELEASE_MODE: '1' });
  assert.equal(release.ok, true, release.message);
  assert.equal(release.value, 7, 'other.zig loads its own build, not the one the record names');
});

test('a SHA-256-named record from an earlier zigimport serves release mode, and release mode writes nothing', async () => {
  const { file, buildDir, env } = setup();
  assert.equal((await probeImport(file, env)).value, 41);
  const [record] = latestFiles(buildDir);
  const { key } = JSON.parse(fs.readFileSync(record, 'utf8'));
  fs.rmSync(record);
  const optimize = 'Debug';
  const earlierName = createHash('sha256').update(`${file}\0${optimize}`).digest('hex');
  fs.writeFileSync(path.join(buildDir, 'latest', `${earlierName}.json`), JSON.stringify({ key, source: file, optimize }));
  // The sources are gone from where a checksum lookup would hash them: only the record can serve.
  fs.renameSync(file, `${file}.away`);
  writeSource(file, 'pub fn value() i32 {\n    return 0; // not built\n}\n');
  const before = latestFiles(buildDir);
  const r = await probeImport(file, { ...env, ZIGIMPORT_RELEASE_MODE: '1' });
  assert.equal(r.ok, true, r.message);
  assert.equal(r.value, 41, 'the recorded build, found through the earlier record');
  assert.equal(countCompiles(r.spawns), 0);
  assert.deepEqual(latestFiles(buildDir), before, 'release mode wrote no record (a prepared cache may be read-only)');
});
