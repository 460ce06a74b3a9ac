// The WebAssembly backend in Node: every way to choose it (?target=wasm, load() options,
// package.json, ZIGIMPORT_TARGET), the same exports and the same TypeScript declarations as the
// native addon, its cache entry apart from the native one, and what it refuses (libc, system
// libraries, zigimport_async) with errors that name the setting or the declaration.
// The type-matrix, class, callback and fuzz suites run against it with ZIGIMPORT_TARGET=wasm
// (.ci/run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childEnv, copyFixtures, linkPackage, runNode, tempDir, writeSource, zigimport } from './helpers.mjs';

const wasmCompiles = (spawns) => spawns.filter((s) => s.includes('build-exe') && s.includes('wasm32-freestanding')).length;
const nativeCompiles = (spawns) => spawns.filter((s) => s.includes('build-lib')).length;

const MATH = `const std = @import("std");
pub fn add(a: f64, b: f64) f64 {
    return a + b;
}
pub fn addInts(a: i32, b: i32) i32 {
    return a +% b;
}
pub fn upper(allocator: std.mem.Allocator, s: []const u8) ![]const u8 {
    const out = try allocator.alloc(u8, s.len);
    for (s, out) |c, *o| o.* = std.ascii.toUpper(c);
    return out;
}
pub fn scale(xs: []f64, k: f64) void {
    for (xs) |*x| x.* *= k;
}
pub fn length(xs: []const u8) usize {
    return xs.len;
}
pub fn isWasm() bool {
    return @import("builtin").cpu.arch.isWasm();
}
`;

function mathModule() {
  const dir = tempDir('wasm-math-');
  const file = path.join(dir, 'math.zig');
  writeSource(file, MATH);
  return file;
}

test('load({ target: "wasm" }) gives the native exports, built as WebAssembly', async () => {
  const file = mathModule();
  const m = await zigimport.load(file, { target: 'wasm' });
  assert.equal(m.isWasm(), true);
  assert.equal(m.add(0.1, 0.2), 0.1 + 0.2);
  assert.equal(m.addInts(2 ** 31 - 1, 1), -(2 ** 31));
  assert.equal(m.upper('héllo'), 'HéLLO');
  const xs = new Float64Array([1, 2, 3]);
  m.scale(xs, 2);
  assert.deepEqual([...xs], [2, 4, 6]);
  // usize is a BigInt on wasm32 too, as on 64-bit native targets.
  assert.equal(m.length(new Uint8Array(5)), 5n);
  assert.throws(() => m.add('1', 2), { name: 'TypeError', message: /add\(\): argument 1 must be a number/ });
  const native = zigimport.loadSync(file);
  assert.equal(native.isWasm(), false);
  assert.deepEqual(Object.keys(native).sort(), Object.keys(m).sort());
});

test('?target=wasm on an import, ZIGIMPORT_TARGET and package.json choose WebAssembly, from one cache entry', async () => {
  const dir = tempDir('wasm-choose-');
  linkPackage(dir);
  writeSource(path.join(dir, 'math.zig'), MATH);
  writeSource(path.join(dir, 'query.mjs'), "import { isWasm, add } from './math.zig?target=wasm';\nconsole.log(JSON.stringify([isWasm(), add(1, 2)]));\n");
  const env = childEnv();
  const register = ['--import', 'zigimport/register'];
  const first = await runNode([...register, 'query.mjs'], { cwd: dir, env });
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(JSON.parse(first.stdout), [true, 3]);

  // The environment names the same build the query did: served from the cache, no compile.
  writeSource(path.join(dir, 'plain.cjs'), "const m = require('./math.zig');\nconsole.log(JSON.stringify(m.isWasm()));\n");
  const byEnv = await runNode(['--require', 'zigimport/register', 'plain.cjs'], { cwd: dir, env: { ...env, ZIGIMPORT_TARGET: 'wasm' }, trace: true });
  assert.equal(byEnv.stdout.trim(), 'true', byEnv.stderr);
  assert.deepEqual(byEnv.spawns, []);
  const native = await runNode(['--require', 'zigimport/register', 'plain.cjs'], { cwd: dir, env, trace: true });
  assert.equal(native.stdout.trim(), 'false', native.stderr);
  assert.equal(nativeCompiles(native.spawns), 1);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', zigimport: { target: 'wasm' } }));
  const byPkg = await runNode(['--require', 'zigimport/register', 'plain.cjs'], { cwd: dir, env });
  assert.equal(byPkg.stdout.trim(), 'true', byPkg.stderr);
  const bad = await runNode(['--require', 'zigimport/register', 'plain.cjs'], { cwd: dir, env: { ...env, ZIGIMPORT_TARGET: 'wasm64' } });
  assert.match(bad.stderr, /ZIGIMPORT_TARGET must be one of native, wasm \(got "wasm64"\)/);
});

