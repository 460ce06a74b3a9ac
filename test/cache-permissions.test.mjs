// A cache other users can write is refused before anything in it is loaded or run; everything the
// cache creates is private whatever the umask; the declaration reader runs only when its bytes
// match the hash recorded when it was built. Tests run as root here: "another user" is uid 65534
// (nobody) or a group/world-writable mode, which is what another user would need.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { ROOT, ZIG, childEnv, runNode, tempDir } from './helpers.mjs';

const NOBODY = 65534;
/** Giving a folder to another user needs root (CI runs as root); those cases are skipped otherwise. */
const CHOWN = process.getuid() === 0 ? {} : { skip: 'giving a folder to another user needs root' };
const INDEX = JSON.stringify(path.join(ROOT, 'dist', 'index.js'));
const AST = JSON.stringify(path.join(ROOT, 'dist', 'types', 'ast.js'));
/** Zig's global cache stays shared (only zigimport's own folders must be fresh). */
const ZIG_GLOBAL_CACHE_DIR = process.env.ZIG_GLOBAL_CACHE_DIR || path.join(os.homedir(), '.cache', 'zig');

/** Imports a module in a new node process; prints what `which()` returned, or the error. */
const IMPORT = `
const zi = require(${INDEX});
try { console.log(JSON.stringify({ value: zi.loadSync(process.argv[1]).which() })); }
catch (e) { console.log(JSON.stringify({ code: e.code, name: e.name, exported: e instanceof zi.UnsafeCacheError, folder: e.folder, message: e.message })); }
`;

