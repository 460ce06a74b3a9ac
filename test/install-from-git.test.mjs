// Installing zigimport from a git checkout (no dist/, no node_modules: both are gitignored) gives a
// working package: npm runs the `prepare` script (scripts/prepare.mjs), which builds dist/. Checked
// for the two ways: a git dependency (`git+file://`, like `github:`: npm clones, installs the dev
// dependencies, runs prepare and packs) and a folder (`npm install ../checkout`: npm links the
// folder and runs prepare there, and the script installs the checkout's own dependencies first).
// What is installed is this repository's committed HEAD, cloned into the run's temporary folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childEnv, runNode, tempDir, writeSource, ROOT } from './helpers.mjs';

const WINDOWS = process.platform === 'win32';
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

function gitHead(dir) {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Runs a command in `cwd`; resolves { code, out } (stdout and stderr together, for messages). */
function run(command, args, cwd, env = childEnv()) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, shell: WINDOWS, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** A scratch project depending on `spec`, with a .zig module and an ESM entry point that imports it. */
async function consumerOf(spec) {
  const project = tempDir('consumer-');
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  writeSource(path.join(project, 'calc.zig'), 'pub fn add(a: i32, b: i32) i32 {\n    return a + b;\n}\n');
  writeSource(path.join(project, 'main.js'), "import { add } from './calc.zig';\nconsole.log(add(40, 2));\n");
  const installed = await run('npm', ['install', spec, ...NPM_FLAGS], project);
  assert.equal(installed.code, 0, `npm install ${spec} failed:\n${installed.out}`);
  return project;
}

/** The installed package works: the hook imports a .zig file, and the `zigimport` command runs. */
async function assertWorks(project, buildDir) {
  const env = childEnv({ ZIGIMPORT_BUILD_DIR: buildDir });
  const imported = await runNode(['--import', 'zigimport/register', 'main.js'], { cwd: project, env });
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(imported.stdout.trim(), '42');
  // `--no`: never fetch a `zigimport` from the registry when the installed command is missing.
  const version = await run('npx', ['--no', '--', 'zigimport', '--version'], project, env);
  assert.equal(version.code, 0, version.out);
  assert.equal(version.out.trim(), VERSION);
  const built = await run('npx', ['--no', '--', 'zigimport', 'build', 'calc.zig'], project, env);
  assert.equal(built.code, 0, built.out);
  assert.match(built.out, /calc\.zig/);
}

test('a git checkout installs as a git dependency and as a folder: hook and command work', async (t) => {
  const head = gitHead(ROOT);
  if (!head) return t.skip(`${ROOT} is not a git checkout`);
  const checkout = path.join(tempDir('clone-'), 'zigimport');
  execFileSync('git', ['clone', '--quiet', '--no-local', ROOT, checkout], { stdio: ['ignore', 'ignore', 'pipe'] });
  assert.equal(gitHead(checkout), head);
  assert.equal(fs.existsSync(path.join(checkout, 'dist')), false, 'a fresh clone has no dist/');
  assert.equal(fs.existsSync(path.join(checkout, 'node_modules')), false, 'a fresh clone has no node_modules/');
  const buildDir = tempDir('cache-');

  // Both installs at once (they take most of the time). The git one cannot use what the folder
  // one builds in `checkout`: npm clones the committed tree, where dist/ is not.
  const [fromGit, fromFolder] = await Promise.all([consumerOf(`git+file://${checkout.split(path.sep).join('/')}`), consumerOf(checkout)]);

  const gitPackage = path.join(fromGit, 'node_modules', 'zigimport');
  assert.equal(fs.lstatSync(gitPackage).isSymbolicLink(), false);
  assert.ok(fs.existsSync(path.join(gitPackage, 'dist', 'cli', 'main.js')), 'prepare built dist/ before npm packed the clone');
  assert.equal(fs.existsSync(path.join(gitPackage, 'src')), false, 'only the published files are installed');
  await assertWorks(fromGit, buildDir);

  assert.equal(fs.realpathSync(path.join(fromFolder, 'node_modules', 'zigimport')), fs.realpathSync(checkout), 'a folder install links the folder');
  assert.ok(fs.existsSync(path.join(checkout, 'dist', 'cli', 'main.js')), 'prepare built dist/ in the folder');
  assert.ok(fs.existsSync(path.join(checkout, 'node_modules', 'commander', 'package.json')), 'the folder has its runtime dependencies');
  await assertWorks(fromFolder, buildDir);
});
