// `npm run demo`: installs dependencies and a Zig toolchain when none is found, then runs the examples.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });

if (!existsSync(path.join(root, 'node_modules', 'typescript'))) run(npm, ['install', '--no-audit', '--no-fund']);
run(npm, ['run', 'build', '--silent']);

const { findZig } = createRequire(import.meta.url)('../dist/index.js');
// Settings are internal: the demo reads them from the build directly.
const { resolveSettings } = createRequire(import.meta.url)('../dist/config/settings.js');
try {
  const zig = findZig(resolveSettings().settings);
  console.log(`Using Zig ${zig.version} (${zig.path}, found via ${zig.source})`);
} catch (err) {
  if (err.code !== 'ZIGIMPORT_ZIG_NOT_FOUND') throw err;
  console.log('No Zig found: installing one with `zigimport toolchain install`...');
  run(process.execPath, ['dist/cli/main.js', 'toolchain', 'install']);
}

const examples = [['--import', 'zigimport/register', 'examples/simple_math.mjs'], ['examples/greet.cjs'], ['examples/array_sum.mjs']];
for (const args of examples) {
  console.log(`\n$ node ${args.join(' ')}`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
