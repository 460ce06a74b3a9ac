// Zig projects: build.zig.zon packages (.path, .url from a loopback HTTP server, lazy ones
// fetched only when imported) and build.zig hooks. Offline: the packages are tarballs served
// by this process, each with a fresh nonce so Zig's global package cache never has them yet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { spawn, spawnSync } from 'node:child_process';
import { childEnv, require, runNode, tempDir, writeSource, FIXTURES, ROOT, ZIG } from './helpers.mjs';

const PROBE = path.join(ROOT, 'test', 'support', 'probe.cjs');
const root = tempDir('proj-');
const requests = new Map();
let server;
let env;

function fingerprint(name) {
  return `0x${(crc32(name) >>> 0).toString(16).padStart(8, '0')}${randomBytes(4)
    .toString('hex')
    .replace(/^0{8}$/, '00000001')}`;
}

/** A package `name` exposing module `name` with `scale(x) = x * factor`, packed as name.tar.gz. */
function makeTarball(name, factor) {
  const src = path.join(root, 'packages', name);
  fs.mkdirSync(path.join(src, 'src'), { recursive: true });
  fs.writeFileSync(
    path.join(src, 'build.zig'),
    `const std = @import("std");\n\npub fn build(b: *std.Build) void {\n    _ = b.addModule("${name}", .{ .root_source_file = b.path("src/root.zig") });\n}\n`,
  );
  fs.writeFileSync(
    path.join(src, 'build.zig.zon'),
    `.{\n    .name = .${name},\n    .version = "1.0.0",\n    .fingerprint = ${fingerprint(name)},\n    .paths = .{""},\n}\n`,
  );
  fs.writeFileSync(
    path.join(src, 'src', 'root.zig'),
    `pub const nonce = "${randomBytes(8).toString('hex')}";\n\npub fn scale(x: i32) i32 {\n    return x * ${factor};\n}\n`,
  );
  // One top-level folder, as GitHub archives have: Zig strips it.
  const r = spawnSync('tar', ['-czf', path.join(root, 'www', `${name}.tar.gz`), '-C', path.join(root, 'packages'), name]);
  assert.equal(r.status, 0, r.stderr?.toString());
}

const GLOBAL_CACHE = /\.global_cache_dir = "(.*)"/.exec(spawnSync(ZIG, ['env'], { encoding: 'utf8' }).stdout)[1];

/**
 * The package hash Zig computes (`zig fetch`, run asynchronously: this process serves the
 * download). The fetched copy is then removed from Zig's global cache, so that a build has to
 * download the package again.
 */
async function packageHash(url) {
  // Zig 0.16's `zig fetch` wants a build.zig in its folder, even an empty one.
  const cwd = path.join(root, 'fetch');
  fs.mkdirSync(cwd, { recursive: true });
  fs.writeFileSync(path.join(cwd, 'build.zig'), 'pub fn build(_: *@import("std").Build) void {}\n');
  const r = await new Promise((resolve, reject) => {
    const child = spawn(ZIG, ['fetch', url], { cwd, env: { ...process.env, ZIG_LOCAL_PKG_DIR: path.join(root, 'fetched') } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, out, err }));
  });
  assert.equal(r.status, 0, r.err);
  const hash = r.out.trim();
  for (const leftover of [hash, `${hash}.tar.gz`]) fs.rmSync(path.join(GLOBAL_CACHE, 'p', leftover), { recursive: true, force: true });
  return hash;
}

async function probe(file) {
  const r = await runNode([PROBE, file], { env, trace: true });
  const line = r.stdout.trim().split('\n').pop();
  assert.ok(line, r.stderr);
  return { ...JSON.parse(line), spawns: r.spawns, stderr: r.stderr };
}

