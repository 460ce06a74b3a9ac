#!/usr/bin/env node
/**
 * The `zigimport` command. Exit codes: 0 success, 1 a build (or install) failed, 2 usage error.
 */
import { Command, CommanderError, Option } from 'commander';
import pc from 'picocolors';
import { OPTIMIZE_MODES } from '../config/settings.js';
import { ZigImportConfigError } from '../errors.js';
import { runBuild, runTypes, runClearCache, runInfo, runHookSwitch, runToolchainInstall, runToolchainList } from './commands.js';
import { runWatch } from './watch-command.js';
import { runModuleInfo } from './module-info.js';

function parseJobs(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CommanderError(2, 'zigimport.usage', `--jobs must be a positive integer (got ${v})`);
  return n;
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
  .action((paths: string[], opts: { optimize?: (typeof OPTIMIZE_MODES)[number]; force?: boolean; jobs?: number }) => runBuild(paths, opts));

program
  .command('types')
  .description('Write TypeScript declarations (x.d.zig.ts beside x.zig) for .zig modules, building them if needed')
  .argument('[paths...]', 'files or folders', ['.'])
  .addOption(new Option('-O, --optimize <mode>', 'optimize mode of the build to describe').choices(OPTIMIZE_MODES))
  .option('-j, --jobs <n>', 'parallel compiles (default: number of cores)', parseJobs)
  .action((paths: string[], opts: { optimize?: (typeof OPTIMIZE_MODES)[number]; jobs?: number }) => runTypes(paths, opts));

program
  .command('watch')
  .description('Build .zig modules, then rebuild on every save (and regenerate declarations) until interrupted')
  .argument('[paths...]', 'files or folders', ['.'])
  .addOption(new Option('-O, --optimize <mode>', 'optimize mode').choices(OPTIMIZE_MODES))
  .action((paths: string[], opts: { optimize?: (typeof OPTIMIZE_MODES)[number] }) => runWatch(paths, opts));

program.command('clear-cache').description('Remove every cached build (installed toolchains are kept)').action(runClearCache);

program
  .command('info')
  .description('Show each setting and where it came from, the Zig toolchain and the cache; with files, each export and its JS signature')
  .argument('[files...]', '.zig modules to describe (built if needed)')
  .option('--json', 'print JSON')
  .action((files: string[], opts: { json?: boolean }) => (files.length > 0 ? runModuleInfo(files, opts) : runInfo(opts)));

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
