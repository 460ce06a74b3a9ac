// The package's public API: the CommonJS and ESM entries export the same names (on every Node
// the hooks are tested with), each documented in the README; the error-code union is exactly the
// codes the sources throw; the hooks can be undone; a cached ESM import resolves itself once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { childEnv, extraNodes, linkPackage, runNode, tempDir, writeSource, ROOT } from './helpers.mjs';

const NODES = [process.execPath, ...extraNodes()];
/** Names Node's CommonJS interop adds to every CommonJS module's namespace: not ours. */
const INTEROP = new Set(['__esModule', 'module.exports']);
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

const project = tempDir('api-');
linkPackage(project);
fs.copyFileSync(path.join(ROOT, 'examples', 'simple_math.zig'), path.join(project, 'simple_math.zig'));
fs.mkdirSync(path.join(project, 'zig-lib'));
writeSource(path.join(project, 'zig-lib', 'inc_mod.zig'), 'pub fn value() i32 {\n    return 77;\n}\n');
writeSource(path.join(project, 'zig-lib', 'inc_two.zig'), 'pub fn value() i32 {\n    return 2;\n}\n');

const namesScript = `
  import { createRequire } from 'node:module';
  const esm = await import('zigimport');
  const cjs = createRequire(import.meta.url)('zigimport');
  console.log(JSON.stringify({ esm: Object.keys(esm), cjs: Object.keys(cjs) }));`;
writeSource(path.join(project, 'names.mjs'), namesScript);

for (const node of NODES) {
  test(`the ESM and CommonJS entries export the same names (${path.basename(path.dirname(path.dirname(node)))})`, async () => {
    const r = await runNode(['names.mjs'], { cwd: project, node });
    assert.equal(r.code, 0, r.stderr);
    const { esm, cjs } = JSON.parse(r.stdout);
    assert.deepEqual(esm.filter((n) => !INTEROP.has(n)).sort(), [...cjs].sort());
    for (const needed of ['load', 'loadSync', 'reload', 'installRequireHook', 'ZigLoadError', 'ZigNoSpaceError', 'UnsafeCacheError']) {
      assert.ok(cjs.includes(needed), `${needed} is exported`);
    }
    assert.ok(!cjs.includes('resolveSettings'), 'settings resolution is internal');
  });
}

test('the ESM entry lists no names by hand; every public name is documented in api.ts and the README', () => {
  const esmEntry = fs.readFileSync(path.join(ROOT, 'src', 'esm', 'index.mts'), 'utf8');
  const statements = esmEntry.split('\n').filter((l) => l.trim() && !l.trim().startsWith('//'));
  assert.deepEqual(statements, [`export * from '../api.js';`]);
  const api = fs.readFileSync(path.join(ROOT, 'src', 'api.ts'), 'utf8');
  const declarations = fs.readFileSync(path.join(ROOT, 'dist', 'api.d.ts'), 'utf8');
  const names = Object.keys(createRequire(import.meta.url)(path.join(ROOT, 'dist', 'index.js')));
  const typeNames = [...declarations.matchAll(/^export type (\w+)/gm)].map((m) => m[1]);
  assert.ok(typeNames.includes('ZigImportErrorCode') || /type ZigImportErrorCode/.test(declarations), 'ZigImportErrorCode is exported');
  for (const name of [...names, ...typeNames]) {
    // Each public name is preceded by its doc comment in api.ts.
    const documented = new RegExp(`\\*/\\s*(export type |type )?${name}\\b`).test(api);
    assert.ok(documented, `${name} has a doc comment in src/api.ts`);
    assert.ok(new RegExp(`\\b${name}\\b`).test(README), `${name} is in the README`);
  }
});

