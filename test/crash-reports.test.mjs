// Crashes and killed processes say what happened: a stack overflow in Zig is reported before the
// process ends, a compiler never outlives the Node process that started it, and printing from a
// Debug build on Zig 0.15 does not crash Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childEnv, copyFixtures, linkPackage, ROOT, runNode, tempDir } from './helpers.mjs';

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

/** Children of `parent` (by /proc/<pid>/stat's ppid field). */
function childrenOf(parent) {
  const found = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) found.push(Number(name));
    } catch {
      // Exited meanwhile.
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

/** Starts a compile of the slow fixture with `call`, SIGKILLs Node once its compiler runs, and checks the compiler ends. */
async function killMidCompile(call) {
  const dir = copyFixtures('slow_comptime.zig');
  const file = path.join(dir, 'slow_comptime.zig');
  const script = `const z = require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))}); ${call}(${JSON.stringify(file)});`;
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('build-') });
  const node = spawn(process.execPath, ['-e', script], { env, stdio: 'ignore' });
  let compiler;
  try {
    compiler = await waitFor('the compiler to start', () => childrenOf(node.pid).find((pid) => commandLine(pid)?.includes('build-lib')), 20_000);
    // Let it get into the compile (stdin read, analysis running) before pulling the plug.
    await sleep(500);
    assert.ok(commandLine(compiler), 'the compiler is still compiling when Node is killed');
    process.kill(node.pid, 'SIGKILL');
    const killedAt = Date.now();
    await waitFor('the compiler to end with its parent', () => commandLine(compiler) === null, 2_000);
    const lived = Date.now() - killedAt;
    assert.ok(lived < 200, `the compiler outlived Node by ${lived} ms`);
  } finally {
    node.kill('SIGKILL');
    if (compiler && commandLine(compiler)) process.kill(compiler, 'SIGKILL');
  }
}

test('a compiler started by loadSync ends when Node is killed mid-compile', { skip: process.platform !== 'linux' }, async () => {
  await killMidCompile('z.loadSync');
});

test('a compiler started by load() ends when Node is killed mid-compile', { skip: process.platform !== 'linux' }, async () => {
  await killMidCompile('z.load');
});

test('printing from a Debug build never crashes Node (20 runs through the ESM hook)', async () => {
  const dir = copyFixtures('debug_print.zig');
  linkPackage(dir);
  fs.writeFileSync(path.join(dir, 'main.mjs'), "import { hello } from './debug_print.zig';\nhello([1, 2, 3]);\n");
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('build-'), ZIGIMPORT_OPTIMIZE: 'Debug' });
  for (let run = 1; run <= 20; run++) {
    const r = await runNode(['--import', 'zigimport/register', 'main.mjs'], { cwd: dir, env });
    assert.deepEqual({ run, code: r.code, signal: r.signal, stderr: r.stderr }, { run, code: 0, signal: null, stderr: 'hi\n' });
  }
});
