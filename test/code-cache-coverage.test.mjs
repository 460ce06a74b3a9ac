// Which kinds of hit the V8 code cache holds (src/code-cache/run-bundle.ts, `covers` in its
// record): a cache written after a release-mode hit lacks the checksum-mode lookup's compiled
// functions, so the first checksum-mode hit writes it again with both; after that neither kind
// writes. A cache written by a miss is kept as it is. Real Zig, real Node processes; what the code
// cache did is read from its ZIGIMPORT_VERBOSE lines and its record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, childEnv, runNode, tempDir } from './helpers.mjs';

const INDEX = JSON.stringify(path.join(ROOT, 'dist', 'index.js'));
const IMPORT = `console.log(JSON.stringify({ sum: require(${INDEX}).loadSync(process.argv[1]).add(2, 40) }));`;
const isNode = !process.versions.bun && !process.versions.deno;

const workDir = tempDir('code-cache-coverage-');
const cacheDir = path.join(workDir, 'cache');
const codeCacheDir = path.join(cacheDir, 'code-cache');
/** The sources' identity (ctime included) must be past the 2 s racy margin for a stat-only hit. */
const RACY_MARGIN_MS = 2_100;

function writeModule(name) {
  const file = path.join(workDir, name);
  fs.writeFileSync(file, 'pub fn add(a: i32, b: i32) i32 {\n    return a + b;\n}\n');
  return file;
}
const bothFile = writeModule('both.zig');
const missFile = writeModule('miss.zig');
await new Promise((resolve) => setTimeout(resolve, RACY_MARGIN_MS));

/** One import in a fresh process; returns the code cache's verbose lines. */
async function importOnce(file, mode) {
  const env = childEnv({
    ZIGIMPORT_BUILD_DIR: cacheDir,
    ZIGIMPORT_TYPES: '0',
    ZIGIMPORT_VERBOSE: '1',
    ...(mode === 'release' && { ZIGIMPORT_RELEASE_MODE: '1' }),
  });
  const r = await runNode(['-e', IMPORT, file], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout.trim().split('\n').pop()).sum, 42);
  return r.stderr
    .split('\n')
    .filter((l) => l.startsWith('[zigimport] code cache: '))
    .map((l) => l.slice('[zigimport] code cache: '.length));
}

function covers() {
  const records = fs.readdirSync(codeCacheDir).filter((f) => f.endsWith('.json'));
  assert.equal(records.length, 1, `one code cache expected, found ${records.join(', ')}`);
  return JSON.parse(fs.readFileSync(path.join(codeCacheDir, records[0]), 'utf8')).covers;
}

test('a cache written after a release-mode hit is rewritten once by a checksum-mode hit, then kept', { skip: !isNode }, async () => {
  const file = bothFile;
  await importOnce(file, 'checksum'); // compiles
  await importOnce(file, 'checksum'); // hashes the sources, so later checksum-mode hits are stat-only
  fs.rmSync(codeCacheDir, { recursive: true, force: true });
  assert.match((await importOnce(file, 'release')).at(-1), /^written for the next process .*: import, release\)$/);
  assert.deepEqual(covers(), ['import', 'release']);
  const checksum = await importOnce(file, 'checksum');
  assert.match(checksum[0], /^used /);
  assert.match(checksum.at(-1), /^written for the next process .*: checksum, import, release\)$/);
  assert.deepEqual(covers(), ['checksum', 'import', 'release']);
  for (const mode of ['release', 'checksum']) {
    const lines = await importOnce(file, mode);
    assert.equal(lines.length, 1, `${mode}: ${lines.join(' | ')}`);
    assert.match(lines[0], /^used /);
  }
});

test('a cache written by a miss is rewritten once by the first hit (hashing or stat-only alike), then kept', { skip: !isNode }, async () => {
  const file = missFile;
  fs.rmSync(codeCacheDir, { recursive: true, force: true });
  assert.match((await importOnce(file, 'checksum')).at(-1), /^written for the next process .*: import\)$/);
  // The first hit (this one hashes the sources) covers what the miss did not run.
  assert.match((await importOnce(file, 'checksum')).at(-1), /^written for the next process .*: checksum, import\)$/);
  assert.deepEqual(covers(), ['checksum', 'import']);
  // A stat-only hit is the same kind: used, not written.
  const statOnly = await importOnce(file, 'checksum');
  assert.equal(statOnly.length, 1, statOnly.join(' | '));
  assert.match(statOnly[0], /^used /);
  assert.deepEqual(covers(), ['checksum', 'import']);
});
