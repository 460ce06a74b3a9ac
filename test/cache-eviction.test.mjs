// The cache stays bounded: ZIGIMPORT_CACHE_MAX with least-recently-used eviction after a new
// build (never on a cached import), builds loaded by live processes are kept, clear-cache
// --older-than, temporary folders of dead compiles, and what `info` reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { childEnv, runCli, runNode, tempDir, writeSource, ROOT } from './helpers.mjs';

const { resolveSettings } = createRequire(import.meta.url)('../dist/config/settings.js');

const PROBE = path.join(ROOT, 'test', 'support', 'probe.cjs');
const HOUR = 3600_000;

/** Distinct modules m1.zig … mN.zig whose value() returns their number. */
function writeModules(n) {
  const dir = tempDir('src-');
  return Array.from({ length: n }, (_, i) => {
    const file = path.join(dir, `m${i + 1}.zig`);
    writeSource(file, `pub fn value() i32 {\n    return ${i + 1};\n}\n`);
    return file;
  });
}

function envFor(buildDir, extra = {}) {
  return childEnv({ ZIGIMPORT_BUILD_DIR: buildDir, ZIGIMPORT_TYPES: '0', ...extra });
}

/** Imports `file` in a new process; returns { value, compiled } (compiled: a compiler ran). */
async function importIn(file, env) {
  const r = await runNode([PROBE, file], { env, trace: true });
  const result = JSON.parse(r.stdout.trim().split('\n').pop() || '{}');
  assert.equal(result.ok, true, `${file}: ${result.message ?? r.stderr}`);
  return { value: result.value, compiled: r.spawns.some((s) => s.includes('build-lib')) };
}

/** The committed builds in the store, by source file: { key, manifestFile, artifact, manifest }. */
function builds(buildDir) {
  const dir = path.join(buildDir, 'builds');
  const out = new Map();
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (!name.endsWith('.json')) continue;
    const manifestFile = path.join(dir, name);
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    out.set(manifest.source, { key: manifest.key, manifestFile, artifact: path.join(dir, manifest.artifact.file), manifest });
  }
  return out;
}

/** Sets a build's recorded last use to `msAgo` in the past. */
function setLastUsed(buildDir, file, msAgo) {
  const b = builds(buildDir).get(file);
  assert.ok(b, `no build of ${file}`);
  fs.writeFileSync(b.manifestFile, JSON.stringify({ ...b.manifest, usedAt: Date.now() - msAgo }));
}

function artifactSize(buildDir, file) {
  return fs.statSync(builds(buildDir).get(file).artifact).size;
}

/** Keys that entries/ and latest/ records point at. */
function recordedKeys(buildDir) {
  const keys = new Set();
  for (const part of ['entries', 'latest']) {
    const dir = path.join(buildDir, part);
    for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) keys.add(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')).key);
  }
  return keys;
}

