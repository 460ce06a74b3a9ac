// `zigimport types --check`: for CI and prepublishOnly, exits 1 when a committed x.d.zig.ts is
// missing or no longer matches its module, writes nothing, and exits 0 once `zigimport types`
// has regenerated them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, runCli, tempDir } from './helpers.mjs';

function project() {
  const dir = tempDir('types-check-');
  fs.copyFileSync(path.join(ROOT, 'examples', 'simple_math.zig'), path.join(dir, 'math.zig'));
  fs.writeFileSync(path.join(dir, 'other.zig'), 'pub fn twice(x: f64) f64 {\n    return 2 * x;\n}\n');
  return dir;
}

test('types --check: missing, then current after `types`, then stale after an edit; never writes', async () => {
  const dir = project();
  const math = path.join(dir, 'math.d.zig.ts');
  const other = path.join(dir, 'other.d.zig.ts');

  const missing = await runCli(['types', '--check', '.'], { cwd: dir });
  assert.equal(missing.code, 1, missing.stdout + missing.stderr);
  assert.match(missing.stdout, /math\.d\.zig\.ts is missing: run `zigimport types` and commit it/);
  assert.match(missing.stdout, /declarations missing or out of date for 2 module\(s\)/);
  assert.ok(!fs.existsSync(math) && !fs.existsSync(other), '--check wrote a declaration file');

  const written = await runCli(['types', '.'], { cwd: dir });
  assert.equal(written.code, 0, written.stdout + written.stderr);
  const current = await runCli(['types', '--check', '.'], { cwd: dir });
  assert.equal(current.code, 0, current.stdout + current.stderr);
  assert.match(current.stdout, /math\.d\.zig\.ts up to date/);

  // A checkout with CRLF newlines holds the same declarations.
  fs.writeFileSync(other, fs.readFileSync(other, 'utf8').replaceAll('\n', '\r\n'));
  // The module's signature changes: its committed declaration is now wrong.
  const before = fs.readFileSync(math, 'utf8');
  fs.writeFileSync(
    path.join(dir, 'math.zig'),
    fs.readFileSync(path.join(dir, 'math.zig'), 'utf8').replace('pub fn add(a: i32, b: i32) i32', 'pub fn add(a: i32, b: i32) i64'),
  );
  const stale = await runCli(['types', '--check', '.'], { cwd: dir });
  assert.equal(stale.code, 1, stale.stdout + stale.stderr);
  assert.match(stale.stdout, /math\.d\.zig\.ts does not match the module/);
  assert.match(stale.stdout, /other\.d\.zig\.ts up to date/);
  assert.equal(fs.readFileSync(math, 'utf8'), before, '--check rewrote a declaration file');

  assert.equal((await runCli(['types', 'math.zig'], { cwd: dir })).code, 0);
  assert.match(fs.readFileSync(math, 'utf8'), /export declare function add\(a: number, b: number\): bigint;/);
  assert.equal((await runCli(['types', '--check', '.'], { cwd: dir })).code, 0);
});

test("the examples' committed declarations match their modules", async () => {
  const dir = tempDir('types-check-examples-');
  for (const name of ['simple_math', 'greet', 'array_sum']) {
    for (const ext of ['.zig', '.d.zig.ts']) fs.copyFileSync(path.join(ROOT, 'examples', name + ext), path.join(dir, name + ext));
  }
  const r = await runCli(['types', '--check', '.'], { cwd: dir });
  assert.equal(r.code, 0, r.stdout + r.stderr);
});
