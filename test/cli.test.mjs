// The zigimport command: build (parallel, exit codes), info, enable/disable, toolchain list,
// clear-cache, help and usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childEnv, runCli, tempDir, writeSource } from './helpers.mjs';

test('build compiles every module under a folder in parallel, skipping imported helpers; second run is cached', async () => {
  const buildDir = tempDir('cache-');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: buildDir });
  const dir = tempDir('mods-');
  writeSource(path.join(dir, 'one.zig'), 'const h = @import("lib/helper.zig");\npub fn value() i32 {\n    return h.x;\n}\n');
  fs.mkdirSync(path.join(dir, 'lib'));
  writeSource(path.join(dir, 'lib', 'helper.zig'), 'pub const x: i32 = 1;\n');
  writeSource(path.join(dir, 'two.zig'), 'pub fn value() i32 {\n    return 2;\n}\n');
  writeSource(path.join(dir, 'build.zig'), 'this is not a module\n');

  const first = await runCli(['build', dir], { env });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /one\.zig built in/);
  assert.match(first.stdout, /two\.zig built in/);
  assert.doesNotMatch(first.stdout, /helper\.zig|build\.zig/);
  assert.match(first.stdout, /2 built or cached, 0 failed/);

  const second = await runCli(['build', dir], { env });
  assert.match(second.stdout, /one\.zig cached/);
  assert.equal(second.stderr, '', 'not a TTY: no progress output');

  const forced = await runCli(['build', '--force', '-j', '1', path.join(dir, 'two.zig')], { env });
  assert.match(forced.stdout, /two\.zig built in/);
});

test('build exits 1 when a module fails and shows the error at the user line', async () => {
  const dir = tempDir('mods-');
  writeSource(path.join(dir, 'bad.zig'), 'pub fn value() i32 {\n    return nope;\n}\n');
  const r = await runCli(['build', dir], { env: childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('cache-') }) });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /bad\.zig:2:12: error: use of undeclared identifier 'nope'/);
  assert.match(r.stdout, /0 built or cached, 1 failed/);
});

test('usage errors exit 2; --help exits 0 everywhere', async () => {
  assert.equal((await runCli(['frobnicate'])).code, 2);
  assert.equal((await runCli(['build', '--optimize', 'Fastest'])).code, 2);
  assert.equal((await runCli(['build', '--jobs', '0'])).code, 2);
  for (const args of [['--help'], ['build', '--help'], ['toolchain', 'install', '--help'], ['info', '--help']]) {
    const r = await runCli(args);
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, /Usage: zigimport/);
  }
  const bad = await runCli(['info'], { env: childEnv({ ZIGIMPORT_OPTIMIZE: 'Turbo' }) });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /ZIGIMPORT_OPTIMIZE must be one of/);
});

test('info shows each setting with its source, the Zig in use and the cache', async () => {
  const project = tempDir('proj-');
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'p', zigimport: { optimize: 'ReleaseSmall' } }));
  const buildDir = tempDir('cache-');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: buildDir, ZIGIMPORT_VERBOSE: 'yes' });
  const r = await runCli(['info', '--json'], { env, cwd: project });
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.deepEqual(info.settings.optimize, { value: 'ReleaseSmall', source: 'package.json', env: 'ZIGIMPORT_OPTIMIZE' });
  assert.deepEqual(info.settings.verbose, { value: true, source: 'env', env: 'ZIGIMPORT_VERBOSE' });
  assert.equal(info.settings.timeout.source, 'default');
  assert.match(info.zig.version, /^0\.1[5-7]\./);
  assert.equal(info.zig.source, 'ZIGIMPORT_ZIG');
  assert.equal(info.cache.dir, buildDir);
  const text = await runCli(['info'], { env, cwd: project });
  assert.match(text.stdout, /ZIGIMPORT_OPTIMIZE\s+ReleaseSmall\s+from package\.json/);
  assert.match(text.stdout, /0 build\(s\)/);
});

