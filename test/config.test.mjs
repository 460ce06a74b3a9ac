// Settings: precedence (query/options > env > package.json > default), parsing, clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { tempDir, zigimport } from './helpers.mjs';

// Settings resolution is internal (not in the package's API): tested from the build directly.
const { resolveSettings } = createRequire(import.meta.url)('../dist/config/settings.js');
const { ZigImportConfigError } = zigimport;

function projectWith(config) {
  const dir = tempDir('cfg-');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'p', zigimport: config }));
  fs.mkdirSync(path.join(dir, 'src'));
  return path.join(dir, 'src', 'm.zig');
}

test('defaults apply when nothing is set', () => {
  const { settings, sources } = resolveSettings({ file: projectWith({}), env: {} });
  assert.equal(settings.optimize, 'Debug');
  assert.equal(settings.releaseMode, false);
  assert.equal(settings.timeout, 300);
  assert.match(settings.cacheDir, /\.zigimport$/);
  assert.equal(sources.optimize, 'default');
});

test('query beats environment, which beats package.json', () => {
  const file = projectWith({ optimize: 'ReleaseSmall', verbose: true, timeout: 12 });
  const fromPkg = resolveSettings({ file, env: {} });
  assert.equal(fromPkg.settings.optimize, 'ReleaseSmall');
  assert.equal(fromPkg.sources.optimize, 'package.json');
  assert.equal(fromPkg.settings.verbose, true);
  assert.equal(fromPkg.settings.timeout, 12);

  const fromEnv = resolveSettings({ file, env: { ZIGIMPORT_OPTIMIZE: 'releasesafe' } });
  assert.equal(fromEnv.settings.optimize, 'ReleaseSafe');
  assert.equal(fromEnv.sources.optimize, 'env');

  const fromQuery = resolveSettings({
    file,
    env: { ZIGIMPORT_OPTIMIZE: 'ReleaseSafe' },
    overrides: { optimize: 'ReleaseFast' },
    overridesSource: 'query',
  });
  assert.equal(fromQuery.settings.optimize, 'ReleaseFast');
  assert.equal(fromQuery.sources.optimize, 'query');
});

test('booleans accept true/false, 1/0, yes/no in any case', () => {
  for (const [text, value] of [
    ['true', true],
    ['1', true],
    ['YES', true],
    ['false', false],
    ['0', false],
    ['No', false],
  ]) {
    assert.equal(resolveSettings({ env: { ZIGIMPORT_RELEASE_MODE: text } }).settings.releaseMode, value, text);
  }
});

test('an invalid value names the variable and the accepted values', () => {
  assert.throws(
    () => resolveSettings({ env: { ZIGIMPORT_VERBOSE: 'maybe' } }),
    (err) => {
      assert.ok(err instanceof ZigImportConfigError);
      assert.match(err.message, /ZIGIMPORT_VERBOSE must be one of true\/false, 1\/0, yes\/no/);
      return true;
    },
  );
  assert.throws(
    () => resolveSettings({ env: { ZIGIMPORT_OPTIMIZE: 'Fast' } }),
    /ZIGIMPORT_OPTIMIZE must be one of Debug, ReleaseSafe, ReleaseFast, ReleaseSmall/,
  );
  assert.throws(() => resolveSettings({ env: { ZIGIMPORT_TIMEOUT: '-3' } }), /ZIGIMPORT_TIMEOUT must be a positive number of seconds/);
});

test('unknown keys in package.json and queries are errors naming the key', () => {
  assert.throws(() => resolveSettings({ file: projectWith({ optimise: 'Debug' }), env: {} }), /unknown setting "optimise"/);
  assert.throws(() => zigimport.loadSync('./nothing.zig?optimise=Debug'), /unknown setting "optimise"/);
});

test('package.json paths are relative to the package.json; include paths split on the delimiter', () => {
  const file = projectWith({ buildDir: 'cache', includePaths: ['zig'] });
  const root = path.dirname(path.dirname(file));
  const { settings } = resolveSettings({ file, env: {} });
  assert.equal(settings.cacheDir, path.join(root, 'cache'), 'the older name buildDir is still accepted');
  assert.deepEqual(settings.includePaths, [path.join(root, 'zig')]);
  const env = resolveSettings({ env: { ZIGIMPORT_INCLUDE_PATHS: ['/a', '/b'].join(path.delimiter) } });
  assert.deepEqual(env.settings.includePaths, ['/a', '/b']);
});
