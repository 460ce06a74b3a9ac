// The WebAssembly prebuild (issue 16 points 1 and 3 with issue 15's backend): `zigimport prebuild
// --targets wasm` (part of `all`) ships `prebuilds/wasm32/<module>.wasm`, checked like the
// native ones; a consumer with no native prebuild usable and no Zig loads it (any platform), a
// stale one is never used, and a `target: 'wasm'` import takes it before the cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, childEnv, runNode, tempDir } from './helpers.mjs';
import {
  PACKAGE_NAME,
  WASM_CONSUMER,
  authorPackage,
  consumerWith,
  filesUnder,
  installTarball,
  noZigEnv,
  pack,
  runConsumer,
  runPrebuild,
} from './support/prebuild-package.mjs';

const HOST = `${process.platform}-${process.arch}${process.platform === 'linux' ? '-glibc' : ''}`;
const HOST_ARCH = { x64: 'x86_64', arm64: 'aarch64' }[process.arch];
const WASM_ARTIFACT = path.join('prebuilds', 'wasm32', 'src', 'geometry.wasm');
/** The WebAssembly build answers the same numbers; its one thread rejects `zigimport_async`. */
const FROM_WASM = { ok: true, distance: 5, sum: 7, arch: 'wasm32', total: 6.5, isAccumulator: true, sumAsync: 'ZIGIMPORT_WASM_UNSUPPORTED' };
const FROM_NATIVE = { ...FROM_WASM, arch: HOST_ARCH, sumAsync: 10 };

const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('prebuild-wasm-cache-') });

function withoutStderr(r) {
  const { stderr: _stderr, ...rest } = r;
  return rest;
}

let hostAndWasm;
/** The example prebuilt for this platform and WebAssembly, packed once. */
async function hostAndWasmPackage() {
  if (!hostAndWasm) {
    const dir = authorPackage('wasm-author-');
    await runPrebuild(dir, ['--targets', `${HOST},wasm`], { env });
    hostAndWasm = { dir, tarball: pack(dir) };
  }
  return hostAndWasm;
}

test('prebuild --targets wasm writes prebuilds/wasm32/<module>.wasm, recorded in the manifest with the sources; stripped, byte-identical from two folders', async () => {
  const [a, b] = [authorPackage('wasm-repro-a-'), authorPackage('wasm-repro-b-')];
  for (const dir of [a, b]) {
    const r = await runPrebuild(dir, ['--targets', 'wasm'], { env: childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('wasm-repro-cache-') }) });
    assert.match(r.stdout, /prebuilds\/wasm32\/src\/geometry\.wasm/);
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(a, 'prebuilds', 'zigimport-prebuilds.json'), 'utf8'));
  assert.deepEqual(manifest.modules['src/geometry.zig'].builds, { wasm32: 'src/geometry.wasm' });
  assert.deepEqual(
    manifest.modules['src/geometry.zig'].sources.map((s) => s.path),
    ['src/geometry.zig'],
  );
  const [x, y] = [a, b].map((d) => fs.readFileSync(path.join(d, WASM_ARTIFACT)));
  assert.deepEqual([...x.subarray(0, 4)], [0, 0x61, 0x73, 0x6d], 'a WebAssembly module');
  assert.ok(x.equals(y), 'the two builds differ');
  // The binding layer's folder is what an unstripped module would name.
  for (const folder of [a, b, tempDir(), path.join(ROOT, 'zig')]) assert.equal(x.includes(Buffer.from(folder)), false, `holds the path ${folder}`);
  assert.ok(x.length < 64 * 1024, `stripped (${x.length} bytes)`);
});

test('a package that ships only WebAssembly works with no Zig on any platform: numbers, struct, typed array, string, class; nothing cached', async () => {
  const dir = authorPackage('wasm-only-');
  await runPrebuild(dir, ['--targets', 'wasm'], { env });
  const consumer = consumerWith(pack(dir));
  assert.ok(filesUnder(path.join(consumer, 'node_modules', PACKAGE_NAME)).includes(WASM_ARTIFACT), 'npm pack ships the .wasm');
  const noZig = noZigEnv({ ZIGIMPORT_VERBOSE: '1' });
  const r = await runConsumer(consumer, noZig, undefined, { script: WASM_CONSUMER });
  assert.deepEqual(withoutStderr(r), FROM_WASM, r.stderr);
  assert.match(r.stderr, new RegExp(`no native prebuild or Zig for ${HOST} \\(no prebuild for ${HOST}\\): loading the WebAssembly prebuild`));
  assert.deepEqual(filesUnder(path.join(noZig.ZIGIMPORT_BUILD_DIR, 'builds')), [], 'no build was cached');
});