/** Codes thrown: ZigImportError/subclass constructors in src/, throwParts(…, "CODE") in zig/. */
function thrownCodes() {
  const found = new Map();
  const walk = (dir, ext, pattern) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p, ext, pattern);
      else if (p.endsWith(ext)) for (const m of fs.readFileSync(p, 'utf8').matchAll(pattern)) found.set(m[1], path.relative(ROOT, p));
    }
  };
  walk(path.join(ROOT, 'src'), '.ts', /(?:ZigImportError|super)\(\s*'([A-Z0-9_]+)'/g);
  walk(path.join(ROOT, 'zig'), '.zig', /throwParts\(\s*\w+,\s*\.\w+,\s*"([A-Z0-9_]+)"/g);
  return found;
}

test('the error code union is exactly the codes thrown, all with the ZIGIMPORT_ prefix', () => {
  const errors = fs.readFileSync(path.join(ROOT, 'src', 'errors.ts'), 'utf8');
  const union = /export type ZigImportErrorCode =([\s\S]*?);/.exec(errors)[1];
  const declared = [...union.matchAll(/'([A-Z0-9_]+)'/g)].map((m) => m[1]).sort();
  const thrown = thrownCodes();
  assert.ok(thrown.size >= 15, `found the throw sites (${thrown.size})`);
  assert.deepEqual([...thrown.keys()].sort(), declared);
  for (const code of declared) assert.match(code, /^ZIGIMPORT_/);
  for (const dir of ['src', 'zig']) {
    const stale = fs
      .readdirSync(path.join(ROOT, dir), { recursive: true })
      .filter((f) => /\.(ts|mts|zig)$/.test(f) && /ERR_ZIGIMPORT/.test(fs.readFileSync(path.join(ROOT, dir, f), 'utf8')));
    assert.deepEqual(stale, [], 'no code keeps the old ERR_ prefix');
  }
  assert.doesNotMatch(README, /ERR_ZIGIMPORT/);
});

test("installRequireHook()'s undo makes require of .zig fail again, and a second undo does nothing", async () => {
  writeSource(
    path.join(project, 'undo.cjs'),
    `
    const assert = require('node:assert/strict');
    const { installRequireHook } = require('zigimport');
    const before = (() => { try { require('./simple_math.zig'); return 'loaded'; } catch (e) { return e.constructor.name; } })();
    const undo = installRequireHook();
    const m = require('./simple_math.zig');
    assert.equal(m.add(2, 3), 5);
    assert.equal(require('inc_mod.zig').value(), 77);
    undo();
    undo();
    delete require.cache[require.resolve('./simple_math.zig')];
    const after = (() => { try { require('./simple_math.zig'); return 'loaded'; } catch (e) { return e.constructor.name; } })();
    // A bare name not required before (Node remembers names it resolved once).
    const bare = (() => { try { require('inc_two.zig'); return 'loaded'; } catch (e) { return e.code; } })();
    console.log(JSON.stringify({ before, after, bare, handler: '.zig' in require.extensions }));`,
  );
  const env = childEnv({ ZIGIMPORT_INCLUDE_PATHS: path.join(project, 'zig-lib') });
  const r = await runNode(['undo.cjs'], { cwd: project, env });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  // Without the hook, Node reads the .zig file as JavaScript: a SyntaxError, as before install.
  assert.equal(out.before, 'SyntaxError');
  assert.equal(out.after, 'SyntaxError');
  assert.equal(out.bare, 'MODULE_NOT_FOUND');
  assert.equal(out.handler, false);
});

for (const node of NODES) {
  test(`installImportHooks().uninstall() removes what Node lets it remove (${path.basename(path.dirname(path.dirname(node)))})`, async () => {
    writeSource(
      path.join(project, 'hooks-undo.mjs'),
      `
      import { installImportHooks } from 'zigimport';
      const hooks = installImportHooks();
      const first = await import('./simple_math.zig');
      hooks.uninstall();
      const again = await import('./simple_math.zig?optimize=Debug&verbose=0').then(() => 'loaded', (e) => e.code);
      console.log(JSON.stringify({ kind: hooks.kind, add: first.add(1, 2), again }));`,
    );
    const r = await runNode(['hooks-undo.mjs'], { cwd: project, node });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.add, 3);
    // module.registerHooks returns a handle that deregisters; module.register (Node 20) has none.
    assert.equal(out.again, out.kind === 'registerHooks' ? 'ERR_UNKNOWN_FILE_EXTENSION' : 'loaded');
  });
}

/**
 * A cached ESM import, traced: the `resolve` steps of ZIGIMPORT_VERBOSE (one per settings
 * resolution of an import), and reads of the module's source counted by a preload in every
 * thread (`//!` lines and content hash: one each).
 */
const countReads = path.join(project, 'count-reads.cjs');
writeSource(
  countReads,
  `
  const fs = require('node:fs');
  const { isMainThread } = require('node:worker_threads');
  const original = fs.readFileSync;
  fs.readFileSync = function (file, ...rest) {
    if (typeof file === 'string' && file.endsWith('.zig')) process._rawDebug('READ ' + (isMainThread ? 'main ' : 'hooks ') + file);
    return original.call(this, file, ...rest);
  };`,
);

for (const [label, specifier] of [
  ['relative', './simple_math.zig'],
  ['bare', 'inc_mod.zig'],
]) {
  for (const node of NODES) {
    test(`a cached ESM import of a ${label} specifier resolves once and reads its source once (${path.basename(path.dirname(path.dirname(node)))})`, async () => {
      const entry = `cached-${label}.mjs`;
      writeSource(path.join(project, entry), `import * as m from '${specifier}';\nconsole.log(Object.keys(m).length > 0);\n`);
      const env = childEnv({ ZIGIMPORT_INCLUDE_PATHS: path.join(project, 'zig-lib'), NODE_OPTIONS: `--require ${countReads}` });
      const args = ['--import', 'zigimport/register', entry];
      const warm = await runNode(args, { cwd: project, node, env });
      assert.equal(warm.code, 0, warm.stderr);
      const r = await runNode(args, { cwd: project, node, env: { ...env, ZIGIMPORT_VERBOSE: '1' } });
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stderr.split('\n');
      const file = path.join(project, specifier.startsWith('.') ? '' : 'zig-lib', path.basename(specifier));
      assert.equal(lines.filter((l) => / resolve \d/.test(l)).length, 1, r.stderr);
      // Hashed once, or not at all when its identity matches the last verified hash (cache/verified.ts).
      const hashes = lines.filter((l) => / hash \d/.test(l)).length;
      assert.equal(hashes, lines.some((l) => /no source changed since it was last hashed/.test(l)) ? 0 : 1, r.stderr);
      const reads = lines.filter((l) => l.startsWith('READ ') && l.endsWith(` ${file}`));
      assert.equal(reads.length, 1 + hashes, `one read for its //! lines, one for its content hash if hashed:\n${r.stderr}`);
      assert.equal(new Set(reads.map((l) => l.split(' ')[1])).size, 1, 'all in one thread');
    });
  }
}
