// Crashes and killed processes say what happened: a stack overflow in Zig is reported before the
// process ends, a compiler never outlives the Node process that started it, and printing from a
// Debug build on Zig 0.15 does not crash Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { childEnv, copyFixtures, linkPackage, ROOT, runNode, tempDir } from './helpers.mjs';

const linuxOnly = { skip: process.platform !== 'linux' };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Command line of a process as one string, or null once it is gone (or a zombie). */
function commandLine(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return null;
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return null;
  }
}

/** All processes below `root` (children, their children, ...), from /proc's ppid fields. */
function descendantsOf(root) {
  const children = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {
      // Exited meanwhile.
    }
  }
  const found = [];
  for (let i = 0, queue = [root]; i < queue.length; i++) {
    for (const child of children.get(queue[i]) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

async function waitFor(what, predicate, timeoutMs) {
  const start = Date.now();
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() - start > timeoutMs) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * Starts a compile of `file` with `call` (z.loadSync or z.load), SIGKILLs Node once a compiler
 * (`build-lib`) runs somewhere below it, and checks that every process Node had started is gone
 * within 200 ms (the compiler, and for `zig build` the build runner too).
 */
async function killMidCompile(call, file) {
  const script = `const z = require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))}); ${call}(${JSON.stringify(file)});`;
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('build-') });
  const node = spawn(process.execPath, ['-e', script], { env, stdio: 'ignore' });
  let started = [];
  try {
    const compiler = await waitFor('the compiler to start', () => descendantsOf(node.pid).find((pid) => commandLine(pid)?.includes('build-lib')), 30_000);
    // Let it get into the compile (stdin read, analysis running) before pulling the plug.
    await sleep(500);
    assert.ok(commandLine(compiler), 'the compiler is still compiling when Node is killed');
    started = descendantsOf(node.pid);
    process.kill(node.pid, 'SIGKILL');
    const killedAt = Date.now();
    await waitFor('every process Node started to end with it', () => started.every((pid) => commandLine(pid) === null), 2_000);
    const lived = Date.now() - killedAt;
    assert.ok(lived < 200, `processes outlived Node by ${lived} ms`);
  } finally {
    node.kill('SIGKILL');
    for (const pid of started) if (commandLine(pid)) process.kill(pid, 'SIGKILL');
  }
}

function slowModule() {
  return path.join(copyFixtures('slow_comptime.zig'), 'slow_comptime.zig');
}

/** The slow module inside a Zig project (a build.zig.zon beside it): compiled through `zig build`. */
function slowProjectModule() {
  const file = slowModule();
  const name = 'slow_project';
  const fingerprint = `0x${(crc32(name) >>> 0).toString(16).padStart(8, '0')}${randomBytes(4)
    .toString('hex')
    .replace(/^0{8}$/, '00000001')}`;
  fs.writeFileSync(
    path.join(path.dirname(file), 'build.zig.zon'),
    `.{\n    .name = .${name},\n    .version = "0.0.1",\n    .fingerprint = ${fingerprint},\n    .paths = .{""},\n}\n`,
  );
  return file;
}

test('a compiler started by loadSync ends when Node is killed mid-compile', linuxOnly, async () => {
  await killMidCompile('z.loadSync', slowModule());
});

test('a compiler started by load() ends when Node is killed mid-compile', linuxOnly, async () => {
  await killMidCompile('z.load', slowModule());
});

test('zig build, its build runner and its compiler end when Node is killed mid-compile', linuxOnly, async () => {
  await killMidCompile('z.loadSync', slowProjectModule());
});

test('printing from a Debug build never crashes Node (20 runs through the ESM hook)', async () => {
  const dir = copyFixtures('debug_print.zig');
  linkPackage(dir);
  fs.writeFileSync(path.join(dir, 'main.mjs'), "import { hello } from './debug_print.zig';\nhello(new Uint32Array([1, 2, 3]));\n");
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('build-'), ZIGIMPORT_OPTIMIZE: 'Debug' });
  for (let run = 1; run <= 20; run++) {
    const r = await runNode(['--import', 'zigimport/register', 'main.mjs'], { cwd: dir, env });
    assert.deepEqual({ run, code: r.code, signal: r.signal, stderr: r.stderr }, { run, code: 0, signal: null, stderr: 'hi\n' });
  }
});