test('both backends write the same TypeScript declarations for the type matrix', () => {
  const nativeDir = copyFixtures('type_matrix.zig');
  const wasmDir = copyFixtures('type_matrix.zig');
  zigimport.loadSync(path.join(nativeDir, 'type_matrix.zig'), { target: 'native' });
  zigimport.loadSync(path.join(wasmDir, 'type_matrix.zig'), { target: 'wasm' });
  const native = fs.readFileSync(path.join(nativeDir, 'type_matrix.d.zig.ts'), 'utf8');
  const wasm = fs.readFileSync(path.join(wasmDir, 'type_matrix.d.zig.ts'), 'utf8');
  assert.ok(native.length > 1000);
  assert.equal(wasm, native);
});

test('zigimport_async functions reject in WebAssembly, naming the function', async () => {
  const dir = copyFixtures('type_matrix.zig');
  const m = zigimport.loadSync(path.join(dir, 'type_matrix.zig'), { target: 'wasm' });
  const p = m.slowSum([1, 2], 0);
  assert.ok(p instanceof Promise);
  await assert.rejects(p, { code: 'ZIGIMPORT_WASM_UNSUPPORTED', message: /^slowSum\(\) is listed in zigimport_async/ });
});

test('link_libc and link_system are refused for WebAssembly before compiling, naming the setting', () => {
  const dir = tempDir('wasm-libc-');
  const file = path.join(dir, 'c.zig');
  writeSource(file, '//! zigimport: link_libc=true, link_system=m\npub fn one() i32 {\n    return 1;\n}\n');
  assert.throws(() => zigimport.loadSync(file, { target: 'wasm' }), {
    code: 'ZIGIMPORT_WASM_UNSUPPORTED',
    message: /c\.zig: its "\/\/! zigimport: link_libc=true, link_system=m" cannot be built for WebAssembly/,
  });
});

test('a damaged cached .wasm is rebuilt, not loaded', async () => {
  const file = mathModule();
  const cacheDir = tempDir('wasm-cache-');
  assert.equal(zigimport.loadSync(file, { target: 'wasm', cacheDir }).add(1, 2), 3);
  const wasmFiles = fs.readdirSync(cacheDir, { recursive: true }).filter((f) => f.endsWith('.wasm'));
  assert.equal(wasmFiles.length, 1);
  const artifact = path.join(cacheDir, wasmFiles[0]);
  fs.writeFileSync(artifact, 'not wasm');
  const script = `const m = require(${JSON.stringify(path.join(import.meta.dirname, '..', 'dist', 'index.js'))}).loadSync(${JSON.stringify(file)}, { target: 'wasm', cacheDir: ${JSON.stringify(cacheDir)} });\nconsole.log(m.add(2, 3));`;
  const r = await runNode(['-e', script], { trace: true });
  assert.equal(r.stdout.trim(), '5', r.stderr);
  assert.equal(wasmCompiles(r.spawns), 1);
  assert.deepEqual([...fs.readFileSync(artifact).subarray(0, 4)], [0, 0x61, 0x73, 0x6d]);
});

