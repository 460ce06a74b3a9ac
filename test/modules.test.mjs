// Real modules: in-source `//! zigimport:` settings, C sources and libc, every C input tracked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childEnv, runNode, tempDir, writeSource, ROOT } from './helpers.mjs';

const PROBE = path.join(ROOT, 'test', 'support', 'probe.cjs');

async function probe(file, env) {
  const r = await runNode([PROBE, file], { env, trace: true });
  const line = r.stdout.trim().split('\n').pop();
  assert.ok(line, r.stderr);
  return { ...JSON.parse(line), compiles: r.spawns.filter((s) => s.includes('build-lib')).length, stderr: r.stderr };
}

/** A module calling a C function from a C file next to it (with a header), and libc's abs(). */
function writeCModule(dir, { factor = 3, settings = 'link_libc=true, c_sources=csrc/calc.c, include_paths=csrc' } = {}) {
  fs.mkdirSync(path.join(dir, 'csrc'), { recursive: true });
  writeSource(path.join(dir, 'csrc', 'calc.h'), `#define FACTOR ${factor}\nint scale(int x);\n`);
  writeSource(path.join(dir, 'csrc', 'calc.c'), '#include "calc.h"\n#include <stdlib.h>\nint scale(int x) { return abs(x) * FACTOR; }\n');
  writeSource(
    path.join(dir, 'cmod.zig'),
    `//! A module with C code.\n//! zigimport: ${settings}\n\nextern fn scale(x: c_int) c_int;\n\npub fn value() i32 {\n    return scale(-7);\n}\n`,
  );
  return path.join(dir, 'cmod.zig');
}

test('a module compiles a C source next to it, links libc, and tracks the C file and header', async () => {
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('cache-'), ZIGIMPORT_VERBOSE: '1' });
  const dir = tempDir('cmod-');
  const file = writeCModule(dir);
  const first = await probe(file, env);
  assert.equal(first.ok, true, first.message);
  assert.equal(first.value, 21);

  const cached = await probe(file, env);
  assert.equal(cached.compiles, 0);

  // The header is an input the compiler read: editing it rebuilds.
  writeSource(path.join(dir, 'csrc', 'calc.h'), '#define FACTOR 5\nint scale(int x);\n');
  const edited = await probe(file, env);
  assert.equal(edited.value, 35);
  assert.match(edited.stderr, /changed: .*calc\.h/);
});

test('in-source settings are part of the key; an unknown key is an error naming it', async () => {
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('cache-') });
  const dir = tempDir('cmod-');
  const file = writeCModule(dir);
  assert.equal((await probe(file, env)).value, 21);
  // Same sources, a new C flag: a different build.
  writeCModule(dir, { settings: 'link_libc=true, c_sources=csrc/calc.c, include_paths=csrc, c_flags=-DUNUSED=1' });
  const flagged = await probe(file, env);
  assert.equal(flagged.value, 21);
  assert.equal(flagged.compiles, 1);

  writeCModule(dir, { settings: 'link_libc=true, c_source=csrc/calc.c' });
  const bad = await probe(file, env);
  assert.equal(bad.ok, false);
  assert.equal(bad.name, 'ZigImportConfigError');
  assert.match(bad.message, /cmod\.zig:2: unknown zigimport setting "c_source" \(known: optimize, link_libc, c_sources/);
});

test('the C interop example runs', async () => {
  const r = await runNode(['--import', 'zigimport/register', 'examples/c_interop/main.mjs'], { env: childEnv() });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /crc32\("hello"\) = 3610a686/);
  assert.match(r.stdout, /strlen\("zigimport"\) = 9/);
});

test('//! zigimport: optimize=... applies below the environment and query, above package.json', async () => {
  const dir = tempDir('opt-');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'p', zigimport: { optimize: 'ReleaseSafe' } }));
  const file = path.join(dir, 'mode.zig');
  writeSource(file, '//! zigimport: optimize=ReleaseSmall\n\npub fn mode() []const u8 {\n    return @tagName(@import("builtin").mode);\n}\n');
  const script = `const { loadSync } = require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))});
    console.log(loadSync(process.argv[1]).mode());`;
  // 0.17 names the modes .debug, .safe, .fast, .small; earlier releases .Debug, .ReleaseSmall, ...
  const norm = (s) =>
    s
      .trim()
      .replace(/_/g, '')
      .toLowerCase()
      .replace(/^release/, '');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('cache-') });
  const fromModule = await runNode(['-e', script, file], { env });
  assert.equal(fromModule.code, 0, fromModule.stderr);
  assert.equal(norm(fromModule.stdout), 'small', 'the module beats package.json');
  const fromEnv = await runNode(['-e', script, file], { env: { ...env, ZIGIMPORT_OPTIMIZE: 'Debug' } });
  assert.equal(norm(fromEnv.stdout), 'debug', 'the environment beats the module');
});

test('a name in zigimport_async that is not a pub fn is a compile error naming it', async () => {
  const file = path.join(tempDir('async-'), 'typo.zig');
  writeSource(file, 'pub const zigimport_async = .{ "slowSun" };\npub fn slowSum(x: f64) f64 {\n    return x;\n}\n');
  const r = await probe(file, childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('cache-') }));
  assert.equal(r.ok, false);
  assert.equal(r.name, 'ZigCompileError');
  assert.match(r.message, /zigimport_async lists "slowSun", which is not a pub fn/);
});
