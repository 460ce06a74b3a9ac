// Trust the cache, artifacts: release mode never loads a foreign or damaged artifact (identity
// from one lstat, then checksum), a cached build that fails to load is rebuilt once, a build that
// cannot be loaded is a typed error, and a full disk is ZIGIMPORT_NO_SPACE with nothing half-written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { childEnv, countCompiles, probeImport, tempDir, writeSource } from './helpers.mjs';

const probe = probeImport;
const compiles = countCompiles;

function writeModule(dir, n) {
  const file = path.join(dir, 'mod.zig');
  writeSource(file, `pub fn value() i32 {\n    return ${n};\n}\n`);
  return file;
}

/** The artifact release mode would load for `file`: the one `latest/` records. */
function recordedArtifact(buildDir, file) {
  const manifests = fs
    .readdirSync(path.join(buildDir, 'builds'))
    .filter((n) => n.endsWith('.json'))
    .map((n) => JSON.parse(fs.readFileSync(path.join(buildDir, 'builds', n), 'utf8')))
    .filter((m) => m.source === file);
  const latest = fs
    .readdirSync(path.join(buildDir, 'latest'))
    .map((n) => JSON.parse(fs.readFileSync(path.join(buildDir, 'latest', n), 'utf8')))
    .find((l) => l.source === file);
  const manifest = manifests.find((m) => m.key === latest.key);
  return { artifact: path.join(buildDir, 'builds', manifest.artifact.file), manifest, manifestFile: path.join(buildDir, 'builds', `${manifest.key}.json`) };
}

/** File offset and size of the ELF64 section `.text`. */
function textSection(bytes) {
  const shoff = Number(bytes.readBigUInt64LE(0x28));
  const shentsize = bytes.readUInt16LE(0x3a);
  const shnum = bytes.readUInt16LE(0x3c);
  const strtab = shoff + bytes.readUInt16LE(0x3e) * shentsize;
  const namesAt = Number(bytes.readBigUInt64LE(strtab + 0x18));
  for (let i = 0; i < shnum; i++) {
    const sh = shoff + i * shentsize;
    const nameAt = namesAt + bytes.readUInt32LE(sh);
    if (bytes.toString('latin1', nameAt, nameAt + 6) === '.text\0') {
      return { offset: Number(bytes.readBigUInt64LE(sh + 0x18)), size: Number(bytes.readBigUInt64LE(sh + 0x20)) };
    }
  }
  throw new Error('no .text section');
}

/** Overwrites bytes inside the file (same inode), as a damaged disk or a stray write would. */
function patch(file, offset, data) {
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, data, 0, data.length, offset);
  fs.closeSync(fd);
}

test('release mode never loads a foreign, older, damaged or symlinked artifact', { skip: process.platform !== 'linux' && 'ELF only' }, async () => {
  const buildDir = tempDir('rel-');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: buildDir, ZIGIMPORT_VERBOSE: '1' });
  const release = { ...env, ZIGIMPORT_RELEASE_MODE: '1' };
  // Same path length, so that the two artifacts have the same size.
  const a = writeModule(tempDir('a-'), 111);
  const b = writeModule(tempDir('b-'), 222);
  assert.equal((await probe(a, release)).value, 111);
  assert.equal((await probe(b, release)).value, 222);
  const other = recordedArtifact(buildDir, b).artifact;

  const hit = await probe(a, release);
  assert.equal(hit.value, 111);
  assert.deepEqual(hit.spawns, [], 'an intact artifact: no process');
  assert.match(hit.stderr, /cache hit \(release mode/);

  const older = fs.readFileSync(recordedArtifact(buildDir, a).artifact);
  writeModule(path.dirname(a), 333);
  assert.equal((await probe(a, env)).value, 333, 'checksum mode builds the edit; release mode now records it');

  const damage = {
    "another module's artifact of equal size copied over it": (artifact) => {
      // Debug artifact sizes vary by a few KiB with the path: pad or cut the tail (section
      // headers, which the loader does not need) so that only the identity can tell.
      const sized = Buffer.alloc(fs.statSync(artifact).size);
      fs.readFileSync(other).copy(sized);
      fs.writeFileSync(artifact, sized);
    },
    'an older build of the same file copied over it': (artifact) => fs.writeFileSync(artifact, older),
    '64 flipped bytes': (artifact) => {
      const at = Math.floor(fs.statSync(artifact).size / 3);
      patch(
        artifact,
        at,
        Buffer.from(
          fs
            .readFileSync(artifact)
            .subarray(at, at + 64)
            .map((x) => x ^ 0xff),
        ),
      );
    },
    '.text filled with int3': (artifact) => {
      const text = textSection(fs.readFileSync(artifact));
      patch(artifact, text.offset, Buffer.alloc(text.size, 0xcc));
    },
    'a broken ELF header': (artifact) => patch(artifact, 0, Buffer.alloc(16, 0)),
    'a symlink to another artifact': (artifact) => {
      fs.rmSync(artifact);
      fs.symlinkSync(other, artifact);
    },
  };
  for (const [what, apply] of Object.entries(damage)) {
    const { artifact } = recordedArtifact(buildDir, a);
    apply(artifact);
    const r = await probe(a, release);
    assert.equal(r.signal, null, `${what}: the process must not die`);
    assert.equal(r.ok, true, `${what}: ${r.message}`);
    assert.equal(r.value, 333, what);
    assert.match(
      r.stderr,
      /release mode: recorded build unusable \((artifact checksum mismatch|artifact is not a regular file|artifact size \d+ != recorded)/,
      what,
    );
    assert.equal(compiles(r.spawns), 1, `${what}: rebuilt`);
    assert.ok(fs.lstatSync(artifact).isFile(), `${what}: the rebuild replaced it`);
  }
  assert.equal((await probe(b, release)).value, 222, 'the other module was never touched');
});

