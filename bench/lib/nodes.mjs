// Another Node release for the rows that differ by release (part 5's `--import zigimport/register`:
// Node 20 has only `module.register`, whose hooks run on a loader thread; Node 22.15+ and 24 have
// the in-thread `module.registerHooks`). A fresh clone has only the system node, so the first run
// installs the official binary from npm (package `node-<os>-<arch>`, as .ci/run does) into the
// gitignored bench/.nodes/<major>/; ZIGIMPORT_BENCH_NODE_<major>=path uses a binary already there.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BENCH } from './env.mjs';

/** The npm package that holds this platform's Node binary, and the binary's path inside it. */
function nodePackage() {
  const os = process.platform === 'win32' ? 'win' : process.platform;
  return { name: `node-${os}-${process.arch}`, exe: process.platform === 'win32' ? path.join('bin', 'node.exe') : path.join('bin', 'node') };
}

/** `node --version` of `exe`, checked to be release `major`. */
function versionOf(exe, major, where) {
  const r = spawnSync(exe, ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${where}: ${exe} --version failed (${r.error?.message ?? `exit ${r.status}`})`);
  const version = r.stdout.trim();
  if (!version.startsWith(`v${major}.`)) throw new Error(`${where}: ${exe} is Node ${version}, not Node ${major}`);
  return version;
}

/** `{ path, version }` of a Node `major` binary: ZIGIMPORT_BENCH_NODE_<major>, else bench/.nodes/<major>/ (installed once). */
export function benchNode(major, log) {
  const variable = `ZIGIMPORT_BENCH_NODE_${major}`;
  const given = process.env[variable];
  if (given) return { path: given, version: versionOf(given, major, variable) };
  const { name, exe } = nodePackage();
  const prefix = path.join(BENCH, '.nodes', String(major));
  const binary = path.join(prefix, 'node_modules', name, exe);
  if (!fs.existsSync(binary)) {
    log(`  installing Node ${major} (npm ${name}@${major}) into ${path.relative(process.cwd(), prefix)}; ${variable}=path skips this`);
    fs.mkdirSync(prefix, { recursive: true });
    const args = ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', `${name}@${major}`];
    const r = spawnSync('npm', args, { encoding: 'utf8', shell: process.platform === 'win32' });
    if (r.status !== 0 || !fs.existsSync(binary)) {
      throw new Error(
        `npm ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}); set ${variable} to a Node ${major} binary:\n${(r.stderr ?? '').slice(-2000)}`,
      );
    }
  }
  return { path: binary, version: versionOf(binary, major, binary) };
}
