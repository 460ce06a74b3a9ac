// Crash safety and concurrency: racing processes compile once, a killed build leaves nothing
// loadable, and a lock left by a dead process is taken over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { childEnv, runNode, tempDir, writeSource, ROOT } from './helpers.mjs';

const PROBE = path.join(ROOT, 'test', 'support', 'probe.cjs');

function newModule(n) {
  const file = path.join(tempDir('src-'), 'race.zig');
  writeSource(file, `pub fn value() i32 {\n    return ${n};\n}\n`);
  return file;
}

async function probe(file, env) {
  const r = await runNode([PROBE, file], { env, trace: true });
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  return { ...out, compiles: r.spawns.filter((s) => s.includes('build-lib')).length };
}

test('N processes importing the same new module compile it once', async () => {
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('cache-') });
  const file = newModule(41);
  const results = await Promise.all([probe(file, env), probe(file, env), probe(file, env)]);
  for (const r of results) assert.equal(r.value, 41);
  assert.equal(
    results.reduce((sum, r) => sum + r.compiles, 0),
    1,
    'exactly one compile across all processes',
  );
});

test('a build killed with SIGKILL mid-compile leaves nothing a later import loads; its lock is taken over', async () => {
  const buildDir = tempDir('cache-');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: buildDir, ZIGIMPORT_TIMEOUT: '600' });
  const file = newModule(43);
  const child = spawn(process.execPath, [PROBE, file], { env, stdio: 'ignore' });
  const exited = new Promise((r) => child.on('exit', (_code, signal) => r(signal)));

  // Wait until the compiler is running (its private temp folder exists), then kill the importer.
  const tmp = path.join(buildDir, 'tmp');
  const deadline = Date.now() + 30_000;
  while (!(fs.existsSync(tmp) && fs.readdirSync(tmp).length > 0)) {
    assert.ok(Date.now() < deadline, 'compile never started');
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');

  const builds = path.join(buildDir, 'builds');
  const manifests = fs.existsSync(builds) ? fs.readdirSync(builds).filter((f) => f.endsWith('.json')) : [];
  assert.deepEqual(manifests, [], 'no manifest: nothing is loadable');
  const locks = fs.readdirSync(path.join(buildDir, 'locks'));
  assert.equal(locks.length, 1, 'the dead process left its lock behind');

  const started = Date.now();
  const after = await probe(file, env);
  assert.equal(after.value, 43);
  assert.equal(after.compiles, 1);
  assert.ok(Date.now() - started < 60_000, 'the stale lock was taken over, not waited out');
});

test('a lock file naming a dead process is taken over at once', async () => {
  const buildDir = tempDir('cache-');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: buildDir, ZIGIMPORT_TIMEOUT: '600', ZIGIMPORT_VERBOSE: '1' });
  const file = newModule(44);
  // Learn the key by building once, then remove the build and plant a lock owned by a dead pid.
  assert.equal((await probe(file, env)).value, 44);
  const [manifest] = fs.readdirSync(path.join(buildDir, 'builds')).filter((f) => f.endsWith('.json'));
  const key = manifest.replace(/\.json$/, '');
  fs.rmSync(path.join(buildDir, 'builds'), { recursive: true });
  const deadPid = 2 ** 22 + 12345; // above Linux's pid_max default: never a live process
  fs.writeFileSync(path.join(buildDir, 'locks', `${key}.lock`), JSON.stringify({ pid: deadPid, host: os.hostname(), startedAt: Date.now() }));
  const r = await probe(file, env);
  assert.equal(r.value, 44);
  assert.equal(r.compiles, 1);
});