test('a cached build that fails to load is rebuilt once and loaded, never a raw ERR_DLOPEN_FAILED', async () => {
  const buildDir = tempDir('rel-');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: buildDir, ZIGIMPORT_VERBOSE: '1' });
  const file = writeModule(tempDir('src-'), 444);
  assert.equal((await probe(file, env)).value, 444);
  // Damage no lookup can see: the manifest is made to vouch for the broken bytes.
  const forge = () => {
    const { artifact, manifest, manifestFile } = recordedArtifact(buildDir, file);
    patch(artifact, 0, Buffer.alloc(16, 0));
    const st = fs.statSync(artifact);
    manifest.artifact.sha256 = createHash('sha256').update(fs.readFileSync(artifact)).digest('hex');
    manifest.artifact.identity = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  };
  for (const mode of [env, { ...env, ZIGIMPORT_RELEASE_MODE: '1' }]) {
    forge();
    const r = await probe(file, mode);
    assert.equal(r.ok, true, r.message);
    assert.equal(r.value, 444);
    assert.match(r.stderr, /cached build failed to load \(.*\); rebuilding once/);
    assert.equal(compiles(r.spawns), 1);
  }
});

test('a build that cannot be loaded even when fresh is ZIGIMPORT_LOAD_FAILED naming the file', async () => {
  const file = path.join(tempDir('src-'), 'unloadable.zig');
  // An undefined data symbol: the library links, but the dynamic loader refuses it.
  writeSource(file, 'extern var zigimport_test_missing_symbol: i32;\npub fn value() i32 {\n    return zigimport_test_missing_symbol;\n}\n');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('rel-') });
  for (const expectedCompiles of [1, 1]) {
    const r = await probe(file, env);
    assert.equal(r.ok, false);
    assert.equal(r.name, 'ZigLoadError');
    assert.equal(r.code, 'ZIGIMPORT_LOAD_FAILED');
    assert.ok(r.message.includes(file), r.message);
    assert.match(r.message, /undefined symbol: zigimport_test_missing_symbol/);
    assert.equal(compiles(r.spawns), expectedCompiles, 'fresh: no second compile; cached: exactly one rebuild');
  }
});

/** Mounts a small tmpfs (root only); returns its path, or the reason it cannot. */
function smallDisk(megabytes) {
  const dir = tempDir('disk-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? { dir } : { reason: `mount -t tmpfs failed: ${(r.stderr || r.error?.message || '').trim()}` };
}

/** Fills the disk until `leftMiB` remain. */
function fill(dir, leftMiB) {
  const { bavail, bsize } = fs.statfsSync(dir);
  const bytes = bavail * bsize - leftMiB * 2 ** 20;
  if (bytes > 0) fs.writeFileSync(path.join(dir, 'filler'), Buffer.alloc(bytes));
}

/** Nothing half-written: every artifact has its manifest, and no temporary folder is left. */
function assertNothingHalfWritten(buildDir) {
  const builds = fs.existsSync(path.join(buildDir, 'builds')) ? fs.readdirSync(path.join(buildDir, 'builds')) : [];
  for (const name of builds.filter((n) => n.endsWith('.node'))) assert.ok(builds.includes(name.replace(/\.node$/, '.json')), `${name} without manifest`);
  const tmp = path.join(buildDir, 'tmp');
  assert.deepEqual(fs.existsSync(tmp) ? fs.readdirSync(tmp) : [], [], 'temporary folders removed');
}

test('a full disk is ZIGIMPORT_NO_SPACE naming the cache folder; after freeing space the next import builds', async (t) => {
  const disk = smallDisk(48);
  if (!disk.dir) {
    // CI runs as root, where a tmpfs can always be mounted: a failure there is a failure.
    assert.ok(!process.env.CI, `CI must run the disk-full test: ${disk.reason}`);
    t.skip(disk.reason);
    return;
  }
  t.after(() => spawnSync('umount', [disk.dir]));
  const buildDir = path.join(disk.dir, 'cache');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: buildDir });
  const file = writeModule(tempDir('src-'), 555);
  // 0 MiB: a file-system call of zigimport fails (ENOSPC). 3 MiB: Zig runs out writing the
  // ~10 MB Debug library and reports NoSpaceLeft as if it were an error in the module.
  for (const [left, failed] of [
    [0, /ENOSPC from/],
    [3, /the Zig compiler (could not write its output|failed without a diagnostic)/],
  ]) {
    fill(disk.dir, left);
    const r = await probe(file, env);
    assert.equal(r.ok, false);
    assert.equal(r.name, 'ZigNoSpaceError', r.message);
    assert.equal(r.code, 'ZIGIMPORT_NO_SPACE');
    assert.ok(r.message.includes(buildDir), r.message);
    assert.match(r.message, failed);
    assert.match(r.message, /clear-cache/);
    assertNothingHalfWritten(buildDir);
    fs.rmSync(path.join(disk.dir, 'filler'), { force: true });
  }
  const r = await probe(file, env);
  assert.equal(r.ok, true, r.message);
  assert.equal(r.value, 555);
  assertNothingHalfWritten(buildDir);
});