// ------------------------------------------------------------------ stack overflow reports

const overflowDir = copyFixtures('deep_recursion.zig', 'debug_print.zig');
const overflowBuild = tempDir('build-');
const INDEX = JSON.stringify(path.join(ROOT, 'dist', 'index.js'));

/** Runs `body` in a node process where `m` is the deep_recursion module built in `optimize` mode. */
function runWithAddon(body, optimize = 'Debug') {
  const file = JSON.stringify(path.join(overflowDir, 'deep_recursion.zig'));
  const script = `const z = require(${INDEX}); const m = z.loadSync(${file}); ${body}`;
  return runNode(['-e', script], { env: childEnv({ ZIGIMPORT_BUILD_DIR: overflowBuild, ZIGIMPORT_OPTIMIZE: optimize }) });
}

const escaped = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The message, then the innermost frame at the fixture's own path and line. */
const REPORT = new RegExp(
  `^zigimport: stack overflow in recurse\\(\\) \\(deep_recursion\\.zig:\\d+\\)\n {4}at recurse \\(${escaped(path.join(fs.realpathSync(overflowDir), 'deep_recursion.zig'))}:\\d+:\\d+\\)\n`,
  'm',
);

for (const optimize of ['Debug', 'ReleaseSafe']) {
  test(`a stack overflow in Zig names the function before the process ends with SIGSEGV (${optimize})`, linuxOnly, async () => {
    const r = await runWithAddon('m.recurse(0);', optimize);
    assert.equal(r.signal, 'SIGSEGV', r.stderr);
    assert.match(r.stderr, REPORT);
    assert.equal(r.stderr.match(/stack overflow/g).length, 1, r.stderr);
  });
}

test('a stack overflow in an async Zig function (libuv pool thread) is reported too', linuxOnly, async () => {
  const r = await runWithAddon('m.recurseAsync(0).then(() => console.log("returned"));');
  assert.equal(r.signal, 'SIGSEGV', r.stderr);
  assert.match(r.stderr, REPORT);
  assert.equal(r.stdout, '');
});

test('a stack overflow in a worker thread that loaded the addon is reported too', linuxOnly, async () => {
  const file = JSON.stringify(path.join(overflowDir, 'deep_recursion.zig'));
  const worker = `require(${INDEX}).loadSync(${file}).recurse(0);`;
  const r = await runWithAddon(`new (require('node:worker_threads').Worker)(${JSON.stringify(worker)}, { eval: true });`);
  assert.equal(r.signal, 'SIGSEGV', r.stderr);
  assert.match(r.stderr, REPORT);
});

test('a fault that is not a stack overflow is left to Node: SIGSEGV, no report', linuxOnly, async () => {
  const r = await runWithAddon('m.writeUnmapped();');
  assert.equal(r.signal, 'SIGSEGV');
  assert.doesNotMatch(r.stderr, /stack overflow/);
});

// (module (memory 1) (func (export "oob") (result i32) (i32.load (i32.const 70000))))
const OOB_WASM = '0061736d010000000105016000017f030201000503010001070701036f6f6200000a0b01090041f0a2042802000b';

test('WebAssembly out-of-bounds accesses still throw a RuntimeError in a process with an addon', linuxOnly, async () => {
  const r = await runWithAddon(`
    const wasm = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from('${OOB_WASM}', 'hex')));
    for (let i = 0; i < 3; i++) {
      try { wasm.exports.oob(); console.log('no trap'); } catch (err) { console.log(err.constructor.name); }
    }
    console.log(typeof m.recurse);`);
  assert.deepEqual(
    { code: r.code, signal: r.signal, stdout: r.stdout },
    { code: 0, signal: null, stdout: 'RuntimeError\nRuntimeError\nRuntimeError\nfunction\n' },
  );
});

test('with two addons loaded, an overflow in the first is reported once (handlers chain)', linuxOnly, async () => {
  const second = JSON.stringify(path.join(overflowDir, 'debug_print.zig'));
  const r = await runWithAddon(`z.loadSync(${second}); m.recurse(0);`);
  assert.equal(r.signal, 'SIGSEGV', r.stderr);
  assert.match(r.stderr, REPORT);
  assert.equal(r.stderr.match(/stack overflow/g).length, 1, r.stderr);
});
