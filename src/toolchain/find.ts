/**
 * Finds the Zig compiler and its version. Order: ZIGIMPORT_ZIG, `zig` on PATH, toolchains
 * installed by `zigimport toolchain install`, the `ziglang` Python package.
 *
 * A cached import must start no process, so the version of each binary is remembered in
 * `<cacheDir>/toolchains.json`, keyed by its real path and checked against its identity (inode,
 * size, mtime, ctime: another binary put in its place, even with the same size and mtime, has a
 * new inode or ctime); the result is also kept for the rest of the process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UnsupportedZigVersionError, ZigImportError, ZigNotFoundError } from '../errors.js';
import { defaultCacheDir } from '../config/settings.js';
import { compareVersions, describeSupported, isSupportedZig } from './versions.js';
import { readJson, writeJsonAtomic } from '../cache/files.js';
import { childProcess } from '../lazy.js';

export type ZigSource = 'ZIGIMPORT_ZIG' | 'PATH' | 'installed' | 'python';

export interface ZigToolchain {
  /** Absolute, real path of the zig executable. */
  path: string;
  version: string;
  source: ZigSource;
}

interface MemoFile {
  binaries: Record<string, { identity?: string; version: string }>;
  /** Where `python3 -m ziglang` pointed last time, so the cached path needs no python run. */
  python?: string;
}

const EXE = process.platform === 'win32' ? 'zig.exe' : 'zig';
const perProcess = new Map<string, ZigToolchain>();

/** Folders holding `<version>/ziglang/zig` installs: the build dir's and the default one. */
export function toolchainDirs(cacheDir: string): string[] {
  const dirs = [path.join(cacheDir, 'toolchains'), path.join(defaultCacheDir(), 'toolchains')];
  return [...new Set(dirs)];
}

/** Installed toolchains, newest first. */
export function listInstalled(cacheDir: string): { version: string; path: string }[] {
  const found: { version: string; path: string }[] = [];
  for (const dir of toolchainDirs(cacheDir)) {
    let entries: string[] = [];
    try {
      // A missing folder (the build folder's, usually) is answered without a thrown ENOENT.
      if (!fs.statSync(dir, { throwIfNoEntry: false })) continue;
      entries = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const version of entries) {
      const exe = path.join(dir, version, 'ziglang', EXE);
      if (isExecutable(exe)) found.push({ version, path: exe });
    }
  }
  return found.sort((a, b) => compareVersions(b.version, a.version));
}

/**
 * An executable regular file. `stat` first: a missing file is answered without a thrown error,
 * where `accessSync` throws one (~30 µs each on Node 20), and a checksum-mode lookup without
 * ZIGIMPORT_ZIG tries `zig` in every folder of PATH.
 */
function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const exe = path.join(dir, EXE);
    if (isExecutable(exe)) return exe;
  }
  return undefined;
}

function fromPython(memo: MemoFile): string | undefined {
  if (memo.python && isExecutable(memo.python)) return memo.python;
  const python = process.env.PYTHON ?? 'python3';
  try {
    const dir = childProcess()
      .execFileSync(python, ['-c', 'import ziglang, os; print(os.path.dirname(ziglang.__file__))'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 20_000,
      })
      .trim();
    const exe = path.join(dir, EXE);
    return isExecutable(exe) ? exe : undefined;
  } catch {
    return undefined;
  }
}

function readVersion(exe: string, memo: MemoFile): { version: string; changed: boolean } {
  const st = fs.statSync(exe);
  const identity = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  const known = memo.binaries[exe];
  if (known && known.identity === identity) return { version: known.version, changed: false };
  let version: string;
  try {
    version = childProcess()
      .execFileSync(exe, ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 })
      .trim();
  } catch (err) {
    throw new ZigImportError('ZIGIMPORT_ZIG_BROKEN', `Running \`${exe} version\` failed: ${(err as Error).message}`);
  }
  memo.binaries[exe] = { identity, version };
  return { version, changed: true };
}

/**
 * Finds Zig for the given settings. Throws ZigNotFoundError with instructions when there is none,
 * and UnsupportedZigVersionError for a release zigimport cannot build with.
 */
export function findZig(opts: { zig: string | undefined; cacheDir: string }): ZigToolchain {
  const memoKey = `${opts.zig ?? ''}\0${opts.cacheDir}`;
  const hit = perProcess.get(memoKey);
  if (hit) return hit;

  const memoPath = path.join(opts.cacheDir, 'toolchains.json');
  const memo = readJson<MemoFile>(memoPath) ?? { binaries: {} };
  memo.binaries ??= {};
  const searched: string[] = [];
  let chosen: { exe: string; source: ZigSource } | undefined;

  if (opts.zig) {
    const exe = path.resolve(opts.zig);
    if (!isExecutable(exe)) {
      throw new ZigImportError('ZIGIMPORT_ZIG_NOT_FOUND', `ZIGIMPORT_ZIG points at ${exe}, which is not an executable file.`);
    }
    chosen = { exe, source: 'ZIGIMPORT_ZIG' };
  }
  searched.push('ZIGIMPORT_ZIG (not set)');
  if (!chosen) {
    const exe = onPath();
    if (exe) chosen = { exe, source: 'PATH' };
    else searched.push(`\`${EXE}\` on PATH`);
  }
  if (!chosen) {
    const installed = listInstalled(opts.cacheDir).find((t) => isSupportedZig(t.version));
    if (installed) chosen = { exe: installed.path, source: 'installed' };
    else searched.push(...toolchainDirs(opts.cacheDir).map((d) => `${d} (zigimport toolchain install)`));
  }
  let pythonChanged = false;
  if (!chosen) {
    const exe = fromPython(memo);
    if (exe) {
      chosen = { exe, source: 'python' };
      pythonChanged = memo.python !== exe;
      memo.python = exe;
    } else searched.push('the `ziglang` Python package (python3 -m ziglang)');
  }
  if (!chosen) throw new ZigNotFoundError(searched);

  // The native realpath: one system call, where the JavaScript one lstats every folder on the way.
  const real = fs.realpathSync.native(chosen.exe);
  const { version, changed } = readVersion(real, memo);
  if (changed || pythonChanged) {
    try {
      writeJsonAtomic(memoPath, memo);
    } catch {
      // The memo only saves a process start next time; failing to write it is harmless.
    }
  }
  if (!isSupportedZig(version)) throw new UnsupportedZigVersionError(real, version, describeSupported());
  const toolchain: ZigToolchain = { path: real, version, source: chosen.source };
  perProcess.set(memoKey, toolchain);
  return toolchain;
}
