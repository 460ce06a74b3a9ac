// The V8 code cache of the bundled hot path (src/code-cache/): a process after an import writes it,
// the next process runs the hot path from it, and a cache that is damaged, stale, foreign, rejected
// by V8, untrusted or disabled is never used, while the import itself stays correct. Real Zig,
// real Node processes; what the code cache did is read from its ZIGIMPORT_VERBOSE lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { ROOT, childEnv, extraNodes, runNode, tempDir } from './helpers.mjs';
import { runtimeBinary } from './support/runtimes.mjs';

const INDEX = JSON.stringify(path.join(ROOT, 'dist', 'index.js'));
const ERRORS = JSON.stringify(path.join(ROOT, 'dist', 'errors.js'));
const SOURCE = 'pub fn add(a: i32, b: i32) i32 {\n    return a + b;\n}\n';
/** Imports the module, checks a call and that deep paths share the bundle's classes; prints the result. */
const IMPORT = `
const zi = require(${INDEX});
let out;
try { out = { sum: zi.loadSync(process.argv[1]).add(2, 40), sameClass: require(${ERRORS}).ZigImportError === zi.ZigImportError }; }
catch (e) { out = { code: e.code, folder: e.folder }; }
console.log(JSON.stringify(out));
`;
const isNode = !process.versions.bun && !process.versions.deno;

const workDir = tempDir('code-cache-');
const moduleFile = path.join(workDir, 'add.zig');
fs.writeFileSync(moduleFile, SOURCE);
const cacheDir = path.join(workDir, 'cache');
const codeCacheDir = path.join(cacheDir, 'code-cache');

/** One import in a fresh process: its printed result and the code cache's verbose lines. */
async function importOnce({ extra = {}, node, args = [] } = {}) {
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: cacheDir, ZIGIMPORT_TYPES: '0', ZIGIMPORT_VERBOSE: '1', ...extra });
  const r = await runNode([...args, '-e', IMPORT, moduleFile], { env, ...(node && { node }) });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('[zigimport] code cache: '))
    .map((l) => l.slice('[zigimport] code cache: '.length));
  return { ...JSON.parse(r.stdout.trim().split('\n').pop()), lines };
}

function cacheFiles() {
  return fs.existsSync(codeCacheDir) ? fs.readdirSync(codeCacheDir).sort() : [];
}

function theCache() {
  const v8 = cacheFiles().filter((f) => f.endsWith('.v8'));
  assert.equal(v8.length, 1, `one code cache expected, found ${cacheFiles().join(', ')}`);
  return { data: path.join(codeCacheDir, v8[0]), record: path.join(codeCacheDir, v8[0].replace(/\.v8$/, '.json')) };
}

// The module is compiled once up front (no code cache), so every cache the tests make is written
// after a hit: a cache written by a miss is written again by the first hit (code-cache-coverage).
await importOnce({ extra: { ZIGIMPORT_CODE_CACHE: '0' } });

/** Starts from no code cache and makes a valid one (the artifact itself stays cached). */
async function freshCache() {
  fs.rmSync(codeCacheDir, { recursive: true, force: true });
  const first = await importOnce();
  assert.equal(first.sum, 42);
  assert.deepEqual(first.lines[0], 'none');
  assert.match(first.lines.at(-1), /^written for the next process/);
  return theCache();
}

/** The next process does not use what is there, imports correctly, and leaves a cache the one after uses. */
async function notUsedThenRewritten(expected) {
  const r = await importOnce();
  assert.equal(r.sum, 42);
  assert.equal(r.lines[0], expected);
  assert.match(r.lines.at(-1), /^written for the next process/);
  const after = await importOnce();
  assert.equal(after.sum, 42);
  assert.match(after.lines[0], /^used /);
}

