// The pure parts of the ways in for other runtimes: the module a Bun bundle gets for a .zig import
// (run here against a stand-in artifact), the Bun plugin's argument check, and what load() and
// loadSync() accept as a specifier. No Zig, no Bun.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { bundledModuleSource, zigimportBunPlugin } = require('../../dist/loaders/bun-plugin.js');
const { load, loadSync } = require('../../dist/index.js');

const ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'zi-runtime-entries-'));
after(() => fs.rmSync(ROOT, { recursive: true, force: true }));

const BUNDLED = [
  { what: 'plain names', names: ['add', 'multiply'] },
  { what: "a 'default' export stays the whole object", names: ['default', 'add'] },
  { what: 'names that are not JS identifiers (Zig @"..." names)', names: ['with space', 'class', '0digit', 'a"quote'] },
  { what: 'no exports', names: [] },
];

for (const [i, { what, names }] of BUNDLED.entries()) {
  test(`bundledModuleSource: ${what}`, async () => {
    // A CommonJS stand-in for the .node artifact: Bun's bundler turns the import into a require.
    const artifact = path.join(ROOT, `artifact${i}.cjs`);
    const values = Object.fromEntries(names.map((n, j) => [n, `value ${j}`]));
    fs.writeFileSync(artifact, `module.exports = ${JSON.stringify(values)};`);
    const file = path.join(ROOT, `bundled${i}.mjs`);
    fs.writeFileSync(file, bundledModuleSource(artifact, names));
    const ns = await import(pathToFileURL(file).href);
    assert.deepEqual(ns.default, values);
    for (const n of names.filter((n) => n !== 'default')) assert.equal(ns[n], values[n]);
    assert.deepEqual(Object.keys(ns).sort(), ['default', ...names.filter((n) => n !== 'default')].sort());
  });
}

const BAD_PLUGIN_OPTIONS = [null, 'ReleaseFast', 3];
for (const options of BAD_PLUGIN_OPTIONS) {
  test(`zigimportBunPlugin(${JSON.stringify(options)}) is a TypeError naming options`, () => {
    assert.throws(() => zigimportBunPlugin(options), { name: 'TypeError', message: /options must be an object/ });
  });
}

test('zigimportBunPlugin() is a Bun plugin: a name and a setup that registers one onLoad for .zig paths', () => {
  const plugin = zigimportBunPlugin();
  assert.equal(plugin.name, 'zigimport');
  const filters = [];
  plugin.setup({ onLoad: ({ filter }) => filters.push(filter) });
  assert.equal(filters.length, 1);
  for (const p of ['/a/m.zig', '/a/m.zig?optimize=ReleaseFast']) assert.ok(filters[0].test(p), p);
  for (const p of ['/a/m.zig.ts', '/a/m.ts', '/a/zig']) assert.ok(!filters[0].test(p), p);
});

const BAD_SPECIFIERS = [42, null, undefined, {}, ['./m.zig']];
for (const specifier of BAD_SPECIFIERS) {
  test(`loadSync(${JSON.stringify(specifier) ?? 'undefined'}) and load(...) are TypeErrors naming the specifier`, async () => {
    assert.throws(() => loadSync(specifier), { name: 'TypeError', message: /specifier must be a path, a file URL string or a URL object/ });
    await assert.rejects(load(specifier), { name: 'TypeError', message: /specifier must be/ });
  });
}

test('a URL object is a specifier (of any realm: only its href is read)', () => {
  const missing = pathToFileURL(path.join(ROOT, 'missing.zig'));
  for (const specifier of [missing, { href: missing.href }]) {
    assert.throws(() => loadSync(specifier), { code: 'ZIGIMPORT_MODULE_NOT_FOUND', message: /missing\.zig/ });
  }
});
