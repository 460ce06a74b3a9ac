// Prebuilt addons (issue 16): `zigimport prebuild` cross-compiles the example package for every
// platform; the packed package, installed into a consumer with no Zig reachable, loads the
// prebuild for this platform and calls it; an edited source is never shadowed by a stale
// prebuild; `--check` catches stale or missing prebuilds; the same sources give the same bytes.
// The WebAssembly prebuild (`wasm32`, part of `all`) is the last resort: its tests are in
// test/prebuild-wasm.test.mjs; here it is one more platform of the set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { FIXTURES, ROOT, childEnv, extraNodes, runNode, tempDir } from './helpers.mjs';
import {
  PACKAGE_NAME,
  authorPackage,
  consumerWith,
  filesUnder,
  installTarball,
  noZigEnv,
  pack,
  runConsumer,
  runPrebuild,
  WASM_CONSUMER,
} from './support/prebuild-package.mjs';

const ALL = ['linux-x64-glibc', 'linux-x64-musl', 'linux-arm64-glibc', 'linux-arm64-musl', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64', 'wasm32'];
/** A platform's artifact of the example, inside `prebuilds/` of the package. */
const artifactOf = (key) => path.join(key, 'src', key === 'wasm32' ? 'geometry.wasm' : 'geometry.node');
const HOST = `${process.platform}-${process.arch}${process.platform === 'linux' ? '-glibc' : ''}`;
const HOST_ARCH = { x64: 'x86_64', arm64: 'aarch64' }[process.arch];
const EXPECTED = { ok: true, distance: 5, sum: 7, arch: HOST_ARCH, total: 6.5, sumAsync: 10 };

/** What the consumer printed, for comparing with EXPECTED (a failure shows its message). */
function results(r) {
  return { ok: r.ok, distance: r.distance, sum: r.sum, arch: r.arch, total: r.total, sumAsync: r.sumAsync, ...(r.ok ? {} : { message: r.message }) };
}

const cache = tempDir('prebuild-cache-');
const env = childEnv({ ZIGIMPORT_BUILD_DIR: cache });

/** The author's package, prebuilt for `targets`, packed. */
async function packedPackage(targets = ['all']) {
  const dir = authorPackage();
  const r = await runPrebuild(dir, ['--targets', targets.join(',')], { env });
  return { dir, tarball: pack(dir), output: r.stdout };
}

let shared;
/** The package prebuilt for every platform, packed once for the tests that only consume it. */
async function allPlatforms() {
  shared ??= await packedPackage();
  return shared;
}

test('prebuild --targets all writes prebuilds/<platform>/ for every platform, the manifest and the declarations; npm pack ships them', async () => {
  const { dir, tarball, output } = await allPlatforms();
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'prebuilds', 'zigimport-prebuilds.json'), 'utf8'));
  assert.equal(manifest.layout, 'prebuilds');
  assert.equal(manifest.optimize, 'ReleaseFast');
  const mod = manifest.modules['src/geometry.zig'];
  assert.deepEqual(Object.keys(mod.builds).sort(), [...ALL].sort());
  assert.deepEqual(
    mod.sources.map((s) => s.path),
    ['src/geometry.zig'],
  );
  for (const key of ALL) assert.ok(fs.statSync(path.join(dir, 'prebuilds', artifactOf(key))).size > 1000, key);
  assert.match(fs.readFileSync(path.join(dir, 'src', 'geometry.d.zig.ts'), 'utf8'), /export declare function distance\(/);
  assert.match(output, /1 module\(s\) × 9 platform\(s\) prebuilt/);
  const consumer = consumerWith(tarball);
  const installed = filesUnder(path.join(consumer, 'node_modules', PACKAGE_NAME));
  for (const key of ALL) assert.ok(installed.includes(path.join('prebuilds', artifactOf(key))), `tarball holds ${key}`);
  assert.ok(installed.includes(path.join('src', 'geometry.d.zig.ts')), 'tarball holds the declarations');
});

test('a consumer with no Zig reachable loads the prebuild for its platform and calls it; nothing is compiled or cached', async () => {
  const { tarball } = await allPlatforms();
  const consumer = consumerWith(tarball);
  const noZig = noZigEnv({ ZIGIMPORT_VERBOSE: '1' });
  const r = await runConsumer(consumer, noZig);
  assert.deepEqual(results(r), EXPECTED, r.stderr);
  assert.match(r.stderr, new RegExp(`prebuild for ${HOST}: .*prebuilds/${HOST}/src/geometry\\.node`));
  assert.deepEqual(filesUnder(path.join(noZig.ZIGIMPORT_BUILD_DIR, 'builds')), [], 'no build was cached');
  // The same artifact on every Node CI has (one Node-API build serves Node 20 to 26).
  for (const node of extraNodes()) {
    const other = await runConsumer(consumer, noZigEnv(), node);
    assert.deepEqual(results(other), EXPECTED, node);
  }
});