test('the second process runs the hot path from the code cache; files are private; deep paths share classes', { skip: !isNode }, async () => {
  const { data, record } = await freshCache();
  const second = await importOnce();
  assert.equal(second.sum, 42);
  assert.equal(second.sameClass, true);
  assert.deepEqual(second.lines, [`used ${data}`], 'a used cache is not written again');
  assert.equal(fs.statSync(codeCacheDir).mode & 0o777, 0o700);
  for (const f of [data, record]) assert.equal(fs.statSync(f).mode & 0o777, 0o600);
  assert.deepEqual(
    cacheFiles().filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('a process that imports nothing writes no code cache', { skip: !isNode }, async () => {
  fs.rmSync(codeCacheDir, { recursive: true, force: true });
  const r = await runNode(['-e', `require(${INDEX})`], { env: childEnv({ ZIGIMPORT_BUILD_DIR: cacheDir, ZIGIMPORT_VERBOSE: '1' }) });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(cacheFiles(), []);
});

test('flipped bytes (same size) are not passed to V8 and get rewritten', { skip: !isNode }, async () => {
  const { data } = await freshCache();
  const bytes = fs.readFileSync(data);
  for (let i = 64; i < bytes.length; i += 997) bytes[i] ^= 0xff;
  fs.writeFileSync(data, bytes);
  await notUsedThenRewritten('damaged');
});

test('a truncated cache is not used and gets rewritten', { skip: !isNode }, async () => {
  const { data } = await freshCache();
  fs.truncateSync(data, Math.floor(fs.statSync(data).size / 2));
  await notUsedThenRewritten('damaged');
});

test('a cache replaced by another file (even with a matching record) is checked: V8 rejects it, it is rewritten', { skip: !isNode }, async () => {
  const { data, record } = await freshCache();
  // Another script's valid code cache, with a record forged to match the file: only V8's own check is left.
  fs.writeFileSync(data, new vm.Script('"another script"').createCachedData(), { mode: 0o600 });
  const rec = JSON.parse(fs.readFileSync(record, 'utf8'));
  const st = fs.statSync(data, { bigint: true });
  rec.identity = { ino: String(st.ino), size: String(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs) };
  fs.writeFileSync(record, JSON.stringify(rec));
  await notUsedThenRewritten('rejected');
});

test('another `node -e` script text is no other flag: it uses the same cache', { skip: !isNode }, async () => {
  const { data } = await freshCache();
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: cacheDir, ZIGIMPORT_TYPES: '0', ZIGIMPORT_VERBOSE: '1' });
  const r = await runNode([`--eval=${IMPORT}\n// another script`, moduleFile], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout.trim().split('\n').pop()).sum, 42);
  assert.match(r.stderr, new RegExp(`code cache: used ${data.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.equal(cacheFiles().length, 2, cacheFiles().join(', '));
});

test('processes with other flags keep their own cache; a record made for other flags is stale and replaced', { skip: !isNode }, async () => {
  const { record } = await freshCache();
  const flagged = await importOnce({ args: ['--stack-size=900'] });
  assert.equal(flagged.sum, 42);
  assert.equal(flagged.lines[0], 'none');
  assert.equal(cacheFiles().length, 4, cacheFiles().join(', '));
  assert.match((await importOnce({ args: ['--stack-size=900'] })).lines[0], /^used /);
  assert.match((await importOnce()).lines[0], /^used /);
  // The record says another flag set (or Node, or bundle) made it: not used, rewritten.
  const rec = JSON.parse(fs.readFileSync(record, 'utf8'));
  fs.writeFileSync(record, JSON.stringify({ ...rec, key: rec.key.replace('"node":"', '"node":"v0.0.0-other') }));
  await notUsedThenRewritten('stale');
});

test("another Node's cache under this Node's name is not used", { skip: !isNode || extraNodes().length === 0 }, async () => {
  const { data, record } = await freshCache();
  const other = extraNodes()[0];
  const saved = [fs.readFileSync(data), fs.readFileSync(record)];
  fs.rmSync(codeCacheDir, { recursive: true, force: true });
  const made = await importOnce({ node: other });
  assert.equal(made.sum, 42);
  const theirs = cacheFiles().filter((f) => f.endsWith('.v8'));
  assert.equal(theirs.length, 1);
  fs.renameSync(path.join(codeCacheDir, theirs[0]), data);
  fs.renameSync(path.join(codeCacheDir, theirs[0].replace(/\.v8$/, '.json')), record);
  assert.ok(saved[0].length > 0);
  await notUsedThenRewritten('stale');
});

test('a group-writable code-cache folder is not read; the import reports the unsafe cache', { skip: !isNode || process.platform === 'win32' }, async () => {
  await freshCache();
  fs.chmodSync(codeCacheDir, 0o770);
  try {
    const r = await importOnce();
    assert.deepEqual(r.lines, ['untrusted']);
    assert.equal(r.code, 'ZIGIMPORT_UNSAFE_CACHE');
    assert.equal(r.folder, codeCacheDir);
  } finally {
    fs.chmodSync(codeCacheDir, 0o700);
  }
});

test('concurrent processes writing at once leave a usable cache', { skip: !isNode }, async () => {
  fs.rmSync(codeCacheDir, { recursive: true, force: true });
  const all = await Promise.all(Array.from({ length: 6 }, () => importOnce()));
  for (const r of all) assert.equal(r.sum, 42);
  assert.deepEqual(
    cacheFiles().filter((f) => f.endsWith('.tmp')),
    [],
  );
  const after = await importOnce();
  assert.equal(after.sum, 42);
  assert.match(after.lines[0], /^(used |damaged$)/);
  // Two writers can leave the record of one beside the other's file: then the next process rewrites it.
  const next = await importOnce();
  assert.match(next.lines[0], /^used /);
});

test('a failed write is not fatal: the import works and the next process tries again', { skip: !isNode }, async () => {
  fs.rmSync(codeCacheDir, { recursive: true, force: true });
  await freshCache();
  const { data } = theCache();
  fs.rmSync(data);
  fs.mkdirSync(data); // renaming the new file onto a folder fails
  try {
    const r = await importOnce();
    assert.equal(r.sum, 42);
    assert.equal(r.lines[0], 'damaged');
    assert.match(r.lines.at(-1), /^not written: /);
  } finally {
    fs.rmSync(data, { recursive: true });
  }
});

test('old caches beyond the limit are removed when one is written', { skip: !isNode }, async () => {
  fs.rmSync(codeCacheDir, { recursive: true, force: true });
  fs.mkdirSync(codeCacheDir, { mode: 0o700 });
  const old = new Date(Date.now() - 3600_000);
  for (let i = 0; i < 10; i++) {
    for (const ext of ['.json', '.v8']) {
      const f = path.join(codeCacheDir, `v0.0.${i}-x64-old${ext}`);
      fs.writeFileSync(f, '{}', { mode: 0o600 });
      fs.utimesSync(f, old, old);
    }
  }
  const r = await importOnce();
  assert.equal(r.sum, 42);
  const left = cacheFiles();
  assert.equal(left.length, 16, left.join(', '));
  assert.ok(
    left.some((f) => f.startsWith(process.version)),
    'the new cache is kept',
  );
});

test('ZIGIMPORT_CODE_CACHE=0 reads and writes no code cache', async () => {
  fs.rmSync(codeCacheDir, { recursive: true, force: true });
  for (let i = 0; i < 2; i++) {
    const r = await importOnce({ extra: { ZIGIMPORT_CODE_CACHE: '0' } });
    assert.equal(r.sum, 42);
    assert.equal(r.sameClass, true);
    assert.deepEqual(r.lines, []);
  }
  assert.deepEqual(cacheFiles(), []);
});

for (const [variable, name, args] of [
  ['ZIGIMPORT_TEST_BUN', 'Bun', (file) => [file]],
  ['ZIGIMPORT_TEST_DENO', 'Deno', (file) => ['run', '-A', file]],
]) {
  const runtime = runtimeBinary(variable, name);
  test(`${name} imports with zigimport's bundle and reads or writes no code cache`, { skip: runtime.skip }, async () => {
    fs.rmSync(codeCacheDir, { recursive: true, force: true });
    const script = path.join(workDir, `import-${name}.cjs`);
    fs.writeFileSync(script, `process.argv[1] = ${JSON.stringify(moduleFile)};\n${IMPORT.replaceAll('process.argv[1]', JSON.stringify(moduleFile))}`);
    for (let i = 0; i < 2; i++) {
      const r = await runNode(args(script), { node: runtime.path, env: childEnv({ ZIGIMPORT_BUILD_DIR: cacheDir, ZIGIMPORT_VERBOSE: '1' }) });
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout.trim().split('\n').pop());
      assert.equal(out.sum, 42, r.stderr);
      assert.equal(out.sameClass, true);
      assert.doesNotMatch(r.stderr, /code cache/);
    }
    assert.deepEqual(cacheFiles(), []);
  });
}

test('without ZIGIMPORT_BUILD_DIR the code cache is in ~/.zigimport/code-cache', { skip: !isNode || process.platform === 'win32' }, async () => {
  const home = tempDir('home-');
  const env = childEnv({ HOME: home, ZIGIMPORT_TYPES: '0', ZIGIMPORT_VERBOSE: '1' });
  delete env.ZIGIMPORT_BUILD_DIR;
  for (const expected of [/^none$/, /^used /]) {
    const r = await runNode(['-e', IMPORT, moduleFile], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout.trim().split('\n').pop()).sum, 42);
    assert.match(
      r.stderr
        .split('\n')
        .find((l) => l.startsWith('[zigimport] code cache: '))
        .slice('[zigimport] code cache: '.length),
      expected,
    );
  }
  assert.equal(fs.readdirSync(path.join(home, '.zigimport', 'code-cache')).filter((f) => f.endsWith('.v8')).length, 1);
});
