// The trace object (src/compile/trace-object.ts, zig/traces_object.zig): Debug and ReleaseSafe
// addons on Linux link std's stack trace machinery from an object built once into `tools/`,
// instead of compiling it each time. Panic traces must still name the user's file and line, a
// damaged object must be rebuilt before it is linked, and the object is no input of the build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childEnv, ROOT, tempDir, writeSource } from './helpers.mjs';

const linuxOnly = { skip: process.platform !== 'linux' };
const distIndex = path.join(ROOT, 'dist', 'index.js');

const source = (name) => `
pub fn ${name}(n: u32) u32 {
    const xs = [_]u32{ 1, 2, 3 };
    return xs[n];
}
`;

/** A private home (its tools folder is this test's alone) and build dir. */
function sandbox() {
  const home = tempDir('trace-home-');
  return { home, buildDir: tempDir('trace-build-'), tools: path.join(home, '.zigimport', 'tools') };
}

/** Loads `file` in a fresh process and runs `body`; returns the process result. */
function run(box, file, optimize, body) {
  const script = `const { loadSync } = require(${JSON.stringify(distIndex)});
    const m = loadSync(${JSON.stringify(file)}, { optimize: ${JSON.stringify(optimize)} });
    ${body}`;
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: childEnv({ HOME: box.home, ZIGIMPORT_BUILD_DIR: box.buildDir }) });
}

function traceObjects(box) {
  if (!fs.existsSync(box.tools)) return [];
  return fs.readdirSync(box.tools).filter((f) => /^zigimport-traces-.*\.o$/.test(f));
}

const sha256 = (file) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function fixture(name) {
  const file = path.join(tempDir('trace-src-'), `${name}.zig`);
  writeSource(file, source(name));
  return file;
}

/** A panic (index 7 of 3) whose trace names the user's file and line 4 (the indexing). */
function assertTracedPanic(box, file, optimize) {
  const name = path.basename(file, '.zig');
  const r = run(box, file, optimize, `m.${name}(7);`);
  assert.equal(r.signal, 'SIGABRT', `status ${r.status}, stderr: ${r.stderr}`);
  assert.match(r.stderr, /panic: index out of bounds: index 7, len 3/);
  // The function is named too, except where an optimizer inlined it (ReleaseSafe on Zig 0.15).
  assert.match(r.stderr, new RegExp(`${name}\\.zig:4:\\d+: 0x[0-9a-f]+ in \\w+`), r.stderr);
}

test('a Debug addon links the trace object from tools/: hash-recorded, not a build input, and its panics name file:line', linuxOnly, () => {
  const box = sandbox();
  const file = fixture('first');
  const ok = run(box, file, 'Debug', `console.log(m.first(1));`);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), '2');
  const objects = traceObjects(box);
  assert.equal(objects.length, 1, `tools: ${objects}`);
  assert.match(objects[0], /-Debug-/);
  const object = path.join(box.tools, objects[0]);
  assert.equal(fs.readFileSync(`${object}.sha256`, 'utf8').trim(), sha256(object));
  assert.equal(fs.statSync(object).mode & 0o077, 0, 'private to its owner');
  // The build's record lists the user's file only.
  const entries = fs.readdirSync(path.join(box.buildDir, 'entries')).filter((f) => f.endsWith('.json') && !f.includes('verified'));
  const inputs = entries.flatMap((f) => JSON.parse(fs.readFileSync(path.join(box.buildDir, 'entries', f), 'utf8')).inputs ?? []);
  assert.deepEqual(
    inputs.map((i) => i.path),
    [file],
  );
  assertTracedPanic(box, file, 'Debug');
});

test('a damaged trace object is rebuilt before the next compile links it', linuxOnly, () => {
  const box = sandbox();
  const first = fixture('one');
  assert.equal(run(box, first, 'Debug', 'm.one(0);').status, 0);
  const [name] = traceObjects(box);
  const object = path.join(box.tools, name);
  fs.truncateSync(object, 4096);
  // Another module: a miss, so a compile that would link the object.
  const second = fixture('two');
  const r = run(box, second, 'Debug', 'console.log(m.two(2));');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '3');
  // Rebuilt (not byte for byte: the object names its build folder), and recorded again.
  assert.ok(fs.statSync(object).size > 1 << 20, 'rebuilt to its full size');
  assert.equal(fs.readFileSync(`${object}.sha256`, 'utf8').trim(), sha256(object));
  assertTracedPanic(box, second, 'Debug');
});

test('ReleaseFast builds no trace object; ReleaseSafe gets its own', linuxOnly, () => {
  const box = sandbox();
  const file = fixture('modes');
  assert.equal(run(box, file, 'ReleaseFast', 'm.modes(0);').status, 0);
  assert.deepEqual(traceObjects(box), []);
  assertTracedPanic(box, file, 'ReleaseSafe');
  assert.deepEqual(
    traceObjects(box).map((f) => /-(Debug|ReleaseSafe)-/.exec(f)?.[1]),
    ['ReleaseSafe'],
  );
});

test('an object altered in place (same size, mtime put back) after its identity was recorded is still rebuilt', linuxOnly, async () => {
  const box = sandbox();
  assert.equal(run(box, fixture('early'), 'Debug', 'm.early(0);').status, 0);
  const [name] = traceObjects(box);
  const object = path.join(box.tools, name);
  // Identities are recorded only once older than the 2 s racy margin (src/cache/verified.ts).
  await new Promise((resolve) => setTimeout(resolve, 2500));
  assert.equal(run(box, fixture('later'), 'Debug', 'm.later(0);').status, 0);
  assert.ok(fs.existsSync(`${object}.identity`), 'the verified identity is recorded');
  const { size, atime, mtime } = fs.statSync(object);
  const fd = fs.openSync(object, 'r+');
  fs.writeSync(fd, Buffer.alloc(4096, 0x90), 0, 4096, Math.floor(size / 2));
  fs.closeSync(fd);
  fs.utimesSync(object, atime, mtime);
  const tampered = sha256(object);
  const third = fixture('third');
  const r = run(box, third, 'Debug', 'console.log(m.third(1));');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '2');
  assert.notEqual(sha256(object), tampered, 'rebuilt, not linked as it was');
  assert.equal(fs.readFileSync(`${object}.sha256`, 'utf8').trim(), sha256(object));
  assertTracedPanic(box, third, 'Debug');
});
