/**
 * `zigimport toolchain install`: installs the `ziglang` Python package with pip into
 * `<cacheDir>/toolchains/<version>` (`pip install --target`), which needs no root.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { ZigImportError } from '../errors.js';
import { DEFAULT_ZIG_VERSION, describeSupported, isSupportedZig } from './versions.js';

export interface InstallResult {
  version: string;
  zigPath: string;
  alreadyInstalled: boolean;
}

function run(cmd: string, args: string[], quiet: boolean): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (!quiet) process.stderr.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Installs Zig `version` (default: the current stable) and returns where its binary is. */
export async function installToolchain(opts: { version?: string; cacheDir: string; quiet?: boolean }): Promise<InstallResult> {
  const version = opts.version ?? DEFAULT_ZIG_VERSION;
  if (!/^\d+\.\d+\.\d+([.-][\w.]+)?$/.test(version)) {
    throw new ZigImportError('ZIGIMPORT_BAD_VERSION', `"${version}" is not a Zig version such as ${DEFAULT_ZIG_VERSION}.`);
  }
  if (!isSupportedZig(version)) {
    throw new ZigImportError('ZIGIMPORT_UNSUPPORTED_ZIG', `Zig ${version} is not supported (supported: ${describeSupported()}).`);
  }
  const target = path.join(opts.cacheDir, 'toolchains', version);
  const zigPath = path.join(target, 'ziglang', process.platform === 'win32' ? 'zig.exe' : 'zig');
  if (fs.existsSync(zigPath)) return { version, zigPath, alreadyInstalled: true };

  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  // Install next to the final folder and rename, so an interrupted pip never leaves a half toolchain.
  const staging = `${target}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const python = process.env.PYTHON ?? 'python3';
  const args = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--target', staging, `ziglang==${version}`];
  let result: Awaited<ReturnType<typeof run>>;
  try {
    result = await run(python, args, opts.quiet ?? false);
  } catch (err) {
    throw new ZigImportError(
      'ZIGIMPORT_INSTALL_FAILED',
      `Could not run ${python} (${(err as Error).message}). Installing Zig this way needs Python 3 with pip; ` +
        'otherwise set ZIGIMPORT_ZIG to a Zig you downloaded.',
    );
  }
  if (result.code !== 0 || !fs.existsSync(path.join(staging, 'ziglang'))) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new ZigImportError(
      'ZIGIMPORT_INSTALL_FAILED',
      `pip could not install ziglang==${version} (exit ${result.code}).\n${result.output.trim().split('\n').slice(-5).join('\n')}`,
    );
  }
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(staging, target);
  return { version, zigPath, alreadyInstalled: false };
}
