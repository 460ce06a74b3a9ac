// In-source settings: the leading `//! zigimport: key=value, ...` lines of a module, parsed into
// build options (paths relative to the module's folder), and a clear error naming file:line for
// a bad key or value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { parseModuleOptions, emptyModuleOptions } = require('../../dist/config/module-options.js');

const FILE = path.resolve('/proj/src/mod.zig');
const DIR = path.dirname(FILE);
const options = (extra) => ({ ...emptyModuleOptions(), ...extra });

const PARSES = [
  ['no directive', 'pub fn f() void {}\n', options({})],
  ['link_libc', '//! zigimport: link_libc=true\n', options({ linkLibc: true })],
  ['link_libc=false', '//! zigimport: link_libc=false\n', options({ linkLibc: false })],
  ['optimize, any case', '//! zigimport: optimize=releasefast\n', options({ optimize: 'ReleaseFast' })],
  [
    'lists of space-separated values, paths from the module folder',
    '//! zigimport: c_sources=vendor/a.c ../b.c, include_paths=vendor\n',
    options({ cSources: [path.join(DIR, 'vendor/a.c'), path.resolve(DIR, '../b.c')], includePaths: [path.join(DIR, 'vendor')] }),
  ],
  ['absolute paths stay', '//! zigimport: include_paths=/usr/include/x\n', options({ includePaths: ['/usr/include/x'] })],
  [
    'c_flags and link_system are kept as words',
    '//! zigimport: c_flags=-O2 -DNDEBUG, link_system=m z\n',
    options({ cFlags: ['-O2', '-DNDEBUG'], linkSystem: ['m', 'z'] }),
  ],
  ['define: name=value and bare names', '//! zigimport: define=level=3 fast use.dots-ok\n', options({ defines: ['level=3', 'fast', 'use.dots-ok'] })],
  [
    'several lines add up; empty parts are skipped',
    '//! zigimport: link_system=m,\n//! zigimport: link_system=z, , link_libc=true\n',
    options({ linkSystem: ['m', 'z'], linkLibc: true }),
  ],
  ['other //! lines and blank lines in the block are ignored', '//! A module doc comment.\n\n//! zigimport: link_libc=true\n', options({ linkLibc: true })],
  ['spaces around // ! and keys', '   //!   zigimport:   link_libc = true  \n', options({ linkLibc: true })],
  ['only the leading block counts', 'const x = 1;\n//! zigimport: link_libc=true\n', options({})],
  ['a plain // comment ends the block', '// note\n//! zigimport: link_libc=true\n', options({})],
  ['Windows line ends', '//! zigimport: link_libc=true\r\n//! zigimport: link_system=m\r\n', options({ linkLibc: true, linkSystem: ['m'] })],
];

for (const [name, source, want] of PARSES) {
  test(`parses: ${name}`, () => {
    assert.deepEqual(parseModuleOptions(FILE, source), want);
  });
}

const ERRORS = [
  [
    'an unknown key, with the known ones',
    '//! zigimport: link_lib=true\n',
    1,
    /unknown zigimport setting "link_lib" \(known: optimize, link_libc, c_sources, include_paths, c_flags, link_system, define\)/,
  ],
  ['link_libc must be true or false', '//! zigimport: link_libc=yes\n', 1, /link_libc must be true or false \(got "yes"\)/],
  ['a bad optimize mode', '//! doc\n//! zigimport: optimize=Fast\n', 2, /optimize must be one of Debug, ReleaseSafe, ReleaseFast, ReleaseSmall \(got "Fast"\)/],
  ['a define that is not name=value', '//! zigimport: define=9lives\n', 1, /define takes name=value pairs .* \(got "9lives"\)/],
  ['a key without a value where one is needed', '//! zigimport: link_libc\n', 1, /link_libc must be true or false \(got ""\)/],
];

for (const [name, source, line, message] of ERRORS) {
  test(`rejects with file:line: ${name}`, () => {
    assert.throws(
      () => parseModuleOptions(FILE, source),
      (err) => err.code === 'ZIGIMPORT_INVALID_CONFIG' && err.message.startsWith(`${FILE}:${line}: `) && message.test(err.message),
    );
  });
}
