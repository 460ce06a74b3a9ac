// CLI edges: bad option values and paths are usage errors (exit 2) that say what is wrong, only
// .zig files are compiled, and colours follow NO_COLOR / FORCE_COLOR / the terminal, checked on
// a real pseudo-terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childEnv, runCli, tempDir, ROOT } from './helpers.mjs';

const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts every colour code
const ANSI = /\u001b\[\d+m/;

test('bad --jobs values print the usage error and exit 2', async () => {
  for (const args of [
    ['build', '-j', '0'],
    ['build', '-j', 'abc'],
    ['types', '-j', '-3'],
    ['build', '--jobs', '1.5'],
  ]) {
    const r = await runCli([...args, tempDir('mods-')]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /--jobs must be a positive integer \(got "[^"]*"\)/, args.join(' '));
    assert.match(r.stderr, new RegExp(`Usage: zigimport ${args[0]}`));
  }
});

test('a path that does not exist is a usage error (exit 2) naming it', async () => {
  const cwd = tempDir('cwd-');
  for (const cmd of ['build', 'types', 'watch']) {
    const r = await runCli([cmd, 'missing_dir'], { cwd });
    assert.equal(r.code, 2, cmd);
    assert.match(r.stderr, /error: missing_dir: no such file or folder/);
    assert.equal(r.stdout, '');
  }
  const info = await runCli(['info', 'missing.zig'], { cwd });
  assert.equal(info.code, 2);
  assert.match(info.stderr, /missing\.zig: no such file or folder/);
});

test('files that are not .zig are refused before anything is compiled', async () => {
  const buildDir = tempDir('cache-');
  const dir = tempDir('proj-');
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"p"}');
  fs.writeFileSync(path.join(dir, 'ok.zig'), 'pub fn f() i32 {\n    return 1;\n}\n');
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: buildDir });
  for (const args of [
    ['build', 'package.json'],
    ['build', 'ok.zig', 'package.json'],
    ['types', 'package.json'],
    ['info', 'package.json'],
  ]) {
    const r = await runCli(args, { env, cwd: dir });
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /package\.json is not a \.zig file/);
  }
  assert.ok(!fs.existsSync(path.join(buildDir, 'builds')), 'nothing was built');
  const folder = await runCli(['info', dir], { env });
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /is a folder: name \.zig files/);
});

const hasScript = spawnSync('script', ['--version']).status === 0;

/** Runs the CLI on a pseudo-terminal (util-linux script); returns its output (stdout and stderr). */
function onTerminal(args, env) {
  const cmd = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { env, encoding: 'utf8' });
  return r.stdout;
}

/** The test environment without colour settings (childEnv sets NO_COLOR), then `extra`. */
function colourEnv(extra) {
  const env = childEnv({ TERM: 'xterm', ZIGIMPORT_BUILD_DIR: tempDir('cache-') });
  delete env.NO_COLOR;
  delete env.CI;
  return { ...env, ...extra };
}

test('colours on a terminal follow NO_COLOR, FORCE_COLOR and TERM', { skip: !hasScript && 'needs script(1) from util-linux' }, () => {
  const cases = [
    [{}, true],
    [{ FORCE_COLOR: '0' }, false],
    [{ FORCE_COLOR: 'false' }, false],
    [{ FORCE_COLOR: '1' }, true],
    [{ NO_COLOR: '1' }, false],
    [{ NO_COLOR: '1', FORCE_COLOR: '1' }, false],
    [{ TERM: 'dumb' }, false],
    [{ TERM: 'dumb', FORCE_COLOR: '1' }, true],
  ];
  for (const [extra, coloured] of cases) {
    const out = onTerminal(['info'], colourEnv(extra));
    assert.match(out, /Settings/, JSON.stringify(extra));
    assert.equal(ANSI.test(out), coloured, `${JSON.stringify(extra)}: ${JSON.stringify(out.slice(0, 40))}`);
    // Errors (stderr) follow the same rules.
    const err = onTerminal(['info'], colourEnv({ ...extra, ZIGIMPORT_OPTIMIZE: 'Turbo' }));
    assert.match(err, /ZIGIMPORT_OPTIMIZE must be one of/);
    assert.equal(ANSI.test(err), coloured, `stderr ${JSON.stringify(extra)}`);
  }
});

test('off a terminal: no colours unless FORCE_COLOR asks (and CI alone does not)', async () => {
  const plain = await runCli(['info'], { env: colourEnv({ CI: 'true' }) });
  assert.doesNotMatch(plain.stdout, ANSI);
  const forced = await runCli(['info'], { env: colourEnv({ FORCE_COLOR: '2' }) });
  assert.match(forced.stdout, ANSI);
});
