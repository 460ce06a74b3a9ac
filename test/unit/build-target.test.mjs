// The build-target module (src/target.ts): parsing Zig triples, and what each target decides for
// the cache key, the compile command, a project's build.zig, the store and the loader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const t = require('../../dist/target.js');

const TRIPLES = [
  ['aarch64-linux-gnu', { cpu: 'aarch64', os: 'linux', libc: 'gnu' }],
  ['x86_64-linux-musl', { cpu: 'x86_64', os: 'linux', libc: 'musl' }],
  ['aarch64-macos', { cpu: 'aarch64', os: 'macos' }],
  ['x86_64-windows-gnu', { cpu: 'x86_64', os: 'windows', libc: 'gnu' }],
];
for (const [triple, parts] of TRIPLES) {
  test(`nodeApiTarget parses ${triple}`, () => {
    assert.deepEqual(t.nodeApiTarget(triple), { kind: 'node-api', ...parts, zigTriple: triple, host: false });
  });
}

for (const bad of ['', 'x86_64', 'aarch64 linux', 'a-b-c-d', 'AARCH64-LINUX', '../x-y']) {
  test(`nodeApiTarget refuses "${bad}" with ZIGIMPORT_BAD_TARGET`, () => {
    assert.throws(() => t.nodeApiTarget(bad), { code: 'ZIGIMPORT_BAD_TARGET' });
  });
}

test('the host target is native, in Zig names, and keeps the cache key part of earlier releases', () => {
  const host = t.hostTarget();
  assert.equal(host.kind, 'node-api');
  assert.equal(host.host, true);
  assert.equal(host.zigTriple, 'native');
  assert.equal(host.cpu, { x64: 'x86_64', arm64: 'aarch64' }[process.arch] ?? host.cpu);
  assert.equal(host.os, { linux: 'linux', darwin: 'macos', win32: 'windows' }[process.platform] ?? host.os);
  assert.equal(t.targetId(host), `${process.arch}-${process.platform}`);
  assert.equal(t.hostTarget(), host, 'computed once');
});

test('targetId: every kind and triple has its own', () => {
  const ids = [
    t.hostTarget(),
    t.nodeApiTarget('aarch64-linux-gnu'),
    t.nodeApiTarget('x86_64-linux-gnu'),
    t.nodeApiTarget('x86_64-linux-musl'),
    { kind: 'wasm' },
  ].map(t.targetId);
  assert.equal(new Set(ids).size, ids.length);
});

const FLAGS = [
  ['aarch64-linux-gnu', ['-target', 'aarch64-linux-gnu', '--compress-debug-sections=zlib']],
  ['aarch64-macos', ['-target', 'aarch64-macos', '-fallow-shlib-undefined']],
  ['x86_64-windows-gnu', ['-target', 'x86_64-windows-gnu']],
];
for (const [triple, flags] of FLAGS) {
  test(`targetCompileFlags for ${triple}`, () => {
    assert.deepEqual(t.targetCompileFlags(t.nodeApiTarget(triple)), flags);
  });
}

test("the host build names no -target (a native build uses this CPU's features)", () => {
  assert.ok(!t.targetCompileFlags(t.hostTarget()).includes('-target'));
  assert.equal(t.zigTargetExpression(t.hostTarget()), 'b.graph.host');
  assert.match(
    t.zigTargetExpression(t.nodeApiTarget('aarch64-linux-gnu')),
    /resolveTargetQuery\(std\.Target\.Query\.parse\(\.\{ \.arch_os_abi = "aarch64-linux-gnu" \}\)/,
  );
});

const LIBRARIES = [
  ['aarch64-linux-gnu', 'libaddon.so'],
  ['aarch64-macos', 'libaddon.dylib'],
  ['x86_64-windows-gnu', 'addon.dll'],
];
for (const [triple, name] of LIBRARIES) {
  test(`sharedLibraryName on ${triple} is ${name}`, () => {
    assert.equal(t.sharedLibraryName(t.nodeApiTarget(triple), 'addon'), name);
  });
}

test('only macOS projects allow undefined symbols in the build.zig', () => {
  assert.equal(t.allowsUndefinedSymbols(t.nodeApiTarget('aarch64-macos')), true);
  assert.equal(t.allowsUndefinedSymbols(t.nodeApiTarget('aarch64-linux-gnu')), false);
});

test('artifacts: .node for every Node-API target, .wasm reserved for WebAssembly', () => {
  assert.equal(t.artifactExtension(t.hostTarget()), '.node');
  assert.equal(t.artifactExtension(t.nodeApiTarget('aarch64-linux-gnu')), '.node');
  assert.equal(t.artifactExtension({ kind: 'wasm' }), '.wasm');
});

test('WebAssembly builds as a wasm32-freestanding executable with no entry; what needs Node-API is refused naming itself', () => {
  const wasm = t.wasmTarget();
  assert.deepEqual(t.targetBuildVerb(wasm), ['build-exe', '-fno-entry', '-rdynamic', '--export-table', '--export=__stack_pointer']);
  assert.deepEqual(t.targetBuildVerb(t.hostTarget()), ['build-lib', '-dynamic']);
  assert.deepEqual(t.targetCompileFlags(wasm), ['-target', 'wasm32-freestanding']);
  assert.equal(t.sharedLibraryName(wasm, 'zigimport_addon'), 'zigimport_addon.wasm');
  assert.equal(t.targetId(wasm), 'wasm');
  assert.equal(t.targetForSetting('wasm'), wasm);
  assert.equal(t.targetForSetting('native'), t.hostTarget());
  assert.throws(() => t.requireNodeApi(wasm, 'a Zig package'), {
    code: 'ZIGIMPORT_TARGET_UNSUPPORTED',
    message: /^a Zig package cannot be built for wasm yet/,
  });
  const arm = t.nodeApiTarget('aarch64-linux-gnu');
  assert.equal(t.requireNodeApi(arm), arm);
});

test('loadArtifact refuses another platform before touching the file; a missing .wasm is a loader failure', () => {
  const mod = { exports: {} };
  assert.throws(() => t.loadArtifact(t.nodeApiTarget('aarch64-linux-gnu'), mod, '/nonexistent/x.node'), { code: 'ZIGIMPORT_TARGET_NOT_LOADABLE' });
  assert.throws(() => t.loadArtifact({ kind: 'wasm' }, mod, '/nonexistent/x.wasm'), {
    code: 'ERR_DLOPEN_FAILED',
    message: /x.wasm cannot be loaded as WebAssembly: ENOENT/,
  });
  assert.throws(
    () => t.loadArtifact(t.hostTarget(), mod, '/nonexistent/x.node'),
    (err) => err.code !== 'ZIGIMPORT_TARGET_NOT_LOADABLE',
  );
});
