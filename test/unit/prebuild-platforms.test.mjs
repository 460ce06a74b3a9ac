// The pure parts of prebuilds: platform names (src/prebuild/platforms.ts), paths inside a package
// and the manifest's source check (src/prebuild/manifest.ts), per-platform package names, and
// what a shipped target changes in the compile flags and cache key (src/target.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const platforms = require('../../dist/prebuild/platforms.js');
const manifest = require('../../dist/prebuild/manifest.js');
const packages = require('../../dist/prebuild/packages.js');
const target = require('../../dist/target.js');

const TABLE = [
  ['linux-x64-glibc', 'x86_64-linux-gnu', 'linux', 'x64', 'glibc'],
  ['linux-x64-musl', 'x86_64-linux-musl', 'linux', 'x64', 'musl'],
  ['linux-arm64-glibc', 'aarch64-linux-gnu', 'linux', 'arm64', 'glibc'],
  ['linux-arm64-musl', 'aarch64-linux-musl', 'linux', 'arm64', 'musl'],
  ['darwin-x64', 'x86_64-macos', 'darwin', 'x64', undefined],
  ['darwin-arm64', 'aarch64-macos', 'darwin', 'arm64', undefined],
  ['win32-x64', 'x86_64-windows-gnu', 'win32', 'x64', undefined],
  ['win32-arm64', 'aarch64-windows-gnu', 'win32', 'arm64', undefined],
];

for (const [key, triple, os_, cpu, libc] of TABLE) {
  test(`platform ${key}: Zig target ${triple}, npm os/cpu/libc ${os_}/${cpu}/${libc ?? '-'}`, () => {
    const [p] = platforms.platformsNamed([key]);
    assert.deepEqual(p, { key, os: os_, cpu, ...(libc ? { libc } : {}), zigTriple: triple });
    // The Zig side parses it as a target triple.
    assert.equal(target.nodeApiTarget(p.zigTriple).zigTriple, triple);
  });
}

test('platformsNamed: all is every platform in order, then WebAssembly; a list keeps its order and drops repeats', () => {
  assert.deepEqual(
    platforms.platformsNamed(['all']).map((p) => p.key),
    [...TABLE.map((r) => r[0]), 'wasm32'],
  );
  assert.deepEqual(
    platforms.platformsNamed(['win32-x64', 'linux-x64-glibc', 'win32-x64']).map((p) => p.key),
    ['win32-x64', 'linux-x64-glibc'],
  );
});

for (const name of ['wasm', 'wasm32']) {
  test(`platformsNamed: "${name}" is the portable WebAssembly build, once (prebuilds/wasm32)`, () => {
    const chosen = platforms.platformsNamed([name, 'wasm', 'wasm32']);
    assert.deepEqual(chosen, [{ key: 'wasm32', os: 'wasm', cpu: 'wasm32', zigTriple: 'wasm32-freestanding', portable: true }]);
  });
}

test('a shipped WebAssembly target is stripped and has a cache key of its own', () => {
  const shipped = target.shippedTarget(target.wasmTarget());
  assert.ok(target.targetCompileFlags(shipped).includes('-fstrip'));
  assert.ok(!target.targetCompileFlags(target.wasmTarget()).includes('-fstrip'));
  assert.equal(target.targetId(target.wasmTarget()), 'wasm');
  assert.equal(target.targetId(shipped), 'wasm:shipped');
});

for (const bad of ['wasm64', 'WASM', 'linux-x64', 'darwin-x64-glibc', 'windows-x64', 'x86_64-linux-gnu', '', 'ALL']) {
  test(`platformsNamed refuses "${bad}" with ZIGIMPORT_BAD_TARGET naming the known platforms`, () => {
    assert.throws(() => platforms.platformsNamed([bad]), { code: 'ZIGIMPORT_BAD_TARGET', message: /Use all, or some of: linux-x64-glibc/ });
  });
}