function deadPid() {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

test('least recently used builds are evicted past ZIGIMPORT_CACHE_MAX; a cached import never evicts and refreshes the last use', async () => {
  const buildDir = tempDir('cache-');
  const [m1, m2, m3] = writeModules(3);
  assert.equal((await importIn(m1, envFor(buildDir))).value, 1);
  assert.equal((await importIn(m2, envFor(buildDir))).value, 2);
  const size = artifactSize(buildDir, m1);
  assert.ok(size > 100_000, `a Debug artifact has debug info (${size} bytes)`);
  // Compiles use private Zig caches now; the shared one only serves the declaration reader's build.
  const zigCacheFile = path.join(buildDir, 'zig-cache', 'o', 'leftover');
  fs.mkdirSync(path.dirname(zigCacheFile), { recursive: true });
  fs.writeFileSync(zigCacheFile, Buffer.alloc(1000));

  // Room for two builds and a half: the third must push one out.
  const small = envFor(buildDir, { ZIGIMPORT_CACHE_MAX: String(Math.floor(size * 2.5)) });
  setLastUsed(buildDir, m1, 3 * HOUR);
  setLastUsed(buildDir, m2, 2 * HOUR);

  // A hit (even over the limit, with a tiny bound) removes nothing, and records the use.
  const hit = await importIn(m1, envFor(buildDir, { ZIGIMPORT_CACHE_MAX: '1' }));
  assert.deepEqual(hit, { value: 1, compiled: false });
  assert.equal(builds(buildDir).size, 2, 'nothing evicted on a cached import');
  assert.ok(Date.now() - builds(buildDir).get(m1).manifest.usedAt < 60_000, 'a hit refreshes a last use older than an hour');

  assert.equal((await importIn(m3, small)).value, 3);
  const left = builds(buildDir);
  assert.deepEqual([...left.keys()].sort(), [m1, m3].sort(), 'm2, the least recently used, was evicted; m1 was used more recently');
  assert.ok(!fs.existsSync(zigCacheFile), "Zig's local cache goes first");
  const evictedKey = [...recordedKeys(buildDir)].filter((k) => ![...left.values()].some((b) => b.key === k));
  assert.deepEqual(evictedKey, [], 'no entries/latest record points at an evicted build');
  const dir = fs.readdirSync(path.join(buildDir, 'builds'));
  assert.equal(dir.length, 4, `only the manifests and artifacts of m1 and m3 remain: ${dir}`);

  const again = await importIn(m2, small);
  assert.deepEqual(again, { value: 2, compiled: true }, 'an evicted build is simply rebuilt');
  assert.ok(!builds(buildDir).has(m1) || !builds(buildDir).has(m3), 'and the bound holds after that build too');
});

/** A child that loads `file` and keeps it loaded until its stdin closes. */
async function holdLoaded(file, env) {
  const script = `const m = require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))}).loadSync(process.argv[1]);
process.stdout.write('loaded ' + m.value() + '\\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));`;
  const child = spawn(process.execPath, ['-e', script, file], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (c) => String(c).includes('loaded') && resolve());
    child.on('exit', () => reject(new Error('holder exited before loading')));
  });
  return {
    release: async () => {
      child.stdin.end();
      return exited;
    },
  };
}

test('a build mapped by a live process is never evicted (limit or --older-than), and is once the process exits', async () => {
  const buildDir = tempDir('cache-');
  const [m1, m2, m3] = writeModules(3);
  const holder = await holdLoaded(m1, envFor(buildDir));
  let released = false;
  try {
    const size = artifactSize(buildDir, m1);
    const tight = envFor(buildDir, { ZIGIMPORT_CACHE_MAX: String(Math.floor(size * 1.5)) });
    setLastUsed(buildDir, m1, 5 * HOUR);
    await importIn(m2, tight);
    assert.ok(builds(buildDir).has(m1), 'm1 is the oldest, but a live process has it loaded');
    assert.ok(fs.existsSync(builds(buildDir).get(m1).artifact));

    const older = await runCli(['clear-cache', '--older-than', '1h'], { env: envFor(buildDir) });
    assert.equal(older.code, 0, older.stderr);
    assert.match(older.stdout, /Removed 0 build\(s\) not used in 1h .*kept 1 loaded by running processes/);
    assert.ok(builds(buildDir).has(m1));

    await holder.release();
    released = true;
    await importIn(m3, tight);
    const left = builds(buildDir);
    assert.ok(!left.has(m1), 'evicted once its process exited');
    assert.ok(left.has(m3), 'the build just made is kept');
  } finally {
    if (!released) await holder.release();
  }
});

