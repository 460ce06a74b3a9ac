// Helpers of the prebuild tests: an author's copy of examples/prebuilt_package, `zigimport
// prebuild` run in it, `npm pack`, and a consumer folder with the tarball installed the way npm
// lays it out (node_modules/<name>, zigimport beside it) and an environment with no Zig at all.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, childEnv, runCli, runNode, tempDir } from '../helpers.mjs';

export const EXAMPLE = path.join(ROOT, 'examples', 'prebuilt_package');
export const PACKAGE_NAME = 'zigimport-example-prebuilt';
export const CONSUMER = path.join(ROOT, 'test', 'support', 'prebuild-consumer.cjs');
/** The consumer for a WebAssembly prebuild (`sumAsync` rejects there): `runConsumer(..., { script: WASM_CONSUMER })`. */
export const WASM_CONSUMER = 'consumer-wasm.cjs';

/** A fresh copy of the example package (sources only), with zigimport linked in. */
export function authorPackage(name = 'author-') {
  const dir = tempDir(name);
  for (const entry of ['package.json', 'index.js', 'index.d.ts', 'src']) {
    fs.cpSync(path.join(EXAMPLE, entry), path.join(dir, entry), { recursive: true });
  }
  fs.rmSync(path.join(dir, 'src', 'geometry.d.zig.ts'), { force: true });
  return dir;
}

/** `zigimport prebuild ...args` in `dir`; asserts it succeeded unless `expectFail`. */
export async function runPrebuild(dir, args, { env = childEnv(), expectFail = false } = {}) {
  const r = await runCli(['prebuild', ...args], { cwd: dir, env });
  if (!expectFail) assert.equal(r.code, 0, `zigimport prebuild ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** `npm pack` of `dir` into a new folder; returns the tarball's path. */
export function pack(dir) {
  const out = tempDir('pack-');
  const r = spawnSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, `npm pack failed:\n${r.stderr}`);
  const [{ filename }] = JSON.parse(r.stdout);
  return path.join(out, filename);
}

/** Unpacks a tarball as `node_modules/<name>` of `consumer` (what npm install puts there). */
export function installTarball(consumer, tarball, name) {
  const dest = path.join(consumer, 'node_modules', ...name.split('/'));
  fs.mkdirSync(dest, { recursive: true });
  const r = spawnSync('tar', ['-xzf', tarball, '-C', dest, '--strip-components=1'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `tar failed:\n${r.stderr}`);
  return dest;
}

/**
 * A consumer folder with the packed package installed, and zigimport itself (this checkout,
 * as a dependency would be). Returns the folder.
 */
export function consumerWith(tarball) {
  const consumer = tempDir('consumer-');
  fs.writeFileSync(path.join(consumer, 'package.json'), '{ "name": "consumer", "private": true }\n');
  installTarball(consumer, tarball, PACKAGE_NAME);
  fs.symlinkSync(ROOT, path.join(consumer, 'node_modules', 'zigimport'), 'dir');
  fs.copyFileSync(CONSUMER, path.join(consumer, 'consumer.cjs'));
  fs.copyFileSync(path.join(ROOT, 'test', 'support', 'prebuild-consumer-wasm.cjs'), path.join(consumer, WASM_CONSUMER));
  return consumer;
}

/**
 * No Zig reachable: PATH holds only Node's folder, no ZIGIMPORT_ZIG, a fresh HOME and build
 * folder (so no installed toolchains), no Python `ziglang` (python3 is not on PATH).
 */
export function noZigEnv(extra = {}) {
  const env = childEnv();
  delete env.ZIGIMPORT_ZIG;
  const home = tempDir('home-');
  return { ...env, PATH: path.dirname(process.execPath), HOME: home, ZIGIMPORT_BUILD_DIR: path.join(home, 'build'), ...extra };
}

/** Runs the consumer script in `consumer`; returns its JSON line plus stderr. */
export async function runConsumer(consumer, env, node = process.execPath, { script = 'consumer.cjs' } = {}) {
  const r = await runNode([path.join(consumer, script)], { cwd: consumer, env, node });
  const line = r.stdout.trim().split('\n').pop();
  assert.ok(line, `consumer printed nothing (code ${r.code}, signal ${r.signal}); stderr:\n${r.stderr}`);
  return { ...JSON.parse(line), stderr: r.stderr };
}

/** Files (relative) a folder holds, recursively; [] when it does not exist. */
export function filesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)));
}
