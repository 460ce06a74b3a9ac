// Settings: how each value's text is parsed (booleans, optimize modes, seconds, path lists) and
// which layer wins (per-import > environment > the module's own //! line > package.json >
// default), through resolveSettings with an explicit `env`. Only temporary files, no Zig.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { resolveSettings, overridesFromQuery, defaultCacheDir } = require('../../dist/config/settings.js');

const ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'zi-settings-'));
after(() => fs.rmSync(ROOT, { recursive: true, force: true }));

/** A module in a new folder, with an optional package.json `zigimport` field and source. */
function moduleIn({ pkg, source = 'pub fn f() void {}\n' } = {}) {
  const dir = fs.mkdtempSync(path.join(ROOT, 'm-'));
  if (pkg !== undefined) fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', zigimport: pkg }));
  const file = path.join(dir, 'm.zig');
  fs.writeFileSync(file, source);
  return { dir, file };
}

const resolve = (env, extra = {}) => resolveSettings({ file: moduleIn().file, env, ...extra });

test('no settings anywhere: every default, every source "default"', () => {
  const r = resolve({});
  assert.deepEqual(r.settings, {
    optimize: 'Debug',
    releaseMode: false,
    verbose: false,
    forceRebuild: false,
    cacheDir: defaultCacheDir(),
    zig: undefined,
    includePaths: [],
    timeout: 300,
    types: true,
    cacheMax: 2 * 1024 ** 3,
    remoteCache: undefined,
    remoteCacheMode: 'readwrite',
    remoteTimeout: 2,
    target: 'native',
  });
  assert.ok(Object.values(r.sources).every((s) => s === 'default'));
  assert.equal(r.packageJson, undefined);
});

const BOOLEANS = [
  ['true', true],
  ['1', true],
  ['yes', true],
  ['YES', true],
  [' True ', true],
  ['false', false],
  ['0', false],
  ['no', false],
  ['No', false],
];

for (const [text, want] of BOOLEANS) {
  test(`boolean ${JSON.stringify(text)} reads as ${want}`, () => {
    const r = resolve({ ZIGIMPORT_VERBOSE: text });
    assert.equal(r.settings.verbose, want);
    assert.equal(r.sources.verbose, 'env');
  });
}

const BAD = [
  ['ZIGIMPORT_VERBOSE', 'maybe', /^ZIGIMPORT_VERBOSE must be one of true\/false, 1\/0, yes\/no \(got "maybe"\)$/],
  ['ZIGIMPORT_TYPES', 'on', /^ZIGIMPORT_TYPES must be one of true\/false/],
  ['ZIGIMPORT_OPTIMIZE', 'Fast', /^ZIGIMPORT_OPTIMIZE must be one of Debug, ReleaseSafe, ReleaseFast, ReleaseSmall \(got "Fast"\)$/],
  ['ZIGIMPORT_TIMEOUT', '0', /^ZIGIMPORT_TIMEOUT must be a positive number of seconds \(got "0"\)$/],
  ['ZIGIMPORT_TIMEOUT', '-3', /positive number of seconds/],
  ['ZIGIMPORT_TIMEOUT', 'ten', /positive number of seconds \(got "ten"\)/],
];

for (const [name, text, message] of BAD) {
  test(`${name}=${text} is a ZigImportConfigError naming the variable and the accepted values`, () => {
    assert.throws(
      () => resolve({ [name]: text }),
      (err) => err.code === 'ZIGIMPORT_INVALID_CONFIG' && message.test(err.message),
    );
  });
}

const PARSED = [
  ['optimize, any case', { ZIGIMPORT_OPTIMIZE: 'releasesmall' }, 'optimize', 'ReleaseSmall'],
  ['timeout in fractional seconds', { ZIGIMPORT_TIMEOUT: '2.5' }, 'timeout', 2.5],
  ['a relative cache folder becomes absolute', { ZIGIMPORT_BUILD_DIR: 'rel/cache' }, 'cacheDir', path.resolve('rel/cache')],
  [
    'include paths split on the path delimiter, empty parts dropped',
    { ZIGIMPORT_INCLUDE_PATHS: ['/a', '', 'b'].join(path.delimiter) },
    'includePaths',
    ['/a', path.resolve('b')],
  ],
  ['the Zig path is taken as written', { ZIGIMPORT_ZIG: 'zig-dev' }, 'zig', 'zig-dev'],
  ['an empty variable counts as unset', { ZIGIMPORT_OPTIMIZE: '', ZIGIMPORT_TIMEOUT: '' }, 'timeout', 300],
];

for (const [name, env, key, want] of PARSED) {
  test(`parses: ${name}`, () => {
    assert.deepEqual(resolve(env).settings[key], want);
  });
}

