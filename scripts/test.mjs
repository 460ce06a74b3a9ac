// `npm test` (after `npm run build`): runs the test files hermetically. One fresh run folder per
// run holds a fresh HOME (so `~/.zigimport` starts empty), the temporary folders and the build
// folder the test files share (fixtures compile once per run); it is removed afterwards, or kept
// with ZIGIMPORT_KEEP_TEST_DIR=1. Leftovers of earlier runs can therefore never make a test pass.
//
//   npm test                                   every test/*.test.mjs and test/unit/*.test.mjs
//   npm test -- test/cache.test.mjs            some files
//   npm test -- --test-name-pattern=reload     node --test options are passed on
//
// The Zig is found before HOME is replaced (ZIGIMPORT_ZIG, PATH, the real ~/.zigimport/toolchains)
// and passed on as ZIGIMPORT_ZIG. Zig's global cache and npm's cache stay the real user's.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createRunDir, finishRunDir, hermeticEnv, runLayout } from '../test/support/hermetic.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** Integration tests, then the table-driven unit tests of the pure parts. */
const TEST_DIRS = [path.join(ROOT, 'test'), path.join(ROOT, 'test', 'unit')];

/** Test files and node options from the command line; every test file when none is named. */
function testArguments(argv) {
  const options = argv.filter((a) => a.startsWith('-'));
  const files = argv.filter((a) => !a.startsWith('-')).map((f) => path.resolve(f));
  for (const file of files) {
    if (!fs.existsSync(file)) {
      process.stderr.write(`npm test: no such test file: ${file}\n`);
      process.exit(2);
    }
  }
  const all = TEST_DIRS.flatMap((dir) =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.test.mjs'))
      .sort()
      .map((f) => path.join(dir, f)),
  );
  return [...options, ...(files.length > 0 ? files : all)];
}

function findZig(buildDir) {
  let zigimport;
  try {
    zigimport = createRequire(import.meta.url)('../dist/index.js');
  } catch (err) {
    process.stderr.write(`npm test: dist/ is not built (${err.message}); run \`npm run build\` first\n`);
    process.exit(1);
  }
  try {
    return zigimport.findZig({ zig: process.env.ZIGIMPORT_ZIG || undefined, cacheDir: buildDir }).path;
  } catch (err) {
    process.stderr.write(`npm test: the tests need a Zig compiler.\n${err.message}\n`);
    process.exit(1);
  }
}

const args = testArguments(process.argv.slice(2));
const runDir = createRunDir();
const env = hermeticEnv(process.env, runDir, findZig(runLayout(runDir).build));
process.stderr.write(`test run folder: ${runDir}\n`);

const child = spawn(process.execPath, ['--test', '--test-concurrency=1', ...args], { cwd: ROOT, env, stdio: 'inherit' });
// Ctrl-C reaches the whole process group; wait for the tests to end, then clean up.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('close', (code, signal) => {
  const note = finishRunDir(runDir);
  if (note) process.stderr.write(`${note}\n`);
  process.exitCode = code ?? (signal ? 1 : 0);
});
