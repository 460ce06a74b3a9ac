// When a remembered `zig libc` file (src/compile/native-libc.ts) may still be passed as
// `--libc`: every folder it names exists, and it is less than a day old.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { isUsableLibcFile } = require('../../dist/compile/native-libc.js');

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'libc-file-'));
const [inc, sys, crt] = ['include', 'sys-include', 'crt'].map((d) => path.join(root, d));
for (const d of [inc, sys, crt]) fs.mkdirSync(d);
const gone = path.join(root, 'gone');
const file = (over = {}) => {
  const entries = { include_dir: inc, sys_include_dir: sys, crt_dir: crt, msvc_lib_dir: '', kernel32_lib_dir: '', gcc_dir: '', ...over };
  return `# The directory that contains \`stdlib.h\`.\n${Object.entries(entries)
    .map(([k, v]) => `${k}=${v}\n`)
    .join('\n')}`;
};
const HOUR = 60 * 60 * 1000;

const CASES = [
  ['a fresh file naming existing folders', file(), 0, true],
  ['23 hours old', file(), 23 * HOUR, true],
  ['more than a day old', file(), 25 * HOUR, false],
  ['from the future (clock moved back)', file(), -HOUR, false],
  ['crt_dir gone', file({ crt_dir: gone }), 0, false],
  ['include_dir empty', file({ include_dir: '' }), 0, false],
  ['sys_include_dir missing', file().replace(/^sys_include_dir=.*$/m, ''), 0, false],
  ['a file where a folder should be', file({ crt_dir: __filenameOf() }), 0, false],
  ['not a libc file at all', 'error: unable to find libc\n', 0, false],
];
for (const [what, text, age, usable] of CASES) {
  test(`isUsableLibcFile: ${what} -> ${usable}`, () => {
    assert.equal(isUsableLibcFile(text, age), usable);
  });
}

function __filenameOf() {
  const f = path.join(root, 'plain-file');
  fs.writeFileSync(f, 'x');
  return f;
}

test.after(() => fs.rmSync(root, { recursive: true, force: true }));