test('clear-cache --older-than removes builds by last use, keeps toolchains and live temporary folders', async () => {
  const buildDir = tempDir('cache-');
  const [m1, m2, m3] = writeModules(3);
  for (const f of [m1, m2, m3]) await importIn(f, envFor(buildDir));
  setLastUsed(buildDir, m1, 3 * 24 * HOUR);
  setLastUsed(buildDir, m2, 3 * HOUR);
  fs.mkdirSync(path.join(buildDir, 'toolchains', '0.0.0'), { recursive: true });
  fs.writeFileSync(path.join(buildDir, 'toolchains', '0.0.0', 'zig'), 'x');
  const dead = path.join(buildDir, 'tmp', `abcdef-${deadPid()}-0123abcd`);
  const live = path.join(buildDir, 'tmp', `abcdef-${process.pid}-0123abcd`);
  for (const d of [dead, live]) fs.mkdirSync(d, { recursive: true });
  const zigCacheFile = path.join(buildDir, 'zig-cache', 'o', 'recent');
  fs.mkdirSync(path.dirname(zigCacheFile), { recursive: true });
  fs.writeFileSync(zigCacheFile, 'x');

  const env = envFor(buildDir);
  const week = await runCli(['clear-cache', '--older-than', '2d'], { env });
  assert.equal(week.code, 0, week.stderr);
  assert.match(week.stdout, /Removed 1 build\(s\) not used in 2d/);
  assert.deepEqual([...builds(buildDir).keys()].sort(), [m2, m3].sort());
  assert.ok(!fs.existsSync(dead), 'the temporary folder of a dead process is removed at once');
  assert.ok(fs.existsSync(live), 'a live compile keeps its temporary folder');
  assert.ok(fs.existsSync(zigCacheFile), "Zig's local cache was written just now: kept");

  const hours = await runCli(['clear-cache', '--older-than', '2h'], { env });
  assert.match(hours.stdout, /Removed 1 build\(s\) not used in 2h/);
  assert.deepEqual([...builds(buildDir).keys()], [m3]);
  assert.ok(fs.existsSync(path.join(buildDir, 'toolchains', '0.0.0', 'zig')), 'toolchains are kept');
  assert.deepEqual(await importIn(m3, env), { value: 3, compiled: false }, 'what was kept still loads without a compile');
  assert.deepEqual(await importIn(m1, env), { value: 1, compiled: true });

  for (const bad of ['3x', '-1d', 'week', '0h']) {
    const r = await runCli(['clear-cache', '--older-than', bad], { env });
    assert.equal(r.code, 2, bad);
    assert.match(r.stderr, /expected a duration such as 30m, 12h, 7d or 2w/);
  }
});

test('a new build removes temporary folders of dead compiles at once, not after an hour', async () => {
  const buildDir = tempDir('cache-');
  const [m1] = writeModules(1);
  const dead = path.join(buildDir, 'tmp', `0123456789abcdef-${deadPid()}-89abcdef`);
  const live = path.join(buildDir, 'tmp', `0123456789abcdef-${process.pid}-89abcdef`);
  for (const d of [dead, live]) {
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, 'addon.node'), 'partial');
  }
  await importIn(m1, envFor(buildDir));
  assert.ok(!fs.existsSync(dead));
  assert.ok(fs.existsSync(live));
});