test('order: the native prebuild first; with it removed and no Zig, the WebAssembly prebuild; with Zig, a compile, not the WebAssembly one', async () => {
  const { tarball } = await hostAndWasmPackage();
  const consumer = consumerWith(tarball);
  assert.deepEqual(withoutStderr(await runConsumer(consumer, noZigEnv(), undefined, { script: WASM_CONSUMER })), FROM_NATIVE);
  fs.rmSync(path.join(consumer, 'node_modules', PACKAGE_NAME, 'prebuilds', HOST), { recursive: true });
  assert.deepEqual(withoutStderr(await runConsumer(consumer, noZigEnv(), undefined, { script: WASM_CONSUMER })), FROM_WASM);
  const compiled = await runConsumer(consumer, childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('order-cache-') }), undefined, { script: WASM_CONSUMER });
  assert.deepEqual(withoutStderr(compiled), FROM_NATIVE, 'Zig is there: compiled for this platform');
});

test('ESM under zigimport/register: the WebAssembly prebuild stands in for the removed native one (the hook thread hands over a .wasm)', async () => {
  const { tarball } = await hostAndWasmPackage();
  const consumer = consumerWith(tarball);
  fs.rmSync(path.join(consumer, 'node_modules', PACKAGE_NAME, 'prebuilds', HOST), { recursive: true });
  fs.writeFileSync(
    path.join(consumer, 'app.mjs'),
    `import { distance, sum, arch, Accumulator } from '${PACKAGE_NAME}/src/geometry.zig';\n` +
      'console.log(JSON.stringify({ distance: distance({ x: 0, y: 0 }, { x: 3, y: 4 }), sum: sum(new Float64Array([1, 2])), arch: arch(), total: new Accumulator(2).add(3) }));\n',
  );
  const r = await runNode(['--import', 'zigimport/register', 'app.mjs'], { cwd: consumer, env: noZigEnv() });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim()), { distance: 5, sum: 3, arch: 'wasm32', total: 5 });
});

test('a stale WebAssembly prebuild (edited source) is never used: without Zig a typed error listing wasm32, with Zig the edit compiled', async () => {
  const { tarball } = await hostAndWasmPackage();
  const consumer = consumerWith(tarball);
  const pkg = path.join(consumer, 'node_modules', PACKAGE_NAME);
  fs.rmSync(path.join(pkg, 'prebuilds', HOST), { recursive: true });
  const source = path.join(pkg, 'src', 'geometry.zig');
  fs.writeFileSync(source, fs.readFileSync(source, 'utf8').replace('var total: f64 = 0;', 'var total: f64 = 100;'));
  const stale = await runConsumer(consumer, noZigEnv(), undefined, { script: WASM_CONSUMER });
  assert.equal(stale.ok, false);
  assert.equal(stale.code, 'ZIGIMPORT_NO_PREBUILD');
  assert.match(stale.message, /the WebAssembly prebuild is not usable either: sources changed since the prebuild \(src\/geometry\.zig\)/);
  assert.match(stale.message, new RegExp(`ships prebuilds for: ${[HOST, 'wasm32'].sort().join(', ')}\\.`));
  // A WebAssembly import asks for it first: stale there too.
  const wasmImport = await runConsumer(consumer, noZigEnv({ ZIGIMPORT_TARGET: 'wasm' }), undefined, { script: WASM_CONSUMER });
  assert.equal(wasmImport.code, 'ZIGIMPORT_NO_PREBUILD');
  assert.match(wasmImport.message, /no usable prebuild for WebAssembly: its sources changed/);
  const compiled = await runConsumer(consumer, childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('stale-wasm-cache-'), ZIGIMPORT_TARGET: 'wasm' }), undefined, {
    script: WASM_CONSUMER,
  });
  assert.deepEqual(withoutStderr(compiled), { ...FROM_WASM, sum: 107 }, 'the edited source ran as WebAssembly, not the prebuild');
});

test('target wasm (ZIGIMPORT_TARGET=wasm) takes the shipped WebAssembly prebuild before the cache, even with the native one present and no Zig', async () => {
  const { tarball } = await hostAndWasmPackage();
  const consumer = consumerWith(tarball);
  const noZig = noZigEnv({ ZIGIMPORT_TARGET: 'wasm', ZIGIMPORT_VERBOSE: '1' });
  const r = await runConsumer(consumer, noZig, undefined, { script: WASM_CONSUMER });
  assert.deepEqual(withoutStderr(r), FROM_WASM, r.stderr);
  assert.match(r.stderr, /prebuild for wasm32: .*prebuilds\/wasm32\/src\/geometry\.wasm/);
});

