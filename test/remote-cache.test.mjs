// The remote cache (issue 17) against a real nginx with WebDAV PUT on loopback, started per test.
// Two cache folders and two project folders stand for two machines: A compiles and uploads, B
// (with or without Zig) imports from the remote cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { childEnv, require, runCli, runNode, tempDir, writeSource, ROOT, ZIG } from './helpers.mjs';

const PROBE = path.join(ROOT, 'test', 'support', 'probe.cjs');
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));
// A machine without Zig uses builds made with the release `toolchain install` would install.
const { DEFAULT_ZIG_VERSION } = require('../dist/toolchain/versions.js');
const NO_ZIG_SKIP =
  execFileSync(ZIG, ['version'], { encoding: 'utf8' }).trim() === DEFAULT_ZIG_VERSION
    ? false
    : `machine B without Zig needs the test Zig to be ${DEFAULT_ZIG_VERSION}`;
const compiles = (spawns) => spawns.filter((s) => s.includes('build-lib')).length;
const exchanges = (spawns) => spawns.filter((s) => s.includes('remote-exchange.js')).length;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(check, ms, what) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** nginx as this test's own process: WebDAV PUT under /, the same behind Basic auth under /auth/. */
async function startNginx(t) {
  assert.ok(NGINX, 'nginx is not installed (apt-get install -y nginx; .ci/run installs it)');
  const dir = tempDir('nginx-');
  const root = path.join(dir, 'root');
  fs.mkdirSync(path.join(root, 'auth'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'users'), 'ci:{PLAIN}s3cret-pass\n');
  const port = await freePort();
  const dav = 'dav_methods PUT; create_full_put_path on; client_max_body_size 200m;';
  const user = process.getuid?.() === 0 ? 'user root root;' : '';
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off; master_process off; ${user} pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 64; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / { ${dav} }
    location /auth/ { auth_basic "zigimport cache"; auth_basic_user_file ${dir}/users; ${dav} }
  }
}
`,
  );
  const proc = spawn(NGINX, ['-p', dir, '-e', `${dir}/error.log`, '-c', `${dir}/nginx.conf`], { stdio: 'ignore' });
  const exited = new Promise((r) => proc.on('exit', r));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
  };
  t.after(stop);
  await waitFor(
    () =>
      fetch(`http://127.0.0.1:${port}/`).then(
        () => true,
        () => false,
      ),
    10_000,
    'nginx to listen',
  );
  const access = path.join(dir, 'access.log');
  return {
    url: `http://127.0.0.1:${port}`,
    root,
    stop,
    files: (under = '') => listFiles(path.join(root, under)),
    requests: () => (fs.existsSync(access) ? fs.readFileSync(access, 'utf8').split('\n').filter(Boolean).length : 0),
  };
}

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

/** One project (a package.json folder) with a module, an imported file and an embedded file. */
function writeProject(dir, n = 7) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"p","private":true}\n');
  writeSource(path.join(dir, 'helper.zig'), 'pub const extra: i32 = 100;\npub const data = @embedFile("data.txt");\n');
  writeSource(path.join(dir, 'data.txt'), 'abc');
  writeSource(
    path.join(dir, 'mod.zig'),
    `const helper = @import("helper.zig");\npub fn value() i32 {\n    return ${n} + helper.extra + @as(i32, @intCast(helper.data.len));\n}\n`,
  );
  return path.join(dir, 'mod.zig');
}

/** A machine: its own cache folder; with Zig (the test's) or with none reachable at all. */
function machine(remote, { zig = true, extra = {} } = {}) {
  const cache = tempDir('machine-');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: cache, ZIGIMPORT_REMOTE_CACHE: remote, ZIGIMPORT_VERBOSE: '1', ...extra });
  if (!zig) {
    delete env.ZIGIMPORT_ZIG;
    env.PATH = path.dirname(process.execPath); // node only: no zig, no python with ziglang
    env.HOME = tempDir('home-'); // no ~/.zigimport/toolchains
  }
  return { cache, env };
}

