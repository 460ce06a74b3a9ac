// What a cached import touches on disk (issue 13): a warm hit (a second, different module in the
// process) reads the module once (its `//!` lines), one small record per mode, `stat`s each source
// in checksum mode and `lstat`s the artifact; it writes nothing and reads no manifest while the
// `latest/` record's copy of the artifact check is fresh. Counted by wrapping every synchronous
// `fs` function in the child, so that one more read or stat per import fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, childEnv, runNode, tempDir, writeSource } from './helpers.mjs';

const DIST = path.join(ROOT, 'dist');
/** The racy margin of src/cache/verified.ts (2 s) and a little more: sources older than it are trusted by identity. */
const PAST_RACY_MARGIN_MS = 2300;

function modules(dir) {
  return ['first', 'second'].map((name, i) => {
    const file = path.join(dir, `${name}.zig`);
    writeSource(file, `pub fn value() i32 {\n    return ${i + 40};\n}\n`);
    return file;
  });
}

/** Loads `first`, then counts the `fs` calls of loading `second` (each as [function, path relative to the cache or source folder]). */
async function warmHitCalls(first, second, env) {
  const code = `
    const fs = require('node:fs');
    const z = require(${JSON.stringify(DIST)});
    if (z.loadSync(${JSON.stringify(first)}).value() !== 40) throw new Error('wrong answer from first');
    const calls = [];
    const originals = {};
    for (const name of Object.keys(fs).filter((n) => n.endsWith('Sync'))) {
      originals[name] = fs[name];
      fs[name] = function (...args) { calls.push([name, String(args[0])]); return originals[name].apply(this, args); };
    }
    const m = z.loadSync(${JSON.stringify(second)});
    Object.assign(fs, originals);
    if (m.value() !== 41) throw new Error('wrong answer from second');
    console.log(JSON.stringify(calls));`;
  const r = await runNode(['-e', code], { env });
  assert.equal(r.code, 0, r.stderr);
  const calls = JSON.parse(r.stdout.trim().split('\n').pop());
  const cacheDir = env.ZIGIMPORT_BUILD_DIR;
  const where = (p) => (p.startsWith(cacheDir + path.sep) ? path.relative(cacheDir, p).split(path.sep)[0] + '/' : p === second ? 'module' : p);
  return calls.map(([fn, p]) => [fn, where(p)]);
}

const WRITES = /^(write|rename|mkdir|open|copy|rm|unlink|chmod|fchmod|utimes|truncate|append|symlink|link)/;

async function setup() {
  const dir = tempDir('hit-access-');
  const [first, second] = modules(dir);
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: path.join(dir, 'cache') });
  await warmHitCalls(first, second, env); // compiles both
  // A source edited less than the racy margin ago is hashed on every import: wait past it, then
  // one checksum-mode import records the stat-only identities and the latest/ artifact check.
  await new Promise((resolve) => setTimeout(resolve, PAST_RACY_MARGIN_MS));
  await warmHitCalls(first, second, env);
  return { first, second, env };
}

test('a warm cached hit: release mode reads the module and its latest/ record and lstats the artifact, nothing else', async () => {
  const { first, second, env } = await setup();
  const calls = await warmHitCalls(first, second, { ...env, ZIGIMPORT_RELEASE_MODE: '1' });
  assert.deepEqual(
    calls,
    [
      ['readFileSync', 'module'],
      ['readFileSync', 'latest/'],
      ['lstatSync', 'builds/'],
    ],
    'one read of the module (its //! lines), one of the record, one lstat of the artifact',
  );

  const checksum = await warmHitCalls(first, second, env);
  assert.deepEqual(
    checksum,
    [
      ['readFileSync', 'module'],
      ['readFileSync', 'entries/'],
      ['statSync', 'module'],
      ['readFileSync', 'latest/'],
      ['lstatSync', 'builds/'],
    ],
    'checksum mode adds the verified record and one stat per source, and hashes nothing',
  );
  assert.deepEqual(
    [...calls, ...checksum].filter(([fn]) => WRITES.test(fn)),
    [],
    'a hit writes nothing',
  );
});

test("the latest/ record's artifact check serves for an hour at most; then the manifest is read and the record refreshed", async () => {
  const { first, second, env } = await setup();
  const latestDir = path.join(env.ZIGIMPORT_BUILD_DIR, 'latest');
  const recordFile = fs
    .readdirSync(latestDir)
    .map((n) => path.join(latestDir, n))
    .find((f) => JSON.parse(fs.readFileSync(f, 'utf8')).source === second);
  const record = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
  assert.equal(typeof record.artifact?.identity, 'string', 'a checksum-mode hit recorded the artifact check');
  fs.writeFileSync(recordFile, JSON.stringify({ ...record, usedAt: Date.now() - 2 * 60 * 60 * 1000 }));

  const release = { ...env, ZIGIMPORT_RELEASE_MODE: '1' };
  const stale = await warmHitCalls(first, second, release);
  assert.ok(
    stale.some(([fn, where]) => fn === 'readFileSync' && where === 'builds/'),
    `a stale check reads the manifest: ${JSON.stringify(stale)}`,
  );
  const refreshed = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
  assert.ok(refreshed.usedAt > Date.now() - 60 * 60 * 1000, 'the record took the manifest’s last-use time');
  assert.equal(refreshed.artifact.identity, record.artifact.identity);

  const again = await warmHitCalls(first, second, release);
  assert.deepEqual(
    again,
    [
      ['readFileSync', 'module'],
      ['readFileSync', 'latest/'],
      ['lstatSync', 'builds/'],
    ],
    'fresh again: no manifest read',
  );

  // A last-use time ahead of the clock (the clock was set back) is not fresh either.
  fs.writeFileSync(recordFile, JSON.stringify({ ...refreshed, usedAt: Date.now() + 2 * 60 * 60 * 1000 }));
  const ahead = await warmHitCalls(first, second, release);
  assert.ok(
    ahead.some(([fn, where]) => fn === 'readFileSync' && where === 'builds/'),
    `a check dated in the future reads the manifest: ${JSON.stringify(ahead)}`,
  );
});
