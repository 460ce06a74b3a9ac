// Where things are, the machine, the Zig in use, and running Node children that answer in JSON.
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH = path.join(ROOT, 'bench');
export const RESULTS = path.join(BENCH, 'results');
export const DIST = path.join(ROOT, 'dist', 'index.js');
export const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
export const requireRoot = createRequire(path.join(ROOT, 'package.json'));

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

/** The Zig zigimport would use (ZIGIMPORT_ZIG honoured), via the built package. */
export function zig() {
  const { findZig } = requireRoot(DIST);
  // Settings resolution is internal (not in the package's API): take it from its module.
  const { resolveSettings } = requireRoot(path.join(ROOT, 'dist', 'config', 'settings.js'));
  const { settings } = resolveSettings({});
  const tc = findZig({ zig: settings.zig, cacheDir: settings.cacheDir });
  return { path: tc.path, version: tc.version, source: tc.source };
}

/** A fresh folder under the OS temp dir, removed at exit unless BENCH_KEEP_TMP is set. */
const made = [];
export function tmpDir(label) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `zigimport-bench-${label}-`));
  made.push(dir);
  return dir;
}
export function removeTmp() {
  if (process.env.BENCH_KEEP_TMP) return;
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}
process.on('exit', removeTmp);

/** Environment for children: ours plus `extra`, without zigimport settings that would skew runs. */
export function childEnv(extra = {}) {
  const env = { ...process.env, NO_COLOR: '1' };
  for (const k of ['ZIGIMPORT_OPTIMIZE', 'ZIGIMPORT_RELEASE_MODE', 'ZIGIMPORT_VERBOSE', 'ZIGIMPORT_FORCE_REBUILD', 'ZIGIMPORT_BUILD_DIR']) delete env[k];
  return { ...env, ...extra };
}

/** Runs `node -e code` (CommonJS) or `node file args`; returns the JSON on its last stdout line. */
export function runNode({ code, file, args = [], env = {}, cwd = ROOT, timeoutMs = 600_000 }) {
  const argv = code ? ['-e', code] : [file, ...args];
  const r = spawnSync(process.execPath, argv, { env: childEnv(env), cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
    throw new Error(`child failed (${why}):\n${(r.stderr || r.stdout || '').slice(-3000)}`);
  }
  const last = r.stdout.trim().split('\n').pop();
  return JSON.parse(last);
}

/** Runs a command; throws with its output on failure; returns { stdout, ms }. */
export function run(cmd, args, { env = {}, cwd = ROOT, timeoutMs = 600_000 } = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env: childEnv(env), cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) {
    const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
    throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${why}):\n${((r.stderr ?? '') + (r.stdout ?? '')).slice(-3000)}`);
  }
  return { stdout: r.stdout, stderr: r.stderr, ms };
}

export function hasCommand(cmd) {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