test('enable/disable edit node-options in .npmrc, idempotently, keeping other options', async () => {
  const project = tempDir('proj-');
  fs.writeFileSync(path.join(project, 'package.json'), '{"name":"p"}');
  const npmrc = path.join(project, '.npmrc');
  fs.writeFileSync(npmrc, 'fund=false\nnode-options="--max-old-space-size=4096"\n');
  assert.equal((await runCli(['enable'], { cwd: project })).code, 0);
  const enabled = fs.readFileSync(npmrc, 'utf8');
  assert.equal(enabled, 'fund=false\nnode-options="--max-old-space-size=4096 --import zigimport/register"\n');
  assert.match((await runCli(['enable'], { cwd: project })).stdout, /already enabled/);
  assert.equal(fs.readFileSync(npmrc, 'utf8'), enabled);
  await runCli(['disable'], { cwd: project });
  assert.equal(fs.readFileSync(npmrc, 'utf8'), 'fund=false\nnode-options="--max-old-space-size=4096"\n');

  // From a subfolder, with no .npmrc yet: created at the project root, removed again when empty.
  const other = tempDir('proj-');
  fs.writeFileSync(path.join(other, 'package.json'), '{"name":"q"}');
  fs.mkdirSync(path.join(other, 'src'));
  await runCli(['enable'], { cwd: path.join(other, 'src') });
  assert.equal(fs.readFileSync(path.join(other, '.npmrc'), 'utf8'), 'node-options="--import zigimport/register"\n');
  await runCli(['disable'], { cwd: path.join(other, 'src') });
  assert.equal(fs.existsSync(path.join(other, '.npmrc')), false);
});

test('clear-cache empties the cache but keeps toolchains; toolchain list shows what is installed', async () => {
  const buildDir = tempDir('cache-');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: buildDir });
  const dir = tempDir('mods-');
  writeSource(path.join(dir, 'm.zig'), 'pub fn value() i32 {\n    return 3;\n}\n');
  assert.equal((await runCli(['build', dir], { env })).code, 0);
  const fakeToolchain = path.join(buildDir, 'toolchains', '0.17.1', 'ziglang');
  fs.mkdirSync(fakeToolchain, { recursive: true });
  fs.writeFileSync(path.join(fakeToolchain, 'zig'), '#!/bin/sh\necho 0.17.1\n', { mode: 0o755 });

  const list = await runCli(['toolchain', 'list'], { env });
  assert.match(list.stdout, new RegExp(`0\\.17\\.1\\s+${fakeToolchain.replace(/[.]/g, '\\.')}`));
  assert.match(list.stdout, /in use: /);

  const cleared = await runCli(['clear-cache'], { env });
  assert.equal(cleared.code, 0);
  assert.match(cleared.stdout, /MiB freed|KiB freed/);
  assert.equal(fs.existsSync(path.join(buildDir, 'builds')), false);
  assert.equal(fs.existsSync(path.join(fakeToolchain, 'zig')), true, 'toolchains are kept');
});

test('on a terminal, build shows live progress (file and elapsed time)', async () => {
  const dir = tempDir('mods-');
  writeSource(path.join(dir, 'tty_mod.zig'), 'pub fn value() i32 {\n    return 9;\n}\n');
  const cli = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'dist', 'cli', 'main.js');
  // `script` runs the command on a pseudo-terminal, as a user's shell would.
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync('script', ['-qec', `${process.execPath} ${cli} build ${dir}`, '/dev/null'], {
    env: childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('cache-') }),
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /compiling.*tty_mod\.zig \d+\.\ds/);
  assert.match(r.stdout, /tty_mod\.zig built in/);
});

test('info file.zig lists every export with its JS signature and what was skipped, and why', async () => {
  const fixture = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures', 'core_types.zig');
  const env = childEnv({ ZIGIMPORT_TYPES: '0' });
  const r = await runCli(['info', fixture], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /export declare function add\(a: number, b: number\): number;/, 'names from the Zig source, types from the binding');
  assert.match(r.stdout, /export declare function fibonacci\(n: number\): bigint;/);
  assert.match(r.stdout, /skipped:\n[\s\S]*show: .*anytype/);
  const json = JSON.parse((await runCli(['info', '--json', fixture], { env })).stdout);
  assert.equal(json[0].file, fixture);
  assert.deepEqual(
    json[0].exports.find((e) => e.name === 'add').params.map((p) => p.kind),
    ['number', 'number'],
  );
});