before(async () => {
  fs.mkdirSync(path.join(root, 'www'), { recursive: true });
  fs.cpSync(path.join(FIXTURES, 'projects'), root, { recursive: true });
  // The package.json bounds the search for a build.zig.zon, as in a real app.
  fs.writeFileSync(path.join(root, 'package.json'), '{ "name": "projects-test", "private": true }\n');
  server = http.createServer((req, res) => {
    requests.set(req.url, (requests.get(req.url) ?? 0) + 1);
    const file = path.join(root, 'www', path.basename(req.url));
    if (!fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/gzip' }).end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  makeTarball('eager_pkg', 5);
  makeTarball('lazy_pkg', 7);
  const eagerHash = await packageHash(`${base}/eager_pkg.tar.gz`);
  const lazyHash = await packageHash(`${base}/lazy_pkg.tar.gz`);
  requests.clear();
  fs.writeFileSync(
    path.join(root, 'app', 'build.zig.zon'),
    `.{
    .name = .app,
    .version = "0.0.1",
    .fingerprint = ${fingerprint('app')},
    .dependencies = .{
        // A local package next to the app.
        .local_pkg = .{ .path = "../local_pkg" },
        .eager_pkg = .{ .url = "${base}/eager_pkg.tar.gz", .hash = "${eagerHash}" },
        .lazy_pkg = .{ .url = "${base}/lazy_pkg.tar.gz", .hash = "${lazyHash}", .lazy = true },
    },
    .paths = .{""},
}
`,
  );
  env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('proj-cache-') });
});

after(() => server?.close());

test('a module imports a .path and an eager .url package; the unused lazy package is never fetched', async () => {
  const first = await probe(path.join(root, 'app', 'uses_eager.zig'));
  assert.equal(first.ok, true, first.message);
  assert.equal(first.value, 100 + 2 * 5);
  assert.equal(requests.get('/eager_pkg.tar.gz'), 1, 'the eager package came from the loopback server');
  assert.equal(requests.get('/lazy_pkg.tar.gz'), undefined, 'the lazy package was not downloaded');

  const cached = await probe(path.join(root, 'app', 'uses_eager.zig'));
  assert.equal(cached.value, 110);
  assert.deepEqual(cached.spawns, [], 'a cached import starts no process');

  // A file of the .path package, two imports deep, is an input: editing it rebuilds.
  writeSource(path.join(root, 'local_pkg', 'src', 'parts.zig'), 'pub const base: i32 = 20;\n');
  const edited = await probe(path.join(root, 'app', 'uses_eager.zig'));
  assert.equal(edited.value, 200 + 10);
  assert.ok(
    edited.spawns.some((s) => s.includes('build-lib')),
    'rebuilt',
  );
});

test('a module that imports the lazy package makes zig build fetch it from the loopback server', async () => {
  const r = await probe(path.join(root, 'app', 'uses_lazy.zig'));
  assert.equal(r.ok, true, r.message);
  assert.equal(r.value, 21);
  assert.equal(requests.get('/lazy_pkg.tar.gz'), 1);
});

test('build.zig.zon is an input: changing a dependency there rebuilds', async () => {
  const zon = path.join(root, 'app', 'build.zig.zon');
  const before = fs.readFileSync(zon, 'utf8');
  try {
    // Point local_pkg at a copy whose offset differs.
    fs.cpSync(path.join(root, 'local_pkg'), path.join(root, 'local_pkg2'), { recursive: true });
    writeSource(path.join(root, 'local_pkg2', 'src', 'parts.zig'), 'pub const base: i32 = 30;\n');
    writeSource(zon, before.replace('"../local_pkg"', '"../local_pkg2"'));
    const r = await probe(path.join(root, 'app', 'uses_eager.zig'));
    assert.equal(r.value, 300 + 10, r.message);
  } finally {
    writeSource(zon, before);
  }
});

test('a compile error inside a package points at the package file', async () => {
  const parts = path.join(root, 'local_pkg', 'src', 'parts.zig');
  const before = fs.readFileSync(parts, 'utf8');
  try {
    writeSource(parts, 'pub const base: i32 = "not a number";\n');
    const r = await probe(path.join(root, 'app', 'uses_eager.zig'));
    assert.equal(r.ok, false);
    assert.equal(r.code, 'ZIGIMPORT_COMPILE_ERROR');
    assert.match(r.message, new RegExp(`${parts.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:1:23`));
  } finally {
    writeSource(parts, before);
  }
});

test('an import of a package the manifest does not declare names it', async () => {
  const file = path.join(root, 'app', 'undeclared.zig');
  writeSource(file, 'const nope = @import("nope_pkg");\npub fn value() i32 {\n    return nope.x;\n}\n');
  const r = await probe(file);
  assert.equal(r.ok, false);
  assert.match(r.message, /no module named 'nope_pkg'/);
  assert.match(r.message, /undeclared\.zig:1:/);
  assert.match(r.message, /hint: 'nope_pkg' is not a dependency in .*build\.zig\.zon/);
});

test('a build.zig hook adds a C source, an include path, libm, an options module and a Zig module; define= sets its option', async () => {
  const file = path.join(root, 'hooked', 'hooked.zig');
  const first = await probe(file);
  assert.equal(first.ok, true, first.message);
  assert.equal(first.value, 2 * 7 + 5 + 1000);

  // The header the hook's include path found is tracked.
  writeSource(path.join(root, 'hooked', 'csrc', 'mul.h'), '#define FACTOR 9\nint mul_factor(int x);\n');
  assert.equal((await probe(file)).value, 2 * 9 + 5 + 1000);

  // So is the hook itself.
  const hook = path.join(root, 'hooked', 'build.zig');
  writeSource(hook, fs.readFileSync(hook, 'utf8').replace('module.link_libc = true;', 'module.link_libc = true;\n    module.addCMacro("BONUS", "3");'));
  const afterHook = await probe(file);
  assert.equal(afterHook.value, 2 * 9 + 3 + 5 + 1000);
});

test('a -D option the hook does not declare is an error that names it', async () => {
  const file = path.join(root, 'hooked', 'wrong_define.zig');
  writeSource(
    file,
    '//! zigimport: define=no_such_option=1\nconst config = @import("config");\nextern fn mul_factor(x: c_int) c_int;\npub fn value() i32 {\n    return mul_factor(1) + @as(i32, config.level);\n}\n',
  );
  const r = await probe(file);
  assert.equal(r.ok, false);
  assert.equal(r.code, 'ZIGIMPORT_COMPILE_ERROR');
  assert.match(r.message, /no_such_option/);
  assert.match(r.message, /^zig build could not set up the build of .*wrong_define\.zig/);
  assert.match(r.message, /declared with b\.option\(\) in the build\.zig hook/);
});

test('zigimport build leaves out the files of .path packages: they are package sources, not modules', () => {
  const { findModules } = require('../dist/pipeline/many.js');
  const example = path.join(ROOT, 'examples', 'zig_package');
  assert.deepEqual(findModules([example]), [path.join(example, 'stats.zig')]);
  const found = findModules([root]);
  assert.ok(found.includes(path.join(root, 'app', 'uses_lazy.zig')));
  assert.ok(!found.some((f) => f.includes(`${path.sep}local_pkg${path.sep}`)), found.join('\n'));
});