test("layers: per-import beats environment beats the module's //! line beats package.json beats default", () => {
  const { file, dir } = moduleIn({
    pkg: { optimize: 'ReleaseSmall', timeout: 7, verbose: true, buildDir: 'cache', includePaths: ['inc'] },
    source: '//! zigimport: optimize=ReleaseSafe\npub fn f() void {}\n',
  });
  const env = { ZIGIMPORT_TIMEOUT: '9' };
  const plain = resolveSettings({ file, env });
  assert.equal(plain.packageJson, path.join(dir, 'package.json'));
  assert.deepEqual(
    { optimize: plain.settings.optimize, timeout: plain.settings.timeout, verbose: plain.settings.verbose, types: plain.settings.types },
    { optimize: 'ReleaseSafe', timeout: 9, verbose: true, types: true },
  );
  assert.deepEqual(
    { optimize: plain.sources.optimize, timeout: plain.sources.timeout, verbose: plain.sources.verbose, types: plain.sources.types },
    { optimize: 'module', timeout: 'env', verbose: 'package.json', types: 'default' },
  );
  // Relative paths in package.json are relative to that file.
  assert.equal(plain.settings.cacheDir, path.join(dir, 'cache'));
  assert.deepEqual(plain.settings.includePaths, [path.join(dir, 'inc')]);

  const envOptimize = resolveSettings({ file, env: { ZIGIMPORT_OPTIMIZE: 'ReleaseFast' } });
  assert.equal(envOptimize.settings.optimize, 'ReleaseFast');
  assert.equal(envOptimize.sources.optimize, 'env');

  const query = resolveSettings({
    file,
    env: { ZIGIMPORT_OPTIMIZE: 'ReleaseFast' },
    overrides: overridesFromQuery('optimize=Debug&timeout=1'),
    overridesSource: 'query',
  });
  assert.deepEqual([query.settings.optimize, query.sources.optimize, query.settings.timeout, query.sources.timeout], ['Debug', 'query', 1, 'query']);

  const option = resolveSettings({ file, env, overrides: { verbose: false } });
  assert.deepEqual([option.settings.verbose, option.sources.verbose], [false, 'option']);
});

const REJECTED = [
  [
    'an unknown key in package.json',
    { pkg: { optimise: 'Debug' } },
    {},
    /"zigimport" field of .*package\.json: unknown setting "optimise" \(known: optimize, /,
  ],
  ['a value of the wrong type in package.json', { pkg: { verbose: 'sometimes' } }, {}, /"zigimport\.verbose" in .*package\.json must be one of true\/false/],
  ['a number where a boolean belongs', { pkg: { types: 1 } }, {}, /"zigimport\.types" in .*package\.json has an invalid value 1$/],
  ['an unknown load() option', {}, { overrides: { speed: 'fast' } }, /^load\(\) options: unknown setting "speed"/],
  ['a bad load() option value', {}, { overrides: { timeout: -1 } }, /^setting "timeout" must be a positive number of seconds/],
];

for (const [name, where, input, message] of REJECTED) {
  test(`rejects ${name}`, () => {
    const { file } = moduleIn(where);
    assert.throws(
      () => resolveSettings({ file, env: {}, ...input }),
      (err) => err.code === 'ZIGIMPORT_INVALID_CONFIG' && message.test(err.message),
    );
  });
}

test('overridesFromQuery keeps known settings as text and rejects unknown ones', () => {
  assert.deepEqual(overridesFromQuery('optimize=ReleaseFast&verbose=1'), { optimize: 'ReleaseFast', verbose: '1' });
  assert.throws(
    () => overridesFromQuery('fast=1'),
    (err) => err.code === 'ZIGIMPORT_INVALID_CONFIG' && /^import query "\?fast=1": unknown setting "fast"/.test(err.message),
  );
});

test('buildDir is the older name of cacheDir: accepted everywhere, but not together with cacheDir', () => {
  const { file } = moduleIn({ pkg: { buildDir: 'old-name' } });
  assert.equal(resolveSettings({ file, env: {} }).settings.cacheDir, path.join(path.dirname(file), 'old-name'));
  assert.equal(resolveSettings({ env: {}, overrides: { buildDir: '/x/y' } }).settings.cacheDir, path.resolve('/x/y'));
  assert.equal(resolveSettings({ env: {}, overrides: overridesFromQuery('buildDir=/q') }).settings.cacheDir, path.resolve('/q'));
  assert.throws(() => resolveSettings({ env: {}, overrides: { buildDir: '/a', cacheDir: '/b' } }), /"buildDir" and "cacheDir" are the same setting/);
});