test('hostPlatformKey: platform-arch, plus the libc of the running Node on Linux', () => {
  const key = platforms.hostPlatformKey();
  if (process.platform === 'linux') assert.match(key, new RegExp(`^linux-${process.arch}-(glibc|musl)$`));
  else assert.equal(key, `${process.platform}-${process.arch}`);
});

const ROOT = path.join(os.tmpdir(), 'pkg');
for (const [file, expected] of [
  [path.join(ROOT, 'src', 'a.zig'), 'src/a.zig'],
  [path.join(ROOT, 'a.zig'), 'a.zig'],
  [path.join(ROOT, 'deep', 'er', 'b.zig'), 'deep/er/b.zig'],
  [ROOT, undefined],
  [path.join(ROOT, '..', 'other', 'a.zig'), undefined],
  [path.join(`${ROOT}2`, 'a.zig'), undefined],
]) {
  test(`relativeToPackage(${path.relative(os.tmpdir(), file) || '.'}) is ${expected}`, () => {
    assert.equal(manifest.relativeToPackage(ROOT, file), expected);
  });
}

test('platformPackageName: <name>-<platform>, scopes kept', () => {
  assert.equal(packages.platformPackageName('lib', 'linux-x64-musl'), 'lib-linux-x64-musl');
  assert.equal(packages.platformPackageName('@me/lib', 'win32-arm64'), '@me/lib-win32-arm64');
});

test('a shipped target is stripped, has no build-path install name on macOS, and a cache key of its own', () => {
  const linux = target.nodeApiTarget('aarch64-linux-gnu');
  const shippedLinux = target.shippedTarget(linux);
  assert.ok(target.targetCompileFlags(shippedLinux).includes('-fstrip'));
  assert.ok(!target.targetCompileFlags(linux).includes('-fstrip'));
  assert.notEqual(target.targetId(shippedLinux), target.targetId(linux));
  const mac = target.targetCompileFlags(target.shippedTarget(target.nodeApiTarget('aarch64-macos')));
  assert.deepEqual(mac.slice(mac.indexOf('-install_name'), mac.indexOf('-install_name') + 2), ['-install_name', '@rpath/zigimport_addon.node']);
});

test('changedSources: only sources whose bytes differ from the recorded hash; a changed file is hashed again', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prebuild-unit-'));
  try {
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'a.zig'), 'a');
    fs.writeFileSync(path.join(dir, 'src', 'b.zig'), 'b');
    const sha = (s) => require('node:crypto').createHash('sha256').update(s).digest('hex');
    const mod = {
      sources: [
        { path: 'src/a.zig', sha256: sha('a') },
        { path: 'src/b.zig', sha256: sha('b') },
      ],
      builds: {},
    };
    assert.deepEqual(manifest.changedSources(dir, mod), []);
    fs.writeFileSync(path.join(dir, 'src', 'b.zig'), 'b, edited');
    assert.deepEqual(manifest.changedSources(dir, mod), ['src/b.zig']);
    fs.rmSync(path.join(dir, 'src', 'a.zig'));
    assert.deepEqual(manifest.changedSources(dir, mod), ['src/a.zig', 'src/b.zig']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('readManifest: undefined for none, for invalid JSON and for another format', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prebuild-unit-'));
  try {
    assert.equal(manifest.readManifest(dir), undefined);
    fs.mkdirSync(path.join(dir, 'prebuilds'));
    fs.writeFileSync(manifest.manifestPath(dir), '{ not json');
    assert.equal(manifest.readManifest(dir), undefined);
    fs.writeFileSync(manifest.manifestPath(dir), JSON.stringify({ format: 99, modules: {} }));
    assert.equal(manifest.readManifest(dir), undefined);
    fs.writeFileSync(manifest.manifestPath(dir), JSON.stringify({ format: 1, modules: {} }));
    assert.deepEqual(manifest.readManifest(dir), { format: 1, modules: {} });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
