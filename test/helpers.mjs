// Shared test helpers: real Zig, real Node processes, temporary folders.
//
// Every folder a test uses is inside the run folder of this test run (test/support/hermetic.mjs):
// `npm test` (scripts/test.mjs) creates one per run and passes it as ZIGIMPORT_TEST_RUN_DIR, with a
// fresh HOME; a test file run on its own (`node --test test/x.test.mjs`) gets a fresh one for its
// process, removed when it exits.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { RUN_DIR_VAR, TOOLCHAINS_HOME_VAR, createRunDir, finishRunDir, hermeticEnv, runLayout } from './support/hermetic.mjs';

export const require = createRequire(import.meta.url);
export const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const TRACE_SPAWN = path.join(ROOT, 'test', 'support', 'trace-spawn.cjs');
export const zigimport = require('../dist/index.js');

/** The Zig the tests use: ZIGIMPORT_ZIG, or whatever zigimport itself finds. Fails loudly when none. */
function findTestZig(buildDir) {
  return zigimport.findZig({ zig: process.env.ZIGIMPORT_ZIG || undefined, cacheDir: buildDir }).path;
}

/** This run's folder: the runner's, or a fresh one for this process (found Zig first: HOME changes). */
const RUN_DIR = (() => {
  if (process.env[RUN_DIR_VAR]) return process.env[RUN_DIR_VAR];
  const runDir = createRunDir();
  const zig = findTestZig(runLayout(runDir).build);
  const env = hermeticEnv(process.env, runDir, zig);
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
  process.on('exit', () => {
    const note = finishRunDir(runDir);
    if (note) process.stderr.write(`${note}\n`);
  });
  return runDir;
})();

/** A cache shared by every test file of this run, so a fixture is compiled once per run. */
export const SHARED_BUILD_DIR = runLayout(RUN_DIR).build;

export const ZIG = findTestZig(SHARED_BUILD_DIR);

/** The release a test run installs for a line it compares against (as `.ci/run` does). */
const TEST_RELEASES = { '0.15': '0.15.2', '0.16': '0.16.0', '0.17': '0.17.1' };

/**
 * The Zig of a release line such as '0.15', for tests that compare releases: an installed one
 * (`zigimport toolchain install`, in the real HOME's zigimport folder, or this run's), else this
 * run's own Zig if it is of that line, else the line's release installed now into the real HOME's
 * zigimport folder (a toolchain, like Zig's global cache, is shared between runs: it is pinned
 * by version, and a fresh machine gets it the same way). Fails with the installer's output.
 */
export function installedZig(release) {
  const { findZig, listInstalled } = require('../dist/toolchain/find.js');
  const homes = [process.env[TOOLCHAINS_HOME_VAR], SHARED_BUILD_DIR].filter(Boolean);
  const installed = () => homes.flatMap((home) => listInstalled(home)).find((t) => t.version.startsWith(`${release}.`));
  const found = installed();
  if (found) return found.path;
  const own = findZig({ zig: ZIG, cacheDir: SHARED_BUILD_DIR });
  if (own.version.startsWith(`${release}.`)) return own.path;
  const version = TEST_RELEASES[release];
  if (!version) throw new Error(`no Zig ${release}.x for this test: run \`node dist/cli/main.js toolchain install ${release}.<patch>\``);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli', 'main.js'), 'toolchain', 'install', version], {
    env: { ...process.env, ZIGIMPORT_BUILD_DIR: homes[0] },
    encoding: 'utf8',
  });
  const now = installed();
  if (r.status !== 0 || !now) throw new Error(`Zig ${release}.x is not installed and \`toolchain install ${version}\` failed:\n${r.stderr}${r.stdout}`);
  return now.path;
}

/**
 * A fixture module built with Zig `release` (shared build folder, no declarations written), its
 * parsed descriptor, and a lookup of one export's descriptor entry by name.
 */
export function fixtureOnRelease(file, release) {
  const m = require('../dist/index.js').loadSync(file, { cacheDir: SHARED_BUILD_DIR, zig: installedZig(release), types: false });
  const desc = JSON.parse(m.__zigimport_describe());
  return { m, desc, find: (name) => desc.exports.find((e) => e.name === name) };
}

/** A new empty folder inside this run's folder. */
export function tempDir(prefix = 'zi-') {
  const parent = runLayout(RUN_DIR).tmp;
  fs.mkdirSync(parent, { recursive: true });
  return fs.mkdtempSync(path.join(parent, prefix));
}

/** Copies fixture files into a new temp folder (for tests that edit them); returns the folder. */
export function copyFixtures(...names) {
  const dir = tempDir('fx-');
  for (const name of names) fs.copyFileSync(path.join(FIXTURES, name), path.join(dir, path.basename(name)));
  return dir;
}

