// A cached import loads the loader and the lookup, nothing of the miss path: no compile, lock,
// publish, eviction, remote cache, declarations, CLI, colours or argument parsing. Each such module
// costs every process that imports a cached .zig file its read and compile time (issue 13), and
// one stray top-level import would silently bring them back. The first import, which compiles,
// must load them: that shows the names checked here are the real ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, childEnv, runNode, tempDir } from './helpers.mjs';

const DIST = path.join(ROOT, 'dist');
/** Modules (relative to dist/, or package names) a cached import must not load. */
const MISS_ONLY = [
  /^pipeline\/(ensure|race|no-space|remote-step|many|watch)\.js$/,
  /^compile\//,
  /^project\//,
  /^types\//,
  /^cli\//,
  /^cache\/(lock|evict|live|remote|remote-exchange|usage|clear)\.js$/,
  /^toolchain\/install\.js$/,
  /^loaders\/(hooks|hooks-sync|hooks-async|cjs|hook-common|esm-source)\.js$/,
  /node_modules\/(picocolors|commander)\//,
];

/** Runs `code` in a fresh Node; it prints the modules it loaded and Node's built-ins loaded after `zigimport`. */
async function loadedModules(file, env) {
  const code = `
    const z = require(${JSON.stringify(DIST)});
    const before = process.moduleLoadList.length;
    const m = z.loadSync(${JSON.stringify(file)});
    if (m.add(2, 3) !== 5) throw new Error('wrong answer');
    const own = Object.keys(require.cache).map((f) => f.startsWith(${JSON.stringify(DIST + path.sep)}) ? f.slice(${DIST.length + 1}).split(require('path').sep).join('/') : f);
    console.log(JSON.stringify({ own, builtins: process.moduleLoadList.slice(before) }));`;
  const r = await runNode(['-e', code], { env });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const missOnly = (own) => own.filter((m) => MISS_ONLY.some((re) => re.test(m)));

test('a cached import (checksum and release mode) loads none of the miss path; the first import does', async () => {
  const dir = tempDir('cached-path-');
  const file = path.join(dir, 'simple_math.zig');
  fs.copyFileSync(path.join(ROOT, 'examples', 'simple_math.zig'), file);
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: path.join(dir, 'cache') });

  const first = await loadedModules(file, env);
  for (const expected of ['pipeline/ensure.js', 'compile/compile.js', 'cache/lock.js']) {
    assert.ok(first.own.includes(expected), `the compiling import loads ${expected} (loaded: ${first.own.join(', ')})`);
  }

  const checksum = await loadedModules(file, env);
  assert.deepEqual(missOnly(checksum.own), [], 'checksum mode: no miss-path module');
  // The lookup is bundled with the rest of the hot path (scripts/bundle-hot-path.mjs).
  assert.ok(checksum.own.includes('hot-path.js'), `the hot path's one bundle is what ran (${checksum.own.join(', ')})`);

  const release = await loadedModules(file, { ...env, ZIGIMPORT_RELEASE_MODE: '1' });
  assert.deepEqual(missOnly(release.own), [], 'release mode: no miss-path module');
  // Release mode hashes nothing: node:crypto (and the streams it brings) stays unloaded.
  assert.ok(!release.builtins.includes('NativeModule crypto'), `release mode loads no node:crypto (${release.builtins.join(', ')})`);
  assert.ok(!release.builtins.includes('NativeModule perf_hooks'), 'no perf_hooks for step times nobody logs');
});

test('require("zigimport/register") loads the hooks only, not the loader or the pipeline', async () => {
  const code = `
    require(${JSON.stringify(path.join(DIST, 'register.js'))});
    console.log(JSON.stringify(Object.keys(require.cache).map((f) => f.slice(${DIST.length + 1}).split(require('path').sep).join('/'))));`;
  const r = await runNode(['-e', code], { env: childEnv() });
  assert.equal(r.code, 0, r.stderr);
  const own = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.ok(own.includes('loaders/hooks.js'), `the hooks are loaded (${own.join(', ')})`);
  const heavy = own.filter((m) => /^(pipeline|compile|project|types|cli|toolchain|config)\/|^loaders\/load\.js$|^cache\//.test(m));
  assert.deepEqual(heavy, [], 'nothing of the loader or the pipeline before a .zig file is imported');
  // The resolver and the errors come with the first .zig specifier, not with registering.
  for (const lazy of ['loaders/specifier.js', 'loaders/hook-common.js', 'errors.js'])
    assert.ok(!own.includes(lazy), `register loads no ${lazy} (${own.join(', ')})`);
});