async function probe(file, env) {
  const started = performance.now();
  const r = await runNode([PROBE, file], { env, trace: true });
  const ms = performance.now() - started;
  const line = r.stdout.trim().split('\n').pop();
  assert.ok(line, `probe printed nothing; stderr:\n${r.stderr}`);
  return { ...JSON.parse(line), spawns: r.spawns, stderr: r.stderr, ms };
}

test('machine A compiles and uploads in the background; machine B without Zig imports from the remote cache without compiling, then locally', {
  skip: NO_ZIG_SKIP,
}, async (t) => {
  const server = await startNginx(t);
  const a = machine(server.url);
  const fileA = writeProject(path.join(tempDir('a-'), 'proj'));
  const built = await probe(fileA, a.env);
  assert.equal(built.value, 110, built.message);
  assert.equal(compiles(built.spawns), 1);
  assert.match(built.stderr, /remote cache miss .*no record for this key/);
  assert.match(built.stderr, /remote cache upload started in the background/);
  await waitFor(() => server.files('ac').length === 1 && server.files('cas').length === 1, 20_000, 'the upload');

  // Another folder (other absolute paths), another cache, no Zig anywhere.
  const b = machine(server.url, { zig: false });
  const fileB = writeProject(path.join(tempDir('b-'), 'elsewhere', 'proj'));
  const fetched = await probe(fileB, b.env);
  assert.equal(fetched.ok, true, fetched.message ?? fetched.stderr);
  assert.equal(fetched.value, 110);
  assert.equal(compiles(fetched.spawns), 0, 'no compiler process on machine B');
  assert.ok(!fetched.spawns.some((s) => /\/zig(\s|$)/.test(s)), `no zig process: ${fetched.spawns}`);
  assert.match(fetched.stderr, /remote cache hit .*verified/);
  t.diagnostic(`machine A import with a local compile: ${built.ms.toFixed(0)} ms; machine B import from the remote cache: ${fetched.ms.toFixed(0)} ms`);

  // Now an ordinary local hit: no request, and no process but the toolchain search's own probe
  // for Python's ziglang package, which it makes whenever no Zig is found (remote cache or not).
  const before = server.requests();
  const cached = await probe(fileB, b.env);
  assert.equal(cached.value, 110);
  assert.deepEqual(
    cached.spawns.filter((s) => !s.includes('import ziglang')),
    [],
    'a cached import after a remote hit starts no process',
  );
  assert.equal(server.requests(), before, 'and makes no request');
  assert.match(cached.stderr, /cache hit/);

  // Machine C has Zig: its first import, through the non-blocking `load()`, is a remote hit too;
  // its second starts nothing at all.
  const c = machine(server.url);
  const fileC = writeProject(path.join(tempDir('c-'), 'proj'));
  const script = `require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))}).load(${JSON.stringify(fileC)}).then((m) => console.log(m.value()));`;
  const first = await runNode(['-e', script], { env: c.env, trace: true });
  assert.equal(first.stdout.trim(), '110', first.stderr);
  assert.equal(compiles(first.spawns), 0);
  assert.match(first.stderr, /remote cache hit/);
  const requests = server.requests();
  const second = await probe(fileC, c.env);
  assert.equal(second.value, 110);
  assert.deepEqual(second.spawns, [], 'a cached import after a remote hit starts no process');
  assert.equal(server.requests(), requests, 'and makes no request');
});

