// Trust the cache: content, never mtimes, decides what is rebuilt (in-place edits with restored or
// pinned mtimes, edits during a compile, project modules); release mode never loads a foreign or
// damaged artifact; a cached build that fails to load is rebuilt once; a full disk is a typed error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { childEnv, countCompiles, probeImport, tempDir, writeSource, ROOT } from './helpers.mjs';

const probe = probeImport;
const compiles = countCompiles;

function touch(...args) {
  const r = spawnSync('touch', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

/** The size, inode and nanosecond mtime Zig's cache compares. */
function fileStamp(file) {
  const st = fs.statSync(file, { bigint: true });
  return { size: st.size, ino: st.ino, mtimeNs: st.mtimeNs };
}

/**
 * Replaces `from` by `to` (same length) inside the file, writing into the same inode, then puts
 * the mtime back to the nanosecond (`touch -r` from a reference taken before the edit). Asserts
 * that size, inode and mtime are all as before: only the content changed.
 */
function editKeepingStamp(file, from, to) {
  assert.equal(from.length, to.length);
  const ref = `${file}.mtime-ref`;
  touch('-r', file, ref);
  const stamp = fileStamp(file);
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${from} not in ${file}`);
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, text.replace(from, to), 0);
  fs.closeSync(fd);
  touch('-r', ref, file);
  fs.rmSync(ref);
  assert.deepEqual(fileStamp(file), stamp, 'size, inode and mtime (ns) must be unchanged');
}

/** value() = base + helper.extra + the sum of data.txt's bytes: entry, @import and @embedFile all count. */
function writeModule(dir, base = 100, extra = 10, data = 'abc') {
  writeSource(path.join(dir, 'helper.zig'), `pub const extra: i32 = ${extra};\npub const data = @embedFile("data.txt");\n`);
  writeSource(path.join(dir, 'data.txt'), data);
  writeSource(
    path.join(dir, 'mod.zig'),
    `const helper = @import("helper.zig");\npub fn value() i32 {\n    var sum: i32 = 0;\n    for (helper.data) |b| sum += b;\n    return ${base} + helper.extra + sum;\n}\n`,
  );
  return path.join(dir, 'mod.zig');
}

test('a same-length in-place edit with its mtime restored to the nanosecond rebuilds (entry, @import, @embedFile)', async () => {
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('truth-'), ZIGIMPORT_VERBOSE: '1' });
  const dir = tempDir('src-');
  const file = writeModule(dir);
  assert.equal((await probe(file, env)).value, 404); // 100 + 10 + 'a' + 'b' + 'c'

  editKeepingStamp(file, 'return 100', 'return 200');
  const entry = await probe(file, env);
  assert.equal(entry.value, 504, 'the edited entry must be compiled, not answered by Zig from the old build');
  assert.match(entry.stderr, /cache miss: changed: .*mod\.zig/);

  editKeepingStamp(path.join(dir, 'helper.zig'), '= 10;', '= 20;');
  assert.equal((await probe(file, env)).value, 514, '@import');

  editKeepingStamp(path.join(dir, 'data.txt'), 'abc', 'abd');
  const embedded = await probe(file, env);
  assert.equal(embedded.value, 515, '@embedFile');
  assert.match(embedded.stderr, /cache miss: changed: .*data\.txt/);

  // The next import of the last version is a hit, and putting a file back to a version built
  // before finds that build by content, without a compile.
  assert.deepEqual((await probe(file, env)).spawns, []);
  editKeepingStamp(file, 'return 200', 'return 100');
  const reverted = await probe(file, env);
  assert.equal(reverted.value, 415);
  assert.equal(compiles(reverted.spawns), 1, 'helper and data differ from the first build: compiled');
  editKeepingStamp(file, 'return 100', 'return 200');
  const back = await probe(file, env);
  assert.equal(back.value, 515);
  assert.deepEqual(back.spawns, [], 'the earlier build of exactly these bytes is found by its content key');
});

test('pinned mtimes on every file (as npm tarballs have): each edit rebuilds', async () => {
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('truth-') });
  const dir = tempDir('src-');
  const file = writeModule(dir, 300, 30, 'xyz');
  const files = ['mod.zig', 'helper.zig', 'data.txt'].map((f) => path.join(dir, f));
  // npm packs every file with mtime 1985-10-26T08:15:00Z.
  const pin = () => touch('-m', '-d', '@499162500', ...files);
  pin();
  assert.equal((await probe(file, env)).value, 693); // 300 + 30 + 'x' + 'y' + 'z'
  const edits = [
    [files[0], 'return 300', 'return 400', 793],
    [files[1], '= 30;', '= 40;', 803],
    [files[2], 'xyz', 'xy', 681],
  ];
  for (const [f, from, to, expected] of edits) {
    // Rewritten in place (same inode) and pinned again; data.txt also shrinks by one byte.
    const text = fs.readFileSync(f, 'utf8').replace(from, to);
    const fd = fs.openSync(f, 'r+');
    fs.ftruncateSync(fd, 0);
    fs.writeSync(fd, text, 0);
    fs.closeSync(fd);
    pin();
    assert.equal((await probe(file, env)).value, expected, path.basename(f));
  }
});

/** Resolves when a `zig build-lib` process that compiles `file` is running. */
async function compilerStarted(file, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const pid of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
      let cmd = '';
      try {
        cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (cmd.includes('build-lib') && cmd.includes(file)) return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail('the compiler never started');
}

test('an edit during a compile, its mtime put back, is never recorded as the old build', {
  skip: process.platform !== 'linux' && 'finds the compiler in /proc',
}, async () => {
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('truth-'), ZIGIMPORT_VERBOSE: '1' });
  const file = path.join(tempDir('src-'), 'slow.zig');
  // A comptime loop keeps the compiler busy for seconds after it has read the file.
  writeSource(
    file,
    [
      'fn spin() u64 {',
      '    @setEvalBranchQuota(100_000_000);',
      '    var x: u64 = 0;',
      '    var i: u64 = 0;',
      '    while (i < 400_000) : (i += 1) x +%= i *% 7;',
      '    return x;',
      '}',
      'const spun = spin();',
      'pub fn value() i32 {',
      '    return 111 + @as(i32, @intCast(spun & 0));',
      '}',
      '',
    ].join('\n'),
  );
  const racing = probe(file, env);
  await compilerStarted(file);
  await new Promise((r) => setTimeout(r, 300));
  editKeepingStamp(file, 'return 111', 'return 222');
  const during = await racing;
  assert.equal(during.ok, true, during.message);
  assert.ok([111, 222].includes(during.value));
  assert.match(during.stderr, /during the compile: this build is used once and not cached/);
  const after = await probe(file, env);
  assert.equal(after.value, 222, 'the next import compiles what the file says now');
  assert.equal(compiles(after.spawns), 1);
});

test('a project module (build.zig.zon, .path package): in-place edits with restored mtimes rebuild', async () => {
  const root = tempDir('proj-');
  fs.cpSync(path.join(ROOT, 'examples', 'zig_package'), root, { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), '{ "name": "truth-project", "private": true }\n');
  const file = path.join(root, 'mod.zig');
  writeSource(
    file,
    [
      'const ministats = @import("ministats");',
      'pub fn value() i32 {',
      '    const empty = [_]f64{};',
      '    return 100 + @as(i32, @intFromFloat(ministats.mean(&empty)));',
      '}',
      '',
    ].join('\n'),
  );
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('truth-') });
  assert.equal((await probe(file, env)).value, 100);
  editKeepingStamp(path.join(root, 'ministats', 'src', 'root.zig'), 'return 0;\n    var sum', 'return 7;\n    var sum');
  assert.equal((await probe(file, env)).value, 107, 'package source edited in place');
  editKeepingStamp(file, 'return 100', 'return 200');
  assert.equal((await probe(file, env)).value, 207, 'module edited in place');
});

test('a Zig binary replaced in place with the same size and mtime is asked its version again', async () => {
  const dir = tempDir('zig-');
  const zig = path.join(dir, 'zig');
  const real = JSON.stringify(childEnv().ZIGIMPORT_ZIG);
  // Both versions forward everything but `version` to the real compiler.
  const script = (version) => `#!/bin/sh\nif [ "$1" = version ]; then echo ${version}; exit 0; fi\nexec ${real} "$@"\n`;
  fs.writeFileSync(zig, script(childEnv().ZIGIMPORT_ZIG.includes('0.15.') ? '0.15.2' : '0.17.1'), { mode: 0o755 });
  const file = writeModule(tempDir('src-'));
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('truth-'), ZIGIMPORT_ZIG: zig });
  assert.equal((await probe(file, env)).value, 404);
  const text = fs.readFileSync(zig, 'utf8');
  editKeepingStamp(zig, text.match(/echo (0\.1\d\.\d)/)[1], '0.13.0');
  const r = await probe(file, env);
  assert.equal(r.ok, false, 'the cached version of the old binary must not be trusted');
  assert.equal(r.code, 'ZIGIMPORT_UNSUPPORTED_ZIG');
});

test('a C source (c_sources) edited in place with its mtime restored rebuilds', async () => {
  const dir = tempDir('src-');
  writeSource(path.join(dir, 'v.c'), 'int c_value(void) { return 111; }\n');
  const file = path.join(dir, 'cmod.zig');
  writeSource(file, '//! zigimport: link_libc=true, c_sources=v.c\nextern fn c_value() c_int;\npub fn value() i32 {\n    return c_value();\n}\n');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('truth-') });
  assert.equal((await probe(file, env)).value, 111);
  editKeepingStamp(path.join(dir, 'v.c'), '111', '222');
  assert.equal((await probe(file, env)).value, 222);
});
