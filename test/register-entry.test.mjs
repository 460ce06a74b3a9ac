// `node --import zigimport/register` is in every process of a project after `zigimport enable`,
// most of which import no Zig (issue 13: ≤ +2 ms over plain node). Its ES module entry is one
// bundled file (scripts/bundle-register.mjs): registering reads no other zigimport file, and the
// modules the hooks need on the first `.zig` specifier are the package's own (dist/loaders/),
// the same instances `require('zigimport')` uses. Run on this Node and on ZIGIMPORT_TEST_NODES.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childEnv, extraNodes, linkPackage, runNode, tempDir, ROOT } from './helpers.mjs';

const DIST = path.join(ROOT, 'dist');
const project = tempDir('register-entry-');
linkPackage(project);
fs.copyFileSync(path.join(ROOT, 'examples', 'simple_math.zig'), path.join(project, 'simple_math.zig'));
fs.writeFileSync(path.join(project, 'plain.mjs'), 'export const value = 42;\n');

/** The zigimport files (dist/-relative) in `require.cache`: CommonJS files, also those an ES module imported. */
const OWN_FILES = `Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(DIST + path.sep)})).map((f) => f.slice(${DIST.length + 1}).split(require('path').sep).join('/'))`;

const noZig = `
  const Module = require('node:module');
  const handler = Module._extensions['.zig'];
  const before = ${OWN_FILES};
  import('./missing.mjs').catch(async (err) => {
    // A JavaScript module whose query ends in ".zig" is still JavaScript.
    const { value } = await import('./plain.mjs?v=.zig');
    // A second entry (the CommonJS one) finds the hooks installed and installs nothing.
    require('zigimport/register');
    console.log(JSON.stringify({ before, code: err.code, value, zigHandler: typeof handler, same: Module._extensions['.zig'] === handler, after: ${OWN_FILES} }));
  });`;

const withZig = `
  const math = require('./simple_math.zig');
  import('./simple_math.zig').then((ns) => console.log(JSON.stringify({ add: math.add(2, 3), same: ns.default === math, own: ${OWN_FILES} })));`;

async function runOn(node, code) {
  const r = await runNode(['--import', 'zigimport/register', '-e', code], { node, cwd: project, env: childEnv() });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

for (const node of [process.execPath, ...extraNodes()]) {
  test(`--import zigimport/register on ${path.basename(path.dirname(node)) === 'bin' ? node : path.basename(node)}: one file to register, the package's modules on the first .zig`, async () => {
    const idle = await runOn(node, noZig);
    assert.deepEqual(idle.before, [], 'registering loads no zigimport CommonJS file (the entry is one ES module)');
    assert.equal(idle.code, 'ERR_MODULE_NOT_FOUND', "a missing non-.zig module still fails with Node's own error");
    assert.equal(idle.value, 42, 'a .mjs with ".zig" in its query is loaded as JavaScript');
    assert.equal(idle.zigHandler, 'function', 'the require() handler for .zig is installed at registration');
    assert.ok(idle.same, 'a second entry (require of zigimport/register) keeps the installed handler');
    assert.deepEqual(
      idle.after.filter((f) => f !== 'register.js' && f !== 'loaders/hooks.js' && !/^loaders\/(cjs|hooks-sync|zig-specifier-shape|hooks-async)\.js$/.test(f)),
      [],
      `a failed non-.zig import loads nothing of the resolver or the loader (${idle.after.join(', ')})`,
    );

    const used = await runOn(node, withZig);
    assert.equal(used.add, 5);
    assert.ok(used.same, 'require and import of the same .zig give the same module');
    for (const lazy of ['loaders/hook-common.js', 'loaders/load.js'])
      assert.ok(used.own.includes(lazy), `the first .zig specifier requires dist/${lazy}, the package's own instance (${used.own.join(', ')})`);
  });
}