test('info shows cache use: total, builds, Zig cache, temporary bytes, the limit and its source', async () => {
  const buildDir = tempDir('cache-');
  const [m1, m2] = writeModules(2);
  for (const f of [m1, m2]) await importIn(f, envFor(buildDir));
  fs.mkdirSync(path.join(buildDir, 'zig-cache', 'o'), { recursive: true });
  fs.writeFileSync(path.join(buildDir, 'zig-cache', 'o', 'f'), Buffer.alloc(500));
  fs.mkdirSync(path.join(buildDir, 'tmp', `x-${process.pid}-0123abcd`), { recursive: true });
  fs.writeFileSync(path.join(buildDir, 'tmp', `x-${process.pid}-0123abcd`, 'f'), Buffer.alloc(1000));
  const du = (p) => {
    const st = fs.lstatSync(p);
    return st.isDirectory() ? fs.readdirSync(p).reduce((n, e) => n + du(path.join(p, e)), 0) : st.size;
  };
  const expected = { bytes: du(path.join(buildDir, 'builds')), zigCacheBytes: du(path.join(buildDir, 'zig-cache')), tmpBytes: 1000 };

  const r = await runCli(['info', '--json'], { env: envFor(buildDir, { ZIGIMPORT_CACHE_MAX: '30MB' }) });
  assert.equal(r.code, 0, r.stderr);
  const { cache } = JSON.parse(r.stdout);
  assert.equal(cache.entries, 2);
  assert.equal(cache.bytes, expected.bytes);
  assert.ok(cache.zigCacheBytes > 0 && cache.zigCacheBytes === expected.zigCacheBytes);
  assert.equal(cache.tmpBytes, 1000);
  assert.equal(cache.totalBytes, expected.bytes + expected.zigCacheBytes + 1000);
  assert.equal(cache.limit, 30_000_000);
  assert.equal(cache.limitSource, 'env');

  const text = await runCli(['info'], { env: envFor(buildDir, { ZIGIMPORT_CACHE_MAX: '30MB' }) });
  assert.match(text.stdout, /ZIGIMPORT_CACHE_MAX\s+30000000\s+from env/);
  assert.match(text.stdout, /\d+\.\d MiB of 28\.6 MiB \(limit from env\)/);
  assert.match(text.stdout, /2 build\(s\) \d+\.\d MiB, Zig's local cache 500 B, temporary 1000 B/);

  const project = tempDir('proj-');
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'p', zigimport: { cacheMax: '500MB' } }));
  const fromPkg = JSON.parse((await runCli(['info', '--json'], { env: envFor(buildDir), cwd: project })).stdout).cache;
  assert.deepEqual([fromPkg.limit, fromPkg.limitSource], [500_000_000, 'package.json']);
  const byDefault = JSON.parse((await runCli(['info', '--json'], { env: envFor(buildDir) })).stdout).cache;
  assert.deepEqual([byDefault.limit, byDefault.limitSource], [2 * 1024 ** 3, 'default']);
});

test('cache sizes: the accepted spellings, and invalid values are a config error naming where they came from', async () => {
  const env = (v) => envFor(tempDir('cache-'), { ZIGIMPORT_CACHE_MAX: v });
  const sizes = { '2GiB': 2 * 1024 ** 3, '500MB': 500e6, '100M': 100e6, '1048576': 1048576, '64Ki': 65536, '1.5G': 1.5e9 };
  for (const [text, bytes] of Object.entries(sizes)) {
    const r = await runCli(['info', '--json'], { env: env(text) });
    assert.equal(r.code, 0, `${text}: ${r.stderr}`);
    assert.equal(JSON.parse(r.stdout).cache.limit, bytes, text);
  }
  for (const bad of ['lots', '-5', '0', '12XB', '2 GiB extra', '1e9']) {
    const r = await runCli(['info'], { env: env(bad) });
    assert.equal(r.code, 2, bad);
    assert.match(r.stderr, /ZIGIMPORT_CACHE_MAX must be a positive size such as 2GiB, 500MB, 100M or a number of bytes/);
    assert.ok(r.stderr.includes(JSON.stringify(bad)), r.stderr);
  }
  // The import path reports it as a typed error too.
  const [m1] = writeModules(1);
  const r = await runNode([PROBE, m1], { env: env('huge') });
  const result = JSON.parse(r.stdout.trim());
  assert.equal(result.code, 'ZIGIMPORT_INVALID_CONFIG');
  assert.match(result.message, /ZIGIMPORT_CACHE_MAX/);

  // load() options take a number of bytes or a size string, like every setting.
  const resolve = (cacheMax) => resolveSettings({ overrides: { cacheMax }, env: {} }).settings.cacheMax;
  assert.equal(resolve(5_000_000), 5_000_000);
  assert.equal(resolve('5M'), 5_000_000);
  assert.throws(() => resolve(-1), { code: 'ZIGIMPORT_INVALID_CONFIG', message: /setting "cacheMax" must be a positive size/ });
  assert.throws(() => resolve(true), { code: 'ZIGIMPORT_INVALID_CONFIG' });

  const project = tempDir('proj-');
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'p', zigimport: { cacheMax: 'big' } }));
  const pkg = await runCli(['info'], { env: envFor(tempDir('cache-')), cwd: project });
  assert.equal(pkg.code, 2);
  assert.match(pkg.stderr, /"zigimport\.cacheMax" in .*package\.json must be a positive size/);
});
