// Build targets: the pipeline builds a module for a Node-API target other than the host
// (cross-compiled by Zig), keeps it in the cache under its own key, and loads only the host's.
// The ELF header of each artifact is read byte by byte to check what it was built for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childEnv, runNode, tempDir, writeSource, FIXTURES, ROOT } from './helpers.mjs';

const BUILD = path.join(ROOT, 'test', 'support', 'build-for-target.cjs');
const EM_X86_64 = 62;
const EM_AARCH64 = 183;
const HOST_MACHINE = { x64: EM_X86_64, arm64: EM_AARCH64 }[process.arch];

const cacheDir = tempDir('targets-');
const env = childEnv({ ZIGIMPORT_BUILD_DIR: cacheDir });

async function build(file, target, mode = 'async') {
  const r = await runNode([BUILD, file, target, mode], { env });
  const line = r.stdout.trim().split('\n').pop();
  assert.ok(line, `build-for-target printed nothing; stderr:\n${r.stderr}`);
  return JSON.parse(line);
}

/** `e_machine` of a 64-bit little-endian ELF file, checking the header it sits in. */
function elfMachine(file) {
  const head = Buffer.alloc(20);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  assert.deepEqual([...head.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46], `${file} is not an ELF file`);
  assert.equal(head[4], 2, 'ELFCLASS64');
  assert.equal(head[5], 1, 'little-endian');
  assert.equal(head.readUInt16LE(16), 3, 'ET_DYN: a shared library');
  return head.readUInt16LE(18);
}

function addModule() {
  const dir = tempDir('target-mod-');
  const file = path.join(dir, 'add.zig');
  writeSource(file, 'pub fn add(a: i32, b: i32) i32 {\n    return a + b;\n}\n');
  return file;
}

test('a module built for aarch64-linux-gnu is an AArch64 ELF under its own cache key, and only the host build loads', {
  skip: process.platform !== 'linux' && 'ELF hosts only',
}, async () => {
  const file = addModule();
  const host = await build(file, 'host', 'sync');
  assert.equal(host.ok, true, host.message);
  assert.equal(elfMachine(host.artifact), HOST_MACHINE);
  assert.deepEqual(host.load, { ok: true, keys: ['add'] });

  const arm = await build(file, 'aarch64-linux-gnu');
  assert.equal(arm.ok, true, arm.message);
  assert.equal(arm.cached, false);
  assert.equal(elfMachine(arm.artifact), EM_AARCH64);
  assert.equal(arm.target, 'node-api:aarch64-linux-gnu');
  assert.notEqual(arm.key, host.key);
  assert.notEqual(arm.entry, host.entry);
  assert.notEqual(arm.artifact, host.artifact);
  assert.equal(path.extname(arm.artifact), '.node');
  assert.equal(arm.load.code, 'ZIGIMPORT_TARGET_NOT_LOADABLE');
  assert.match(arm.load.message, /not for this process/);

  // Both stay cached side by side: each target finds its own build again, without compiling.
  const [armAgain, hostAgain] = await Promise.all([build(file, 'aarch64-linux-gnu', 'sync'), build(file, 'host')]);
  assert.deepEqual([armAgain.cached, armAgain.key], [true, arm.key]);
  assert.deepEqual([hostAgain.cached, hostAgain.key], [true, host.key]);
  assert.equal(elfMachine(hostAgain.artifact), HOST_MACHINE);
});

test('x86_64-linux-musl builds an x86-64 ELF that needs musl libc.so, not glibc, under its own key', {
  skip: process.platform !== 'linux' && 'ELF hosts only',
}, async () => {
  const file = addModule();
  const musl = await build(file, 'x86_64-linux-musl');
  assert.equal(musl.ok, true, musl.message);
  assert.equal(elfMachine(musl.artifact), EM_X86_64);
  // A Debug build links libc (panic traces): musl's soname is libc.so, glibc's libc.so.6.
  const bytes = fs.readFileSync(musl.artifact);
  assert.ok(bytes.includes('libc.so\0'), 'needs libc.so');
  assert.ok(!bytes.includes('libc.so.6\0'), 'does not need glibc');
  const host = await build(file, 'host');
  assert.equal(host.ok, true, host.message);
  assert.notEqual(musl.key, host.key);
});

test('a project module (build.zig hook, C source, libm) builds for aarch64-linux-gnu through its generated build.zig', {
  skip: process.platform !== 'linux' && 'ELF hosts only',
}, async () => {
  const dir = tempDir('target-proj-');
  fs.cpSync(path.join(FIXTURES, 'projects', 'hooked'), dir, { recursive: true });
  const arm = await build(path.join(dir, 'hooked.zig'), 'aarch64-linux-gnu', 'sync');
  assert.equal(arm.ok, true, arm.message);
  assert.equal(elfMachine(arm.artifact), EM_AARCH64);
  assert.equal(arm.load.code, 'ZIGIMPORT_TARGET_NOT_LOADABLE');
});

test('WebAssembly builds a .wasm under its own key and loads it here; a malformed triple gets ZIGIMPORT_BAD_TARGET', async () => {
  const file = addModule();
  const wasm = await build(file, 'wasm');
  assert.equal(wasm.ok, true, wasm.message);
  assert.match(wasm.artifact, /\.wasm$/);
  assert.deepEqual([...fs.readFileSync(wasm.artifact).subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d]);
  assert.equal(wasm.load.ok, true, wasm.load.message);
  const host = await build(file, 'host');
  assert.notEqual(host.key, wasm.key);
  const bad = await build(file, 'aarch64 linux');
  assert.equal(bad.code, 'ZIGIMPORT_BAD_TARGET');
  assert.match(bad.message, /cpu-os\[-abi\]/);
});