/** Makes `zigimport` importable from `dir` (node_modules/zigimport -> this repo). */
export function linkPackage(dir) {
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  const link = path.join(dir, 'node_modules', 'zigimport');
  if (!fs.existsSync(link)) fs.symlinkSync(ROOT, link, 'dir');
}

/** Environment for a child: explicit Zig and cache, no inherited zigimport settings. */
export function childEnv(extra = {}) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('ZIGIMPORT_')) delete env[key];
  delete env.NODE_OPTIONS;
  delete env.FORCE_COLOR;
  // Plain text to match against (picocolors turns colours on under CI=true).
  return { ...env, NO_COLOR: '1', ZIGIMPORT_ZIG: ZIG, ZIGIMPORT_BUILD_DIR: SHARED_BUILD_DIR, ...extra };
}

/**
 * Runs node with `args`; resolves { code, signal, stdout, stderr, spawns } where `spawns` lists the
 * child processes the run started (when `trace` is on).
 */
export function runNode(args, { cwd = ROOT, env = childEnv(), node = process.execPath, trace = false, input } = {}) {
  const fullArgs = trace ? ['--require', TRACE_SPAWN, ...args] : args;
  return new Promise((resolve, reject) => {
    const child = spawn(node, fullArgs, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.stdin.end(input ?? '');
    child.on('close', (code, signal) => {
      const m = /\nSPAWNS=(.*)\n/.exec(stderr);
      const spawns = m ? JSON.parse(m[1]) : undefined;
      if (m) stderr = stderr.replace(m[0], '');
      resolve({ code, signal, stdout, stderr, spawns });
    });
  });
}

/** Runs the zigimport CLI. */
export function runCli(args, opts = {}) {
  return runNode([path.join(ROOT, 'dist', 'cli', 'main.js'), ...args], opts);
}

/** Writes a file, making sure its mtime moves even on coarse-grained filesystems. */
export function writeSource(file, text) {
  fs.writeFileSync(file, text);
}

/** Extra Node binaries to run the hook tests with (set by .ci/run): ZIGIMPORT_TEST_NODES=a:b:c. */
export function extraNodes() {
  return (process.env.ZIGIMPORT_TEST_NODES ?? '').split(path.delimiter).filter(Boolean);
}

/** test/support/probe.cjs: loads a module in a child and prints `{ ok, value, ... }` as JSON. */
export const PROBE = path.join(ROOT, 'test', 'support', 'probe.cjs');

/**
 * Imports `file` in a fresh node process through the probe; returns what it printed plus the
 * child's signal, the processes it started (`spawns`, when `trace` is on) and its stderr.
 */
export async function probeImport(file, env, trace = true) {
  const r = await runNode([PROBE, file], { env, trace });
  const line = r.stdout.trim().split('\n').pop();
  if (!line) throw new Error(`probe printed nothing (signal ${r.signal}); stderr:\n${r.stderr}`);
  return { ...JSON.parse(line), signal: r.signal, spawns: r.spawns, stderr: r.stderr };
}

/** How many compiles a traced run started. */
export const countCompiles = (spawns) => spawns.filter((s) => s.includes('build-lib')).length;

/** Asserts that `fn` throws an error named `name` (TypeError, RangeError, ...) whose message matches. */
export function throwsLike(fn, name, message) {
  assert.throws(fn, (err) => {
    assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
    assert.match(err.message, message);
    return true;
  });
}

/**
 * Type-checks `test/fixtures/ts/<name>.mts` against `declarations` (as `<name>.d.zig.ts`) with
 * tsc: it must pass, and with its `// @ts-expect-error` directives removed, exactly the lines they
 * covered must fail (none of them is superfluous).
 */
export function assertTypeChecksWithNeededDirectives(name, declarations) {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = (dir) => spawnSync(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
  const dir = tempDir(`ts-${name}-`);
  fs.copyFileSync(path.join(FIXTURES, 'ts', 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  fs.writeFileSync(path.join(dir, `${name}.d.zig.ts`), declarations);
  const source = fs.readFileSync(path.join(FIXTURES, 'ts', `${name}.mts`), 'utf8');
  fs.writeFileSync(path.join(dir, `${name}.mts`), source);
  const ok = run(dir);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  const expected = source.split('\n').filter((l) => /^\s*\/\/ @ts-expect-error/.test(l)).length;
  assert.ok(expected > 0, `${name}.mts has no @ts-expect-error line to check`);
  fs.writeFileSync(path.join(dir, `${name}.mts`), source.replaceAll('// @ts-expect-error', '// (wrong)'));
  const bad = run(dir);
  const where = new RegExp(`${name}\\.mts\\((\\d+),`);
  const lines = new Set(bad.stdout.split('\n').flatMap((l) => l.match(where)?.[1] ?? []));
  assert.equal(lines.size, expected, bad.stdout);
}
