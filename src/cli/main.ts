#!/usr/bin/env node
/**
 * The `zigimport` command. Exit codes: 0 success, 1 a build (or install) failed, 2 usage error.
 */
import * as fs from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { pcErr as pc } from './color.js';
import { OPTIMIZE_MODES } from '../config/settings.js';
import { ZigImportConfigError } from '../errors.js';
import { runBuild, runTypes, runClearCache, runInfo, runHookSwitch, runToolchainInstall, runToolchainList } from './commands.js';
import { runWatch } from './watch-command.js';
import { runModuleInfo } from './module-info.js';
import { runPrebuild, type PrebuildCommandOptions } from './prebuild-command.js';

// Commander prints an InvalidArgumentError (with the usage) before exiting; any other error
// thrown by a parser is passed through silently.
function parseJobs(v: string): number {
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError(`--jobs must be a positive integer (got ${JSON.stringify(v)}).`);
  return n;
}

const DURATION_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30m`, `12h`, `7d`, `2w` (also `s`) as milliseconds. */
function parseDuration(v: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/i.exec(v);
  const ms = m ? Number(m[1]) * DURATION_UNITS[m[2]!.toLowerCase()]! : NaN;
  if (!(ms > 0)) throw new InvalidArgumentError(`expected a duration such as 30m, 12h, 7d or 2w (got ${JSON.stringify(v)}).`);
  return ms;
}

/**
 * The module paths a command was given, checked before anything runs: a path that does not
 * exist, or a file that is not a `.zig` module, is a usage error (exit 2), not a build failure.
 */
function checkPaths(cmd: Command, paths: string[], filesOnly = false): string[] {
  for (const p of paths) {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    const problem = !st
      ? `${p}: no such file or folder`
      : st.isDirectory()
        ? filesOnly
          ? `${p} is a folder: name .zig files`
          : undefined
        : !p.endsWith('.zig')
          ? `${p} is not a .zig file: zigimport compiles only Zig modules`
          : undefined;
    if (problem) cmd.error(`error: ${problem}`, { exitCode: 2, code: 'zigimport.usage' });
  }
  return paths;
}

const program = new Command('zigimport')
  .description('Import .zig files from Node.js: precompile, inspect and manage the zigimport cache.')
  .version(require('../../package.json').version as string)
  .showHelpAfterError()
  .exitOverride();

program
  .command('build')
  .description('Precompile .zig modules (files, or folders searched recursively), in parallel')
  .argument('[paths...]', 'files or folders', ['.'])
  .addOption(new Option('-O, --optimize <mode>', 'optimize mode').choices(OPTIMIZE_MODES))
  .option('-f, --force', 'rebuild even when cached')
  .option('-j, --jobs <n>', 'parallel compiles (default: number of cores)', parseJobs)
  .option('--remote-cache <url>', 'fill (or use) this remote cache (ZIGIMPORT_REMOTE_CACHE); uploads are awaited')
  .action((paths: string[], opts: { optimize?: (typeof OPTIMIZE_MODES)[number]; force?: boolean; jobs?: number; remoteCache?: string }, cmd: Command) =>
    runBuild(checkPaths(cmd, paths), opts),
  );

program
  .command('types')
  .description('Write TypeScript declarations (x.d.zig.ts beside x.zig) for .zig modules, building them if needed')
  .argument('[paths...]', 'files or folders', ['.'])
  .addOption(new Option('-O, --optimize <mode>', 'optimize mode of the build to describe').choices(OPTIMIZE_MODES))
  .option('-j, --jobs <n>', 'parallel compiles (default: number of cores)', parseJobs)
  .option('--check', 'write nothing; exit 1 when a declaration file is missing or differs from its module (CI, prepublishOnly)')
  .action((paths: string[], opts: { optimize?: (typeof OPTIMIZE_MODES)[number]; jobs?: number; check?: boolean }, cmd: Command) =>
    runTypes(checkPaths(cmd, paths), opts),
  );

program
  .command('watch')
  .description('Build .zig modules, then rebuild on every save (and regenerate declarations) until interrupted')
  .argument('[paths...]', 'files or folders', ['.'])
  .addOption(new Option('-O, --optimize <mode>', 'optimize mode').choices(OPTIMIZE_MODES))
  .action((paths: string[], opts: { optimize?: (typeof OPTIMIZE_MODES)[number] }, cmd: Command) => runWatch(checkPaths(cmd, paths), opts));

program
  .command('prebuild')
  .description("Cross-compile the package's .zig modules for every platform it ships (prebuilds/ or per-platform packages), or --check them")
  .argument('[paths...]', 'files or folders (default: the package)')
  .option('-t, --targets <list>', 'platforms, comma-separated, or all (default: zigimport.prebuild.targets in package.json, else all)', (v: string) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .addOption(new Option('-O, --optimize <mode>', 'optimize mode (default: ReleaseFast)').choices(OPTIMIZE_MODES))
  .addOption(new Option('--layout <layout>', 'prebuilds/ inside the package, or one npm package per platform').choices(['prebuilds', 'packages']))
  .option('-j, --jobs <n>', 'parallel compiles (default: number of cores)', parseJobs)
  .option('--check', 'verify that the shipped prebuilds match the sources (for prepublishOnly); builds nothing')
  .action((paths: string[], opts: PrebuildCommandOptions, cmd: Command) => runPrebuild(checkPaths(cmd, paths), opts));

program
  .command('clear-cache')
  .description('Remove every cached build (installed toolchains are kept)')
  .option('--older-than <duration>', 'remove only builds not used within this time (30m, 12h, 7d, 2w)', parseDuration)
  .action((opts: { olderThan?: number }) => runClearCache(opts));

program
  .command('info')
  .description('Show each setting and where it came from, the Zig toolchain and the cache; with files, each export and its JS signature')
  .argument('[files...]', '.zig modules to describe (built if needed)')
  .option('--json', 'print JSON')
  .action((files: string[], opts: { json?: boolean }, cmd: Command) => (files.length > 0 ? runModuleInfo(checkPaths(cmd, files, true), opts) : runInfo(opts)));

program
  .command('enable')
  .description("Make Node processes started by this project's npm scripts load the hook (.npmrc node-options)")
  .action(() => runHookSwitch(true));

program
  .command('disable')
  .description('Undo `zigimport enable`')
  .action(() => runHookSwitch(false));

const toolchain = program.command('toolchain').description('Manage Zig toolchains installed by zigimport');
toolchain
  .command('install')
  .description('Install Zig (the `ziglang` package from PyPI, with pip) into the zigimport cache')
  .argument('[version]', 'Zig version, e.g. 0.17.1 (default: current stable)')
  .action(runToolchainInstall);
toolchain.command('list').description('List installed toolchains and the one in use').action(runToolchainList);

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof ZigImportConfigError) {
      process.stderr.write(`${pc.red('error')} ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`${pc.red('error')} ${(err as Error).message ?? String(err)}\n`);
    process.exitCode = 1;
  }
}

void main();