test('an edited source is never shadowed by its stale prebuild: without Zig a typed error, with Zig a fresh compile of the edit', async () => {
  const { tarball } = await allPlatforms();
  const consumer = consumerWith(tarball);
  const source = path.join(consumer, 'node_modules', PACKAGE_NAME, 'src', 'geometry.zig');
  fs.writeFileSync(source, fs.readFileSync(source, 'utf8').replace('var total: f64 = 0;', 'var total: f64 = 100;'));
  const stale = await runConsumer(consumer, noZigEnv());
  assert.equal(stale.ok, false);
  assert.equal(stale.code, 'ZIGIMPORT_NO_PREBUILD');
  assert.match(stale.message, /sources changed since the prebuild \(src\/geometry\.zig\)/);
  assert.match(stale.message, new RegExp(`ships prebuilds for: ${[...ALL].sort().join(', ')}`));
  assert.match(stale.message, /zigimport toolchain install/);
  const compiled = await runConsumer(consumer, childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('consumer-cache-') }));
  assert.equal(compiled.ok, true, compiled.message);
  assert.equal(compiled.sum, 107, 'the edited source ran, not the prebuild');
});

test('a package without a prebuild for this platform, and no Zig: ZIGIMPORT_NO_PREBUILD lists the platforms it ships', async () => {
  const other = ALL.filter((k) => k !== HOST && k.startsWith('linux-arm64'));
  const { tarball } = await packedPackage(other);
  const r = await runConsumer(consumerWith(tarball), noZigEnv());
  assert.equal(r.ok, false);
  assert.equal(r.code, 'ZIGIMPORT_NO_PREBUILD');
  assert.match(r.message, new RegExp(`no prebuild for ${HOST}`));
  assert.match(r.message, new RegExp(`ships prebuilds for: ${other.sort().join(', ')}\\.`));
});

test('prebuild --check passes on fresh prebuilds and fails, naming the module, after a source edit or with a platform missing', async () => {
  const dir = authorPackage();
  const missing = await runPrebuild(dir, ['--check'], { env, expectFail: true });
  assert.equal(missing.code, 1);
  assert.match(missing.stdout, /no prebuilds\/zigimport-prebuilds\.json/);
  await runPrebuild(dir, ['--targets', 'linux-x64-glibc,linux-arm64-glibc'], { env });
  const ok = await runPrebuild(dir, ['--check', '--targets', 'linux-x64-glibc,linux-arm64-glibc'], { env });
  assert.match(ok.stdout, /2 prebuild\(s\) match the sources/);
  const lacking = await runPrebuild(dir, ['--check', '--targets', 'linux-x64-glibc,darwin-arm64'], { env, expectFail: true });
  assert.equal(lacking.code, 1);
  assert.match(lacking.stdout, /src\/geometry\.zig: no prebuild for darwin-arm64/);
  const file = path.join(dir, 'src', 'geometry.zig');
  fs.appendFileSync(file, '\npub fn added() i32 {\n    return 1;\n}\n');
  const stale = await runPrebuild(dir, ['--check', '--targets', 'linux-x64-glibc'], { env, expectFail: true });
  assert.equal(stale.code, 1);
  assert.match(stale.stdout, /src\/geometry\.zig: sources changed since the prebuild \(src\/geometry\.zig\)/);
});

test('bad --targets and package.json prebuild settings are usage errors naming the known platforms', async () => {
  const dir = authorPackage();
  const bad = await runPrebuild(dir, ['--targets', 'linux-x64,beos-x64'], { env, expectFail: true });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /"linux-x64" is not a prebuild platform\. Use all, or some of: linux-x64-glibc, linux-x64-musl/);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  pkg.zigimport.prebuild.targets = 'all';
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
  const badConfig = await runPrebuild(dir, [], { env, expectFail: true });
  assert.equal(badConfig.code, 2);
  assert.match(badConfig.stderr, /"targets" must be an array of platform names/);
});

test('reproducible: the same sources prebuilt in two folders with two empty caches give byte-identical artifacts for every platform', async () => {
  const [a, b] = [authorPackage('repro-a-'), authorPackage('repro-b-')];
  await runPrebuild(a, ['--targets', 'all'], { env: childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('repro-cache-a-') }) });
  await runPrebuild(b, ['--targets', 'all'], { env: childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('repro-cache-b-') }) });
  for (const key of ALL) {
    const [x, y] = [a, b].map((d) => fs.readFileSync(path.join(d, 'prebuilds', artifactOf(key))));
    assert.ok(x.equals(y), `${key}: artifacts differ`);
    for (const folder of [a, b, tempDir()]) assert.equal(x.includes(Buffer.from(folder)), false, `${key} holds no build path`);
  }
});

