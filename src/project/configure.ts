/**
 * The configure step for a module that belongs to a Zig project: `zig build` runs the generated
 * build.zig (fetching packages, re-running for lazy ones, calling the hook) and, with
 * `--verbose`, prints the exact `zig build-lib` command it runs for the addon. zigimport then
 * runs that command itself in server mode, as for a plain module, so that the compiler reports
 * every file it read and its errors arrive as an ErrorBundle. The second run is answered from
 * Zig's cache: both runs use the compile's private `--cache-dir` (see compile.ts), so neither the
 * build runner nor the addon can come from a cache that trusts an unchanged mtime.
 */
import * as path from 'node:path';
import { BUILD_STEP } from './generate.js';
import { hasPackageDirOption } from '../toolchain/versions.js';

export interface ConfigureCommand {
  args: string[];
  cwd: string;
}

export interface ConfiguredCompile {
  /** `build-lib ...` arguments, without the zig executable. */
  args: string[];
  /** The folder Zig ran the compile in (relative paths in `args` start there). */
  cwd: string;
  /** Zig's local cache the compile uses (from its `--cache-dir`). */
  zigCacheDir: string;
}

/**
 * A Zig that unpacks packages into a `zig-pkg` folder beside build.zig (0.17; archives stay in the
 * global cache) is told to use one shared folder: every module has its own generated project.
 */
function packageDirArgs(zigVersion: string, cacheDir: string): string[] {
  return hasPackageDirOption(zigVersion) ? ['--pkg-dir', path.join(cacheDir, 'zig-pkg')] : [];
}

export function configureCommand(buildFile: string, zigCacheDir: string, defines: string[], zigVersion: string, cacheDir: string): ConfigureCommand {
  return {
    args: [
      'build',
      BUILD_STEP,
      '--build-file',
      buildFile,
      '--cache-dir',
      zigCacheDir,
      '--verbose',
      '--summary',
      'none',
      '--color',
      'off',
      ...packageDirArgs(zigVersion, cacheDir),
      ...defines.map((d) => `-D${d}`),
    ],
    cwd: path.dirname(buildFile),
  };
}

const CONTROL: Record<string, string> = { a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', E: '\x1b' };

/** Splits a command line as Zig's verbose output quotes it (double quotes, backslash escapes). */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ') i++;
    if (i >= line.length) break;
    let word = '';
    if (line[i] === '"') {
      // Zig writes each byte outside printable ASCII as a `\ooo` escape: a UTF-8 character is a
      // run of them, decoded together.
      const bytes: number[] = [];
      const flush = () => {
        word += Buffer.from(bytes.splice(0)).toString('utf8');
      };
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '\\' && /[0-7]/.test(line[i + 1] ?? '')) {
          bytes.push(parseInt(line.slice(i + 1, i + 4), 8));
          i += 3;
          continue;
        }
        flush();
        if (line[i] !== '\\') {
          word += line[i];
          continue;
        }
        const e = line[++i]!;
        word += CONTROL[e] ?? e;
      }
      flush();
      i++;
    } else {
      while (i < line.length && line[i] !== ' ') word += line[i++];
    }
    words.push(word);
  }
  return words;
}

/** Finds the addon's `zig build-lib` command among the lines `zig build --verbose` printed. */
export function findCompileCommand(stderr: string, libraryName: string, buildRoot: string): ConfiguredCompile | undefined {
  for (const raw of stderr.split('\n')) {
    if (!raw.includes(' build-lib ') || !raw.includes(libraryName)) continue;
    const words = splitCommandLine(raw.replace(/^info\(verbose\):\s*/, ''));
    const at = words.indexOf('build-lib');
    if (at < 1) continue;
    const nameAt = words.indexOf('--name', at);
    if (nameAt < 0 || words[nameAt + 1] !== libraryName) continue;
    // A command with a working folder is printed as `cd DIR && zig build-lib ...`.
    const cwd = words[0] === 'cd' && words[2] === '&&' ? path.resolve(buildRoot, words[1]!) : buildRoot;
    const args = words.slice(at);
    const cacheAt = args.indexOf('--cache-dir');
    if (cacheAt < 0) continue;
    if (!args.includes('--listen=-')) args.push('--listen=-');
    return { args, cwd, zigCacheDir: path.resolve(cwd, args[cacheAt + 1]!) };
  }
  return undefined;
}