test('a tampered blob is rejected and rebuilt locally; a record whose inputs differ from the local files means a local compile', async (t) => {
  const server = await startNginx(t);
  const a = machine(server.url, { extra: { ZIGIMPORT_REMOTE_CACHE_MODE: 'read' } });
  const fileA = writeProject(path.join(tempDir('a-'), 'proj'));
  // `zigimport build --remote-cache` fills the cache and ends when the upload has.
  const filled = await runCli(['build', '--remote-cache', server.url, fileA], { env: { ...a.env, ZIGIMPORT_REMOTE_CACHE_MODE: 'readwrite' } });
  assert.equal(filled.code, 0, filled.stderr);
  assert.match(filled.stderr, /remote cache upload \d/);
  assert.equal(server.files('cas').length, 1, 'uploaded before the command ended');
  const [blob] = server.files('cas');
  const blobPath = path.join(server.root, 'cas', blob);
  const good = fs.readFileSync(blobPath);
  const bad = Buffer.from(good);
  bad[bad.length - 100] ^= 0xff;
  fs.writeFileSync(blobPath, bad);

  const b = machine(server.url, { extra: { ZIGIMPORT_REMOTE_CACHE_MODE: 'read' } });
  const fileB = writeProject(path.join(tempDir('b-'), 'proj'));
  const rebuilt = await probe(fileB, b.env);
  assert.equal(rebuilt.value, 110);
  assert.match(rebuilt.stderr, /remote cache rejected .*SHA-256 or size does not match/);
  assert.equal(compiles(rebuilt.spawns), 1, 'rebuilt locally');

  // A record whose inputs do not match this machine's files (here: helper.zig's recorded hash)
  // stands for a file the key's static scan cannot see; it is checked anyway.
  fs.writeFileSync(blobPath, good);
  const [record] = server.files('ac');
  const recordPath = path.join(server.root, 'ac', record);
  const parsed = JSON.parse(fs.readFileSync(recordPath, 'utf8'));
  parsed.inputs.find((i) => i.path === 'helper.zig').sha256 = '0'.repeat(64);
  fs.writeFileSync(recordPath, JSON.stringify(parsed));
  const c = machine(server.url, { extra: { ZIGIMPORT_REMOTE_CACHE_MODE: 'read' } });
  const fileC = writeProject(path.join(tempDir('c-'), 'proj'));
  const compiled = await probe(fileC, c.env);
  assert.equal(compiled.value, 110);
  assert.match(compiled.stderr, /remote cache rejected .*input helper\.zig differs from the builder's/);
  assert.equal(compiles(compiled.spawns), 1);

  // An edited source is another key: a miss, and a local compile.
  const d = machine(server.url, { extra: { ZIGIMPORT_REMOTE_CACHE_MODE: 'read' } });
  const fileD = writeProject(path.join(tempDir('d-'), 'proj'), 8);
  const edited = await probe(fileD, d.env);
  assert.equal(edited.value, 111);
  assert.match(edited.stderr, /remote cache miss .*no record for this key/);
  assert.equal(compiles(edited.spawns), 1);
  assert.equal(server.files('cas').length, 1, 'read-only machines uploaded nothing');
  assert.equal(server.files('ac').length, 1);
  assert.doesNotMatch(`${rebuilt.stderr}${compiled.stderr}${edited.stderr}`, /upload started/);
});

test('a stopped or silent server costs at most the timeout, and the process stops asking after repeated failures', async (t) => {
  const server = await startNginx(t);
  const url = server.url;
  await server.stop();
  const down = machine(url, { extra: { ZIGIMPORT_REMOTE_TIMEOUT: '1' } });
  const file = writeProject(path.join(tempDir('a-'), 'proj'));
  const r = await probe(file, down.env);
  assert.equal(r.value, 110);
  const failed = /remote cache failed ([\d.]+)ms/.exec(r.stderr);
  assert.ok(failed, r.stderr);
  assert.ok(Number(failed[1]) <= 1000 + 150, `refused connection took ${failed[1]} ms`);

  // A server that accepts and never answers: the timeout bounds it.
  const silent = net.createServer(() => {});
  await new Promise((res) => silent.listen(0, '127.0.0.1', res));
  t.after(() => silent.close());
  const hang = machine(`http://127.0.0.1:${silent.address().port}`, { extra: { ZIGIMPORT_REMOTE_TIMEOUT: '1' } });
  const many = path.join(tempDir('many-'), 'proj');
  const files = [1, 2, 3, 4].map((n) => writeProject(path.join(many, `m${n}`), n));
  const script = `const { loadSync } = require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))});
const t0 = performance.now(); const values = ${JSON.stringify(files)}.map((f) => loadSync(f).value());
console.log(JSON.stringify({ values, ms: performance.now() - t0 }));`;
  const out = await runNode(['-e', script], { env: hang.env, trace: true });
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(JSON.parse(out.stdout).values, [104, 105, 106, 107]);
  const waits = [...out.stderr.matchAll(/remote cache failed ([\d.]+)ms/g)].map((m) => Number(m[1]));
  assert.equal(waits.length, 3, `three failed lookups, then none:\n${out.stderr}`);
  for (const w of waits) assert.ok(w >= 900 && w <= 1000 + 300, `a silent server cost ${w} ms against a 1 s timeout`);
  assert.match(out.stderr, /skipped: it failed repeatedly in this process/);
  assert.equal(exchanges(out.spawns), 3, 'no exchange after giving up, and no upload to a server that just failed');
});

test('credentials from the URL and the token never appear in any output, verbose included; info says whether the cache answers', {
  skip: NO_ZIG_SKIP,
}, async (t) => {
  const server = await startNginx(t);
  const secretUrl = `${server.url.replace('http://', 'http://ci:s3cret-pass@')}/auth`;
  const a = machine(secretUrl);
  const file = writeProject(path.join(tempDir('a-'), 'proj'));
  const built = await probe(file, a.env);
  assert.equal(built.value, 110);
  await waitFor(() => server.files('auth/cas').length === 1 && server.files('auth/ac').length === 1, 20_000, 'the authenticated upload');

  const b = machine(secretUrl, { zig: false });
  const fetched = await probe(writeProject(path.join(tempDir('b-'), 'proj')), b.env);
  assert.equal(fetched.value, 110, fetched.stderr);
  assert.match(fetched.stderr, /remote cache hit .*http:\/\/\*\*\*@127\.0\.0\.1/);

  // Wrong password: refused (a failure, not a miss), compiled locally; a token is sent as Bearer.
  const wrong = machine(secretUrl.replace('s3cret-pass', 'wrong-pass'), { extra: { ZIGIMPORT_REMOTE_CACHE_TOKEN: 'tok-SECRET-123' } });
  const refused = await probe(writeProject(path.join(tempDir('c-'), 'proj')), wrong.env);
  assert.equal(refused.value, 110);
  assert.match(refused.stderr, /remote cache failed .*HTTP 401 \(credentials missing or refused\)/);

  const info = await runCli(['info'], { env: a.env });
  assert.match(info.stdout, /Remote cache\n {2}http:\/\/\*\*\*@127\.0\.0\.1:\d+\/auth \(readwrite\)\n {2}answers \(HTTP 404\)/);
  const infoJson = await runCli(['info', '--json'], { env: wrong.env });
  assert.equal(JSON.parse(infoJson.stdout).remoteCache.answers, false);
  const badUrl = await runNode([PROBE, file], { env: { ...a.env, ZIGIMPORT_REMOTE_CACHE: 'ftp://ci:s3cret-pass@x/' } });
  assert.match(badUrl.stdout, /ZIGIMPORT_REMOTE_CACHE must be an http:\/\/ or https:\/\/ URL/);

  const everything =
    [built, fetched, refused].map((r) => r.stderr + JSON.stringify(r.spawns)).join('') +
    info.stdout +
    info.stderr +
    infoJson.stdout +
    badUrl.stdout +
    badUrl.stderr;
  for (const secret of ['s3cret-pass', 'wrong-pass', 'tok-SECRET-123', 'Y2k6czNjcmV0LXBhc3M']) {
    assert.ok(!everything.includes(secret), `${secret} appeared in the output`);
  }
  // Nor in what the background upload left behind in the cache's temporary folder.
  assert.deepEqual(
    fs.readdirSync(path.join(a.cache, 'tmp')).filter((f) => f.startsWith('upload-')),
    [],
  );
  for (const cache of [a.cache, b.cache]) {
    for (const f of listFiles(cache)) assert.ok(!fs.readFileSync(path.join(cache, f)).includes('s3cret-pass'), `the password is in ${f}`);
  }
});
