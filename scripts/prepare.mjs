// `npm run prepare`: builds dist/ (the compiled TypeScript) in this checkout.
//
// npm runs `prepare` when zigimport is installed from git (in its temporary clone, after it
// installed the dev dependencies) or from a folder (in that folder), and before `npm pack` and
// `npm publish`, so a git checkout installs with its hook and `zigimport` command. A folder install
// only links the folder: npm installs neither its dependencies nor its dev dependencies, so when
// they are missing here, this installs them into the checkout first (scripts off, so this does not
// recurse), as a developer's own `npm install` there would.
//
// Output goes to stderr: `npm pack --json` prints its result on stdout.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * npm settings the outer install passes to its scripts that must not reach the inner one: they
 * would install into the consumer's project (`local_prefix`), globally, or without dev
 * dependencies. Cache, registry, proxy and offline settings are kept.
 */
const OUTER_INSTALL_SETTINGS =
  /^npm_config_(local_prefix|prefix|global|global_prefix|omit|include|production|only|dev|install_links|workspaces?|include_workspace_root|save.*|package_lock.*|dry_run|ignore_scripts|allow_scripts.*)$/i;

function fail(message) {
  process.stderr.write(`zigimport prepare: ${message}\n`);
  process.exit(1);
}

function run(command, args, what, env = process.env) {
  const r = spawnSync(command, args, { cwd: ROOT, env, stdio: ['ignore', 2, 2], shell: false });
  if (r.error) fail(`${what} could not start: ${r.error.message}`);
  if (r.status !== 0) fail(`${what} failed (exit ${r.status ?? r.signal}); fix the error above and run \`npm install\` again`);
}

function missingModules() {
  const needed = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})];
  return needed.filter((name) => !fs.existsSync(path.join(ROOT, 'node_modules', name, 'package.json')));
}

function installOwnDependencies(missing) {
  process.stderr.write(`zigimport prepare: installing ${missing.join(', ')} into ${ROOT} to build dist/\n`);
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !OUTER_INSTALL_SETTINGS.test(key) && key !== 'NODE_ENV'));
  const npmArgs = ['install', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund'];
  // Inside an npm script, npm_execpath is the npm that runs it: use the same one.
  const npmCli = process.env.npm_execpath;
  if (npmCli && /\.[cm]?js$/.test(npmCli)) run(process.execPath, [npmCli, ...npmArgs], 'npm install', env);
  else if (process.platform === 'win32') run(process.env.ComSpec ?? 'cmd.exe', ['/d', '/s', '/c', 'npm', ...npmArgs], 'npm install', env);
  else run('npm', npmArgs, 'npm install', env);
}

const missing = missingModules();
if (missing.length > 0) installOwnDependencies(missing);
if (!fs.existsSync(TSC)) fail(`TypeScript is not installed in ${ROOT}/node_modules; run \`npm install\` there`);
run(process.execPath, [TSC, '-p', path.join(ROOT, 'tsconfig.json')], 'tsc (building dist/)');
run(process.execPath, [path.join(ROOT, 'scripts', 'build-wasm-esm.mjs')], 'tsc (building dist/wasm-esm/)');
run(process.execPath, [path.join(ROOT, 'scripts', 'bundle-register.mjs')], 'esbuild (bundling the zigimport/register entry)');
run(process.execPath, [path.join(ROOT, 'scripts', 'bundle-hot-path.mjs')], 'esbuild (bundling dist/hot-path.js)');