test('prebuild --check covers the WebAssembly file: passes when fresh, names it when missing, stale or not built', async () => {
  const dir = authorPackage('wasm-check-');
  await runPrebuild(dir, ['--targets', `${HOST},wasm`], { env });
  const ok = await runPrebuild(dir, ['--check', '--targets', `${HOST},wasm`], { env });
  assert.match(ok.stdout, /2 prebuild\(s\) match the sources/);
  const allCheck = await runPrebuild(dir, ['--check', '--targets', 'all'], { env, expectFail: true });
  assert.doesNotMatch(allCheck.stdout, /no prebuild for wasm32/);
  assert.match(allCheck.stdout, /no prebuild for darwin-arm64/);
  fs.rmSync(path.join(dir, WASM_ARTIFACT));
  const missing = await runPrebuild(dir, ['--check', '--targets', 'wasm'], { env, expectFail: true });
  assert.match(missing.stdout, /src\/geometry\.zig: wasm32 artifact missing \(src\/geometry\.wasm\)/);
  await runPrebuild(dir, ['--targets', HOST], { env });
  const notBuilt = await runPrebuild(dir, ['--check', '--targets', `${HOST},wasm32`], { env, expectFail: true });
  assert.match(notBuilt.stdout, /src\/geometry\.zig: no prebuild for wasm32/);
});

test('--layout packages: the WebAssembly build stays in the main package (prebuilds/wasm32, no platform package) and serves a consumer without its platform package', async () => {
  const dir = authorPackage('wasm-packages-');
  await runPrebuild(dir, ['--layout', 'packages', '--targets', `${HOST},wasm`], { env });
  const main = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  assert.deepEqual(Object.keys(main.optionalDependencies), [`${PACKAGE_NAME}-${HOST}`]);
  assert.equal(fs.existsSync(path.join(dir, 'npm', 'wasm32')), false);
  assert.ok(fs.existsSync(path.join(dir, WASM_ARTIFACT)));
  const check = await runPrebuild(dir, ['--check', '--targets', `${HOST},wasm`], { env });
  assert.match(check.stdout, /2 prebuild\(s\) match the sources/);
  const consumer = consumerWith(pack(dir));
  installTarball(consumer, pack(path.join(dir, 'npm', HOST)), `${PACKAGE_NAME}-${HOST}`);
  assert.deepEqual(withoutStderr(await runConsumer(consumer, noZigEnv(), undefined, { script: WASM_CONSUMER })), FROM_NATIVE);
  fs.rmSync(path.join(consumer, 'node_modules', `${PACKAGE_NAME}-${HOST}`), { recursive: true });
  assert.deepEqual(withoutStderr(await runConsumer(consumer, noZigEnv(), undefined, { script: WASM_CONSUMER })), FROM_WASM);
});

test('--targets all: a module the WebAssembly backend cannot build (a Zig package) skips wasm32, recorded without build paths; the native prebuilds ship and --check accepts it; named explicitly, wasm fails the prebuild', async () => {
  const dir = tempDir('wasm-zon-');
  fs.cpSync(path.join(ROOT, 'examples', 'zig_package'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "zon-example", "version": "1.0.0" }\n');
  const explicit = await runPrebuild(dir, ['--targets', `${HOST},wasm`], { env, expectFail: true });
  assert.equal(explicit.code, 1);
  assert.match(explicit.stdout, /✗ stats\.zig wasm32/);
  assert.equal(fs.existsSync(path.join(dir, 'prebuilds')), false, 'nothing written');
  const all = await runPrebuild(dir, ['--targets', 'all'], { env });
  assert.match(all.stdout, /- stats\.zig wasm32 skipped: .*Zig package/);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'prebuilds', 'zigimport-prebuilds.json'), 'utf8'));
  const mod = manifest.modules['stats.zig'];
  assert.equal(mod.builds.wasm32, undefined);
  assert.equal(Object.keys(mod.builds).length, 8);
  assert.match(mod.unavailable.wasm32, /^stats\.zig is in a Zig package/);
  assert.ok(!JSON.stringify(manifest).includes(dir), 'the manifest holds no build path');
  const check = await runPrebuild(dir, ['--check'], { env });
  assert.match(check.stdout, /8 prebuild\(s\) match the sources/);
  const strict = await runPrebuild(dir, ['--check', '--targets', `${HOST},wasm`], { env, expectFail: true });
  assert.match(strict.stdout, /stats\.zig: no prebuild for wasm32/);
});
