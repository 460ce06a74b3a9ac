// The bundler plugin (zigimport/vite, /rollup, /webpack, /esbuild, /rspack) in Node: each bundler
// builds the browser fixture's checks (test/fixtures/browser) with `import ... from './app.zig'`,
// and the bundle, run by Node, gives what the native addon gives. Emitted vs inlined .wasm,
// `init: 'manual'`, the watched inputs (the imported helper file too) and a compile error that
// names the user's file:line. Real browsers: test/browser.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runNode } from './helpers.mjs';
import { EXPECTED_PAGE, bundle, bundlerProject } from './support/bundler-project.mjs';

const project = bundlerProject();

async function runBundle(file) {
  const r = await runNode([file], { cwd: project });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const wasmFiles = (dir) => fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.wasm'));

for (const [name, main] of [
  ['rollup', 'out/rollup/main.js'],
  ['esbuild', 'out/esbuild/main.mjs'],
  ['webpack', 'out/webpack/main.mjs'],
  ['rspack', 'out/rspack/main.mjs'],
]) {
  test(`${name}: the bundle runs in Node and gives every value the page checks`, async () => {
    const b = await bundle(project, name);
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual(await runBundle(path.join(project, main)), EXPECTED_PAGE);
    const out = path.join(project, 'out', name);
    const source = fs.readFileSync(path.join(project, main), 'utf8');
    if (name === 'esbuild') {
      // esbuild's plugins return JavaScript only: the .wasm is inlined.
      assert.deepEqual(wasmFiles(out), []);
      assert.match(source, /wasmBytesFromBase64\("AGFzbQ/);
    } else {
      // Production builds emit the .wasm as an asset (ReleaseSmall) and fetch or read it.
      assert.equal(wasmFiles(out).length, 1);
      assert.doesNotMatch(source, /AGFzbQ/);
    }
  });
}

test('rollup watches every file the compiler read: the module and its imported helper', async () => {
  const b = await bundle(project, 'rollup');
  assert.equal(b.code, 0, b.stderr);
  const { watchFiles } = JSON.parse(b.stdout.trim().split('\n').pop());
  assert.ok(watchFiles.includes(path.join(project, 'app.zig')), watchFiles.join('\n'));
  assert.ok(watchFiles.includes(path.join(project, 'helper.zig')), watchFiles.join('\n'));
});

test("inline: true puts the .wasm into the bundle; init: 'manual' exports init() and live bindings", async () => {
  fs.writeFileSync(
    path.join(project, 'manual.mjs'),
    "import init, { add } from './app.zig';\nconst before = typeof add;\nconst m = await init();\nconsole.log(JSON.stringify([before, add(1, 2), typeof m.Counter, (await init()) === m]));\n",
  );
  const b = await bundle(project, 'rollup', { entry: 'manual.mjs', options: "{ inline: true, init: 'manual', optimize: 'ReleaseFast' }" });
  assert.equal(b.code, 0, b.stderr);
  assert.deepEqual(wasmFiles(path.join(project, 'out', 'rollup')), []);
  assert.deepEqual(await runBundle(path.join(project, 'out', 'rollup', 'manual.js')), ['undefined', 3, 'function', true]);
});

test('a compile error fails the build with the user file:line', async () => {
  const dir = bundlerProject();
  fs.writeFileSync(path.join(dir, 'helper.zig'), 'pub const value: i32 = "not a number";\n');
  for (const name of ['rollup', 'esbuild', 'webpack']) {
    const b = await bundle(dir, name);
    assert.notEqual(b.code, 0, `${name} built a broken module`);
    assert.match(b.stdout + b.stderr, /helper\.zig:1:\d+: error: expected type 'i32'/, name);
  }
});
