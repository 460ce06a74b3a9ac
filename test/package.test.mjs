// `npm pack` produces a package that works when installed elsewhere: the compiled JavaScript,
// the Zig binding layer and the typings are all in it, and nothing from the tests is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childEnv, runNode, tempDir, writeSource, ROOT } from './helpers.mjs';

test('the packed tarball installs elsewhere and imports a .zig file through ESM and CommonJS', async () => {
  const out = tempDir('pack-');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const packed = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
  );
  const files = packed[0].files.map((f) => f.path);
  for (const needed of [
    'package.json',
    'README.md',
    'dist/index.js',
    'dist/esm/index.mjs',
    'dist/esm/register.mjs',
    'dist/loaders/hooks-async.js',
    'dist/cli/main.js',
    'zig/root.zig',
    'zig/zigimport.zig',
  ]) {
    assert.ok(files.includes(needed), `${needed} missing from the package`);
  }
  assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('src/') || f.startsWith('.ci/')), 'no tests or sources shipped');
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.equal(manifest.scripts.install, undefined);
  assert.equal(manifest.scripts.postinstall, undefined);

  // Install by unpacking (offline), with the runtime dependencies beside it.
  const project = tempDir('consumer-');
  const modules = path.join(project, 'node_modules');
  fs.mkdirSync(path.join(modules, 'zigimport'), { recursive: true });
  execFileSync('tar', ['-xzf', path.join(out, packed[0].filename), '-C', path.join(modules, 'zigimport'), '--strip-components=1']);
  for (const dep of Object.keys(manifest.dependencies)) fs.cpSync(path.join(ROOT, 'node_modules', dep), path.join(modules, dep), { recursive: true });
  fs.writeFileSync(path.join(project, 'package.json'), '{"name":"consumer","type":"module"}');
  writeSource(path.join(project, 'calc.zig'), 'pub fn add(a: i32, b: i32) i32 {\n    return a + b;\n}\n');
  writeSource(
    path.join(project, 'main.js'),
    "import { add } from './calc.zig';\nimport { createRequire } from 'node:module';\nconst same = createRequire(import.meta.url)('./calc.zig').add === add;\nconsole.log(add(20, 22), same);\n",
  );

  const r = await runNode(['--import', 'zigimport/register', 'main.js'], { cwd: project, env: childEnv() });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '42 true');
  const cli = await runNode([path.join(modules, 'zigimport', 'dist', 'cli', 'main.js'), 'info', '--json'], { cwd: project, env: childEnv() });
  assert.equal(cli.code, 0, cli.stderr);
});