test('--layout packages: one npm package per platform with os/cpu/libc, optionalDependencies in the main package; the consumer loads from the platform package without Zig', async () => {
  const dir = authorPackage();
  const targets = ['linux-x64-glibc', 'linux-arm64-glibc', 'linux-x64-musl'];
  await runPrebuild(dir, ['--layout', 'packages', '--targets', targets.join(',')], { env });
  const main = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  assert.deepEqual(main.optionalDependencies, Object.fromEntries(targets.map((k) => [`${PACKAGE_NAME}-${k}`, '1.0.0'])));
  const platformJson = JSON.parse(fs.readFileSync(path.join(dir, 'npm', 'linux-arm64-glibc', 'package.json'), 'utf8'));
  assert.deepEqual(
    [platformJson.name, platformJson.os, platformJson.cpu, platformJson.libc],
    [`${PACKAGE_NAME}-linux-arm64-glibc`, ['linux'], ['arm64'], ['glibc']],
  );
  assert.equal(fs.existsSync(path.join(dir, 'prebuilds', 'linux-x64-glibc')), false, 'no artifacts in the main package');
  const check = await runPrebuild(dir, ['--check', '--targets', targets.join(',')], { env });
  assert.match(check.stdout, /3 prebuild\(s\) match the sources/);
  const consumer = consumerWith(pack(dir));
  // npm installs only the platform package whose os/cpu/libc match this machine.
  installTarball(consumer, pack(path.join(dir, 'npm', HOST)), `${PACKAGE_NAME}-${HOST}`);
  const r = await runConsumer(consumer, noZigEnv({ ZIGIMPORT_VERBOSE: '1' }));
  assert.deepEqual(results(r), EXPECTED, r.stderr);
  assert.match(r.stderr, new RegExp(`node_modules/${PACKAGE_NAME}-${HOST}/src/geometry\\.node`));
  fs.rmSync(path.join(consumer, 'node_modules', `${PACKAGE_NAME}-${HOST}`), { recursive: true });
  const without = await runConsumer(consumer, noZigEnv());
  assert.equal(without.code, 'ZIGIMPORT_NO_PREBUILD');
  assert.match(without.message, /is not installed/);
});

test('ESM: `import { distance } from "<package>/src/geometry.zig"` with zigimport/register loads the prebuild without Zig, typed by the shipped .d.zig.ts', async () => {
  const { tarball } = await allPlatforms();
  const consumer = consumerWith(tarball);
  const specifier = `${PACKAGE_NAME}/src/geometry.zig`;
  const app = [
    `import { distance, sum, arch } from '${specifier}';`,
    'const d: number = distance({ x: 0, y: 0 }, { x: 3, y: 4 });',
    'const s: number = sum(new Float64Array([1.5, 2.5, 3]));',
    'const a: string = arch();',
    '// @ts-expect-error: a Point needs y',
    'distance({ x: 1 }, { x: 3, y: 4 });',
    'export const result = { d, s, a };',
  ].join('\n');
  fs.writeFileSync(path.join(consumer, 'app.mts'), app);
  fs.copyFileSync(path.join(FIXTURES, 'ts', 'tsconfig.json'), path.join(consumer, 'tsconfig.json'));
  const tsc = (dir) =>
    spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
  const typed = tsc(consumer);
  assert.equal(typed.status, 0, typed.stdout + typed.stderr);
  fs.writeFileSync(path.join(consumer, 'app.mts'), app.replace('// @ts-expect-error: a Point needs y', '// (wrong)'));
  assert.match(tsc(consumer).stdout, /app\.mts\(6,\d+\): error TS2345/);
  fs.writeFileSync(
    path.join(consumer, 'app.mjs'),
    `import { distance, sum, arch } from '${specifier}';\nconsole.log(JSON.stringify({ ok: true, distance: distance({ x: 0, y: 0 }, { x: 3, y: 4 }), sum: sum(new Float64Array([1.5, 2.5, 3])), arch: arch() }));\n`,
  );
  // Node 20: the off-thread hooks; Node 22.15+ (ZIGIMPORT_TEST_NODES): the in-thread ones.
  for (const node of [process.execPath, ...extraNodes()]) {
    const r = await runNode(['--import', 'zigimport/register', 'app.mjs'], { cwd: consumer, env: noZigEnv({ ZIGIMPORT_VERBOSE: '1' }), node });
    assert.equal(r.code, 0, `${node}: ${r.stderr}`);
    assert.deepEqual(JSON.parse(r.stdout.trim()), { ok: true, distance: 5, sum: 7, arch: HOST_ARCH });
    assert.match(r.stderr, new RegExp(`prebuild for ${HOST}`));
  }
});