test('the fast path (raw wasm exports for numbers, strings and typed arrays) agrees with the Node-API path', async () => {
  const dir = tempDir('wasm-fast-');
  const file = path.join(dir, 'fast.zig');
  writeSource(
    file,
    `pub fn addF64(a: f64, b: f64) f64 {
    return a + b;
}
pub fn mix(a: i8, b: u16, c: u32, d: bool, e: f32) f64 {
    return @as(f64, @floatFromInt(a)) + @as(f64, @floatFromInt(b)) + @as(f64, @floatFromInt(c)) + (if (d) @as(f64, 1) else 0) + e;
}
pub fn maxU32() u32 {
    return 4294967295;
}
pub fn isPositive(x: i32) bool {
    return x > 0;
}
pub fn byteSum(s: []const u8) u32 {
    var t: u32 = 0;
    for (s) |c| t +%= c;
    return t;
}
pub fn double(xs: []f64) void {
    for (xs) |*x| x.* *= 2;
}
pub fn sumI32(xs: []const i32) i32 {
    var t: i32 = 0;
    for (xs) |x| t +%= x;
    return t;
}
`,
  );
  const m = await zigimport.load(file, { target: 'wasm' });
  assert.deepEqual(Object.keys(m).sort(), ['addF64', 'byteSum', 'double', 'isPositive', 'maxU32', 'mix', 'sumI32']);
  // Each is the generated wrapper around its raw export, not the Node-API function.
  for (const name of Object.keys(m)) assert.match(String(m[name]), /r = raw\(/, name);
  assert.equal(m.addF64(0.1, 0.2), 0.1 + 0.2);
  assert.equal(m.mix(-128, 65535, 4294967295, true, 0.5), -128 + 65535 + 4294967295 + 1 + 0.5);
  assert.equal(m.maxU32(), 4294967295);
  assert.equal(m.isPositive(3), true);
  assert.equal(m.isPositive(-3), false);
  const utf8Sum = (s) => [...Buffer.from(s)].reduce((t, b) => t + b, 0);
  for (const s of ['', 'abc', 'é€😀', '\uD800x', 'x'.repeat(5000) + 'é']) assert.equal(m.byteSum(s), utf8Sum(s), JSON.stringify(s.slice(0, 10)));
  const xs = new Float64Array([1, 2, 3]);
  m.double(xs);
  assert.deepEqual([...xs], [2, 4, 6]);
  const whole = new Float64Array([1, 2, 3, 4]);
  m.double(whole.subarray(1, 3));
  assert.deepEqual([...whole], [1, 4, 6, 4]);
  assert.equal(m.sumI32(new Int32Array([1, 2, 3])), 6);
  assert.equal(m.sumI32([1, 2, 3]), 6); // a plain array takes the Node-API path
  // Values the fast path does not take get the Node-API path's errors.
  assert.throws(() => m.addF64('1', 2), { name: 'TypeError', message: /^addF64\(\): argument 1 must be a number/ });
  assert.throws(() => m.mix(128, 0, 0, true, 0), { name: 'RangeError' });
  assert.throws(() => m.mix(1.5, 0, 0, true, 0), { name: 'TypeError', message: /must be an integer/ });
  assert.throws(() => m.mix(1, 0, 0, 1, 0), TypeError);
  assert.throws(() => m.byteSum(7), TypeError);
  assert.throws(() => m.double([1, 2]), TypeError);
  assert.throws(() => m.addF64(1), TypeError);
  // Many calls with strings and arrays of growing size: the scratch area grows, nothing leaks.
  for (let i = 0; i < 2000; i++) assert.equal(m.byteSum('a'.repeat(i)), 97 * i);
});

test('a panic or a stack overflow throws a RuntimeError and the module keeps working', async () => {
  const dir = tempDir('wasm-trap-');
  const file = path.join(dir, 'trap.zig');
  writeSource(
    file,
    `const std = @import("std");
pub fn overflow(a: u8) u8 {
    return a + 255;
}
pub fn overflowSlow(a: u8, allocator: std.mem.Allocator) !u8 {
    _ = allocator;
    return a + 255;
}
pub fn deep(n: u32) u32 {
    var buf: [1024]u8 = undefined;
    buf[n % 1024] = @truncate(n);
    if (n == 0) return buf[0];
    return deep(n - 1) +% buf[n % 1024];
}
pub fn copy(allocator: std.mem.Allocator, s: []const u8) ![]const u8 {
    return allocator.dupe(u8, s);
}
`,
  );
  const m = await zigimport.load(file, { target: 'wasm' });
  for (let i = 0; i < 3; i++) {
    assert.throws(() => m.overflow(3), { name: 'RuntimeError', message: /unreachable/ });
    assert.throws(() => m.overflowSlow(3), { name: 'RuntimeError', message: /unreachable/ });
    assert.throws(() => m.deep(1_000_000), { name: 'RuntimeError' });
    assert.equal(m.copy('still works'), 'still works');
    assert.equal(m.overflow(0), 255);
  }
});