async function importIn(cacheDir, file, extra = {}) {
  const r = await runNode(['-e', IMPORT, file], { env: childEnv({ ZIGIMPORT_BUILD_DIR: cacheDir, ZIGIMPORT_TYPES: '0', ...extra }) });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function sha256(file) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function onlyFile(dir, ext, prefix = '') {
  const found = fs.readdirSync(dir).filter((f) => f.endsWith(ext) && f.startsWith(prefix));
  assert.equal(found.length, 1, found.join(', '));
  return path.join(dir, found[0]);
}

// One real build of the victim's module (returns 111) and one of another module (999), then a
// cache whose artifact for the victim's module is the other module's, with a manifest forged
// to match: what another user with write access could plant. Each test copies what it needs.
const work = tempDir('perm-');
const victim = path.join(work, 'victim.zig');
const other = path.join(work, 'other.zig');
fs.writeFileSync(victim, 'pub fn which() i32 {\n    return 111;\n}\n');
fs.writeFileSync(other, 'pub fn which() i32 {\n    return 999;\n}\n');
const cleanCache = path.join(work, 'clean');
const forgedCache = path.join(work, 'forged');

async function buildTemplates() {
  if (fs.existsSync(forgedCache)) return;
  assert.deepEqual(await importIn(cleanCache, victim), { value: 111 });
  const otherCache = path.join(work, 'other-cache');
  assert.deepEqual(await importIn(otherCache, other), { value: 999 });
  fs.cpSync(cleanCache, forgedCache, { recursive: true });
  const manifestFile = onlyFile(path.join(forgedCache, 'builds'), '.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const otherManifest = JSON.parse(fs.readFileSync(onlyFile(path.join(otherCache, 'builds'), '.json'), 'utf8'));
  fs.copyFileSync(path.join(otherCache, 'builds', otherManifest.artifact.file), path.join(forgedCache, 'builds', manifest.artifact.file));
  manifest.artifact = { ...otherManifest.artifact, file: manifest.artifact.file };
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
}

/** A private copy of a template cache at `dest` (folders 0700, as zigimport makes them). */
function copyCache(template, dest) {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.cpSync(template, dest, { recursive: true });
  for (const sub of ['', ...fs.readdirSync(dest)]) {
    const p = path.join(dest, sub);
    if (fs.lstatSync(p).isDirectory()) fs.chmodSync(p, 0o700);
  }
  return dest;
}

function assertRefused(result, folder, problem) {
  assert.equal(result.value, undefined, 'the planted code must not run');
  assert.equal(result.code, 'ZIGIMPORT_UNSAFE_CACHE', JSON.stringify(result));
  assert.equal(result.name, 'UnsafeCacheError');
  assert.equal(result.exported, true, 'UnsafeCacheError is exported');
  assert.equal(result.folder, folder);
  assert.match(result.message, problem);
  assert.ok(result.message.includes(folder), result.message);
  assert.match(result.message, /ZIGIMPORT_BUILD_DIR/);
}

test('the forged cache is a real plant: a private copy of it loads the other module', async () => {
  // Without this, a refusal below could come from a plant that would not have worked anyway.
  await buildTemplates();
  const cache = copyCache(forgedCache, path.join(tempDir('plant-'), 'cache'));
  assert.deepEqual(await importIn(cache, victim), { value: 999 });
  const clean = copyCache(cleanCache, path.join(tempDir('clean-'), 'cache'));
  assert.deepEqual(await importIn(clean, victim), { value: 111 });
});

test('a world-writable cache folder (chmod 777) holding a plant is refused in checksum and release mode', async () => {
  await buildTemplates();
  const cache = copyCache(forgedCache, path.join(tempDir('w777-'), 'cache'));
  fs.chmodSync(cache, 0o777);
  const refused = await importIn(cache, victim);
  assertRefused(refused, cache, /writable by group and others \(mode 0777\)/);
  assert.ok(refused.message.includes(`chmod 700 '${cache}'`), refused.message);
  assertRefused(await importIn(cache, victim, { ZIGIMPORT_RELEASE_MODE: '1' }), cache, /mode 0777/);
});

test('a cache folder owned by another user is refused, naming the uid', CHOWN, async () => {
  await buildTemplates();
  const cache = copyCache(forgedCache, path.join(tempDir('uid-'), 'cache'));
  fs.chownSync(cache, NOBODY, NOBODY);
  const refused = await importIn(cache, victim);
  assertRefused(refused, cache, new RegExp(`owned by uid ${NOBODY}, not by you \\(uid ${process.getuid()}\\)`));
  assert.match(refused.message, /chown/);
});

test('a group-writable, foreign-owned or linked folder inside the cache is refused', async (t) => {
  await buildTemplates();
  const cases = [
    ['builds/ chmod g+w', 'builds', (p) => fs.chmodSync(p, 0o770), /writable by group \(mode 0770\)/],
    ['entries/ chmod 775', 'entries', (p) => fs.chmodSync(p, 0o775), /writable by group \(mode 0775\)/],
    ['latest/ owned by nobody', 'latest', (p) => fs.chownSync(p, NOBODY, NOBODY), /owned by uid 65534/],
    [
      'builds/ a symbolic link to a private folder',
      'builds',
      (p) => {
        const real = path.join(path.dirname(path.dirname(p)), 'elsewhere');
        fs.renameSync(p, real);
        fs.symlinkSync(real, p, 'dir');
      },
      /a symbolic link/,
    ],
  ];
  for (const [name, sub, spoil, problem] of cases) {
    await t.test(name, name.includes('nobody') ? CHOWN : {}, async () => {
      const cache = copyCache(forgedCache, path.join(tempDir('sub-'), 'cache'));
      spoil(path.join(cache, sub));
      assertRefused(await importIn(cache, victim), path.join(cache, sub), problem);
    });
  }
});

test('folders above the cache: writable by others is refused, sticky like /tmp is fine', async (t) => {
  await buildTemplates();
  await t.test('a world-writable parent without the sticky bit', async () => {
    const parent = path.join(tempDir('up-'), 'shared');
    const cache = copyCache(forgedCache, path.join(parent, 'cache'));
    fs.chmodSync(parent, 0o777);
    const refused = await importIn(cache, victim);
    assertRefused(refused, parent, /writable by group and others \(mode 0777\), so others can replace the cache/);
    assert.match(refused.message, /chmod go-w/);
  });
  await t.test('a parent owned by another user', CHOWN, async () => {
    const parent = path.join(tempDir('owner-'), 'theirs');
    const cache = copyCache(forgedCache, path.join(parent, 'cache'));
    fs.chownSync(parent, NOBODY, NOBODY);
    assertRefused(await importIn(cache, victim), parent, new RegExp(`owned by uid ${NOBODY} \\(you are uid ${process.getuid()}\\), who can replace the cache`));
  });
  await t.test('a sticky world-writable parent (like /tmp) holding a private cache', async () => {
    const parent = path.join(tempDir('sticky-'), 'tmp');
    const cache = copyCache(cleanCache, path.join(parent, 'cache'));
    fs.chmodSync(parent, 0o1777);
    assert.deepEqual(await importIn(cache, victim), { value: 111 });
  });
  await t.test('a cache pre-created world-writable by another user in a sticky folder', CHOWN, async () => {
    const parent = path.join(tempDir('pre-'), 'tmp');
    const cache = copyCache(forgedCache, path.join(parent, 'cache'));
    fs.chmodSync(parent, 0o1777);
    fs.chmodSync(cache, 0o777);
    fs.chownSync(cache, NOBODY, NOBODY);
    assertRefused(await importIn(cache, victim), cache, /owned by uid 65534/);
  });
  await t.test('a link to the cache: the folders above its target are checked too', async () => {
    const base = tempDir('link-');
    const target = copyCache(cleanCache, path.join(base, 'open', 'cache'));
    const link = path.join(base, 'cache-link');
    fs.symlinkSync(target, link, 'dir');
    assert.deepEqual(await importIn(link, victim), { value: 111 }, 'a link to a safe cache is fine');
    fs.chmodSync(path.join(base, 'open'), 0o777);
    const refused = await importIn(link, victim);
    assertRefused(refused, path.join(base, 'open'), /mode 0777/);
  });
});

test('an artifact that others can write is a miss: rebuilt from source, never loaded', async () => {
  await buildTemplates();
  const cache = copyCache(forgedCache, path.join(tempDir('art-'), 'cache'));
  const artifact = onlyFile(path.join(cache, 'builds'), '.node');
  fs.chmodSync(artifact, 0o666);
  const before = fs.statSync(artifact).ino;
  assert.deepEqual(await importIn(cache, victim), { value: 111 });
  assert.notEqual(fs.statSync(artifact).ino, before, 'replaced by a fresh build');
  assert.equal(fs.statSync(artifact).mode & 0o777, 0o600);
});

/** Every folder and file zigimport made under `dir`, with its permission bits. */
function modesUnder(dir, skip) {
  const out = [];
  const walk = (p) => {
    const st = fs.lstatSync(p);
    out.push([p, st.mode & 0o7777, st.isDirectory()]);
    if (st.isDirectory() && !skip.has(path.basename(p))) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
  };
  walk(dir);
  return out;
}

for (const umask of ['000', '077']) {
  test(`everything the cache creates is private under umask ${umask}`, async () => {
    const base = tempDir(`umask${umask}-`);
    const home = path.join(base, 'home');
    const cache = path.join(base, 'cache');
    const file = path.join(base, 'm.zig');
    fs.writeFileSync(file, 'pub fn which() i32 {\n    return 7;\n}\n');
    const env = childEnv({ HOME: home, ZIG_GLOBAL_CACHE_DIR, ZIGIMPORT_BUILD_DIR: cache, ZIGIMPORT_TYPES: '1' });
    // The shell sets the umask the node process (and the Zig it starts) inherits.
    const run = await runNode(['-c', `umask ${umask} && exec "$NODE" -e "$0" "$1"`, `process.umask() === 0o${umask} || process.exit(3); ${IMPORT}`, file], {
      node: '/bin/sh',
      env: { ...env, NODE: process.execPath },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout.trim()), { value: 7 });
    assert.ok(fs.existsSync(path.join(base, 'm.d.zig.ts')), 'declarations written, so the reader tool was built and run');
    // Zig writes its own cache and fetched packages with the umask's modes; the 0700 folders
    // zigimport creates around them keep other users out.
    const skip = new Set(['zig-cache', 'zig-pkg']);
    // The reader is executable (0700); the trace object a Debug build links is not (0600).
    const tool = onlyFile(path.join(home, '.zigimport', 'tools'), '.sha256', 'zigimport-ast-').slice(0, -'.sha256'.length);
    const wrong = [];
    for (const [p, mode, isDir] of [...modesUnder(cache, skip), ...modesUnder(path.join(home, '.zigimport'), skip)]) {
      const want = isDir || p === tool ? 0o700 : 0o600;
      if (mode !== want) wrong.push(`${p}: ${mode.toString(8)} (want ${want.toString(8)})`);
    }
    assert.deepEqual(wrong, []);
    assert.ok(fs.readdirSync(path.join(cache, 'builds')).some((f) => f.endsWith('.node')));
  });
}

/** Reads a file's declarations with the reader tool, in a new process with its own HOME. */
const READ_DOCS = `
const zi = require(${INDEX});
const { readZigDocs } = require(${AST});
const [file, buildDir, zig] = process.argv.slice(1);
const docs = readZigDocs(file, buildDir, zi.findZig({ zig, cacheDir: buildDir }));
console.log(JSON.stringify(docs.module.decls.add));
`;

async function readDocs(home, buildDir, file) {
  const r = await runNode(['-e', READ_DOCS, file, buildDir, ZIG], { env: childEnv({ HOME: home, ZIG_GLOBAL_CACHE_DIR, ZIGIMPORT_BUILD_DIR: buildDir }) });
  assert.equal(r.code, 0, r.stderr);
  const add = JSON.parse(r.stdout.trim());
  assert.equal(add.doc, 'Adds.');
  assert.deepEqual(
    add.params.map((p) => p.name),
    ['a', 'b'],
  );
}

test('the declaration reader runs only when its bytes match the recorded SHA-256', async (t) => {
  const base = tempDir('tool-');
  const home = path.join(base, 'home');
  const buildDir = path.join(base, 'cache');
  const file = path.join(base, 'm.zig');
  fs.writeFileSync(file, '/// Adds.\npub fn add(a: i32, b: i32) i32 {\n    return a + b;\n}\n');
  const marker = path.join(base, 'planted-tool-ran');
  const plantScript = `#!/bin/sh\ntouch '${marker}'\necho '{}'\n`;

  await readDocs(home, buildDir, file);
  const toolsDir = path.join(home, '.zigimport', 'tools');
  const record = onlyFile(toolsDir, '.sha256');
  const tool = record.slice(0, -'.sha256'.length);
  const size = fs.statSync(tool).size;
  assert.equal(fs.readFileSync(record, 'utf8').trim(), sha256(tool));

  await t.test('a truncated tool is rebuilt, and works', async () => {
    const before = fs.statSync(tool).ino;
    fs.truncateSync(tool, Math.floor(size / 2));
    await readDocs(home, buildDir, file);
    // A new build (not byte-identical: Zig records where it was built), whole again.
    assert.notEqual(fs.statSync(tool).ino, before);
    assert.ok(fs.statSync(tool).size > size * 0.9, `${fs.statSync(tool).size} bytes`);
    assert.equal(fs.readFileSync(record, 'utf8').trim(), sha256(tool));
  });

  await t.test('a tool replaced by other code (hash no longer matches) is rebuilt, never run', async () => {
    fs.writeFileSync(tool, plantScript);
    fs.chmodSync(tool, 0o700);
    await readDocs(home, buildDir, file);
    assert.equal(fs.existsSync(marker), false, 'the replaced tool ran');
    assert.equal(fs.readFileSync(record, 'utf8').trim(), sha256(tool));
  });

  await t.test('a record that does not match is rebuilt', async () => {
    const before = fs.statSync(tool).ino;
    fs.writeFileSync(record, `${'0'.repeat(64)}\n`);
    await readDocs(home, buildDir, file);
    assert.notEqual(fs.statSync(tool).ino, before, 'a new tool was put in place');
    assert.equal(fs.readFileSync(record, 'utf8').trim(), sha256(tool));
  });

  await t.test('a missing record (tool from an older zigimport) is rebuilt', async () => {
    const before = fs.statSync(tool).ino;
    fs.rmSync(record);
    await readDocs(home, buildDir, file);
    assert.notEqual(fs.statSync(tool).ino, before);
    assert.equal(fs.readFileSync(record, 'utf8').trim(), sha256(tool));
  });

  await t.test('a shared tools folder others can write is never run from, even with a matching record', async () => {
    fs.writeFileSync(tool, plantScript);
    fs.writeFileSync(record, `${sha256(tool)}\n`);
    fs.chmodSync(toolsDir, 0o777);
    try {
      // The build dir is another folder: its own tools folder serves instead.
      await readDocs(home, buildDir, file);
      assert.equal(fs.existsSync(marker), false, 'the planted tool ran');
      assert.ok(fs.readdirSync(path.join(buildDir, 'tools')).some((f) => f.endsWith('.sha256')));
    } finally {
      fs.chmodSync(toolsDir, 0o700);
    }
  });
});