test('a module of a Zig package (build.zig.zon) prebuilds through its generated build.zig: its package files are recorded, artifacts are identical from two folders, and it loads without Zig', async () => {
  const copies = ['zon-a-', 'zon-b-'].map((prefix) => {
    const dir = tempDir(prefix);
    fs.cpSync(path.join(ROOT, 'examples', 'zig_package'), dir, { recursive: true });
    fs.rmSync(path.join(dir, 'stats.d.zig.ts'), { force: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "zon-example", "version": "1.0.0" }\n');
    return dir;
  });
  const targets = `${HOST},darwin-arm64`;
  for (const dir of copies) await runPrebuild(dir, ['--targets', targets], { env: childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('zon-cache-') }) });
  const manifest = JSON.parse(fs.readFileSync(path.join(copies[0], 'prebuilds', 'zigimport-prebuilds.json'), 'utf8'));
  const sources = manifest.modules['stats.zig'].sources.map((s) => s.path);
  assert.ok(sources.includes('build.zig.zon') && sources.includes('ministats/src/root.zig'), sources.join(', '));
  for (const key of [HOST, 'darwin-arm64']) {
    const [x, y] = copies.map((d) => fs.readFileSync(path.join(d, 'prebuilds', key, 'stats.node')));
    assert.ok(x.equals(y), `${key}: artifacts differ`);
  }
  const script = `const s = require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))}).loadSync(${JSON.stringify(path.join(copies[0], 'stats.zig'))}); console.log(JSON.stringify(Object.keys(s).filter((k) => !k.startsWith('__')).sort()));`;
  const r = await runNode(['-e', script], { cwd: copies[0], env: noZigEnv({ ZIGIMPORT_VERBOSE: '1' }) });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(JSON.parse(r.stdout.trim()).length > 0);
  assert.match(r.stderr, new RegExp(`prebuild for ${HOST}`));
});

test('a missing prebuild file is reported, not loaded (the WebAssembly one stands in, then nothing); a malformed manifest is ignored (the module compiles with Zig)', async () => {
  const { tarball } = await allPlatforms();
  const consumer = consumerWith(tarball);
  const pkg = path.join(consumer, 'node_modules', PACKAGE_NAME);
  fs.rmSync(path.join(pkg, 'prebuilds', HOST), { recursive: true });
  const portable = await runConsumer(consumer, noZigEnv(), undefined, { script: WASM_CONSUMER });
  assert.equal(portable.arch, 'wasm32', 'the WebAssembly prebuild answered');
  fs.rmSync(path.join(pkg, 'prebuilds', 'wasm32'), { recursive: true });
  const missing = await runConsumer(consumer, noZigEnv());
  assert.equal(missing.code, 'ZIGIMPORT_NO_PREBUILD');
  assert.match(
    missing.message,
    new RegExp(`its prebuild for ${HOST} is missing .*; the WebAssembly prebuild is not usable either: prebuild for wasm32 is missing`),
  );
  const file = path.join(pkg, 'prebuilds', 'zigimport-prebuilds.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  manifest.modules['src/geometry.zig'].builds[HOST] = 42;
  fs.writeFileSync(file, JSON.stringify(manifest));
  const noZig = await runConsumer(consumer, noZigEnv());
  assert.equal(noZig.code, 'ZIGIMPORT_ZIG_NOT_FOUND', 'a manifest not trusted is as good as none');
  const compiled = await runConsumer(consumer, childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('malformed-cache-') }));
  assert.deepEqual(results(compiled), EXPECTED);
});

test('a module that does not compile fails the prebuild (exit 1) and nothing is written, so earlier prebuilds stay', async () => {
  const dir = authorPackage();
  await runPrebuild(dir, ['--targets', 'linux-arm64-glibc'], { env });
  const before = fs.readFileSync(path.join(dir, 'prebuilds', 'zigimport-prebuilds.json'), 'utf8');
  fs.writeFileSync(path.join(dir, 'src', 'broken.zig'), 'pub fn f() i32 {\n    return "not a number";\n}\n');
  const r = await runPrebuild(dir, ['--targets', 'linux-x64-glibc,linux-arm64-glibc'], { env, expectFail: true });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /✗ src\/broken\.zig linux-(x64|arm64)-glibc/);
  assert.match(r.stdout, /2 of 4 build\(s\) failed: nothing written/);
  assert.equal(fs.readFileSync(path.join(dir, 'prebuilds', 'zigimport-prebuilds.json'), 'utf8'), before);
  assert.equal(fs.existsSync(path.join(dir, 'prebuilds', 'linux-x64-glibc')), false);
});
