// Resolving an import without repeated work: include paths are computed only for a bare name not
// found beside the importer, and the ES module a hook generates takes the hook's handoff instead
// of resolving again. Pure parts only: temporary files, no Zig.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { resolveZigSpecifier } = require('../../dist/loaders/specifier.js');
const { esmSource } = require('../../dist/loaders/esm-source.js');
const { includePathsFor } = require('../../dist/loaders/load.js');

const ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'zi-resolution-'));
after(() => fs.rmSync(ROOT, { recursive: true, force: true }));
const here = path.join(ROOT, 'app');
const lib = path.join(ROOT, 'lib');
fs.mkdirSync(here);
fs.mkdirSync(lib);
fs.writeFileSync(path.join(here, 'local.zig'), '');
fs.writeFileSync(path.join(lib, 'shared.zig'), '');

/** Include paths as a function that counts its calls. */
function counted(paths) {
  const fn = () => {
    fn.calls++;
    return paths;
  };
  fn.calls = 0;
  return fn;
}

const cases = [
  { name: 'relative', specifier: './local.zig', want: path.join(here, 'local.zig'), calls: 0 },
  { name: 'absolute', specifier: path.join(lib, 'shared.zig'), want: path.join(lib, 'shared.zig'), calls: 0 },
  {
    name: 'bare, beside the importer',
    specifier: 'local.zig?optimize=ReleaseFast',
    want: path.join(here, 'local.zig'),
    calls: 0,
    query: 'optimize=ReleaseFast',
  },
  { name: 'bare, in the include paths', specifier: 'shared.zig', want: path.join(lib, 'shared.zig'), calls: 1 },
];
for (const c of cases) {
  test(`include paths are computed only when needed: ${c.name}`, () => {
    const includePaths = counted([lib]);
    const spec = resolveZigSpecifier(c.specifier, here, includePaths);
    assert.equal(spec.file, c.want);
    assert.equal(spec.query, c.query ?? '');
    assert.equal(includePaths.calls, c.calls);
  });
}

test('a bare name found nowhere names the include paths it searched', () => {
  assert.throws(
    () => resolveZigSpecifier('missing.zig', here, counted([lib])),
    (err) => err.code === 'ZIGIMPORT_MODULE_NOT_FOUND' && err.message.includes(lib),
  );
});

test("include paths come from the folder's package.json and the environment, relative to that package.json", () => {
  const pkgDir = path.join(ROOT, 'pkg');
  fs.mkdirSync(path.join(pkgDir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify({ name: 'p', zigimport: { includePaths: ['zig'] } }));
  const saved = process.env.ZIGIMPORT_INCLUDE_PATHS;
  delete process.env.ZIGIMPORT_INCLUDE_PATHS;
  try {
    assert.deepEqual(includePathsFor(path.join(pkgDir, 'src')), [path.join(pkgDir, 'zig')]);
    assert.deepEqual(includePathsFor(path.join(pkgDir, 'src'), { includePaths: [lib] }), [lib]);
    process.env.ZIGIMPORT_INCLUDE_PATHS = lib;
    assert.deepEqual(includePathsFor(path.join(pkgDir, 'src')), [lib]);
  } finally {
    if (saved === undefined) delete process.env.ZIGIMPORT_INCLUDE_PATHS;
    else process.env.ZIGIMPORT_INCLUDE_PATHS = saved;
  }
});

test('the generated ES module takes the handoff and re-exports every name, quoted ones included', () => {
  const handoff = { id: 'id\0x', artifact: '/c/builds/k.node', key: 'k', verbose: false };
  const source = esmSource('/p/m.zig', { optimize: 'ReleaseFast' }, handoff, ['add', 'default', 'with space']);
  assert.match(
    source,
    /importedExports\(\{"id":"id\\u0000x","artifact":"\/c\/builds\/k.node","key":"k","verbose":false\}, "\/p\/m.zig", \{"optimize":"ReleaseFast"\}\)/,
  );
  assert.doesNotMatch(source, /loadSync/);
  assert.match(source, /export \{ e0 as "add" \};/);
  assert.match(source, /export \{ e1 as "with space" \};/);
  assert.equal((source.match(/export default/g) ?? []).length, 1);
});
