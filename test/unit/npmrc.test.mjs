// Editing `.npmrc` for `zigimport enable` / `disable`: the hook flag is added to or removed from
// `node-options`, other options and lines are kept, and a second run changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { editNpmrc, HOOK_FLAG } = require('../../dist/cli/npmrc.js');

const FLAG = HOOK_FLAG;

const ENABLE = [
  ['an empty file', '', `node-options="${FLAG}"\n`],
  ['a file without node-options keeps its lines', 'registry=https://r.example/\n', `registry=https://r.example/\nnode-options="${FLAG}"\n`],
  ['a file without a final newline', 'save-exact=true', `save-exact=true\nnode-options="${FLAG}"\n`],
  ['other node options are kept, the flag goes last', 'node-options="--max-old-space-size=4096"\n', `node-options="--max-old-space-size=4096 ${FLAG}"\n`],
  ['an unquoted value', 'node-options=--enable-source-maps\n', `node-options="--enable-source-maps ${FLAG}"\n`],
  ['a single-quoted value', "node-options='--enable-source-maps'\n", `node-options="--enable-source-maps ${FLAG}"\n`],
  ['spaces around the key', '  node-options = --trace-warnings\n', `node-options="--trace-warnings ${FLAG}"\n`],
  ['the --import= spelling is replaced by the canonical one', 'node-options="--import=zigimport/register --x"\n', `node-options="--x ${FLAG}"\n`],
];

for (const [name, before, after] of ENABLE) {
  test(`enable: ${name}`, () => {
    const first = editNpmrc(before, true);
    assert.deepEqual(first, { text: after, changed: true });
    assert.deepEqual(editNpmrc(first.text, true), { text: after, changed: false }, 'a second enable changes nothing');
  });
}

const UNCHANGED = [
  ['enable when already enabled', `node-options="${FLAG}"\n`, true],
  ['enable when already last among others', `a=1\nnode-options="--x ${FLAG}"\nb=2\n`, true],
  ['disable with no .npmrc text', '', false],
  ['disable with other options only', 'node-options="--x"\n', false],
  ['disable keeps a look-alike package name', 'node-options="--import zigimport/registered"\n', false],
];

for (const [name, text, enable] of UNCHANGED) {
  test(`unchanged: ${name}`, () => {
    assert.deepEqual(editNpmrc(text, enable), { text, changed: false });
  });
}

const DISABLE = [
  ['the only option: the line goes', `registry=x\nnode-options="${FLAG}"\nsave=true\n`, 'registry=x\nsave=true\n'],
  ['the only line: the text is empty', `node-options="${FLAG}"\n`, ''],
  ['other options stay', `node-options="--a ${FLAG} --b"\n`, 'node-options="--a --b"\n'],
  ['the --import= spelling', 'node-options=--import=zigimport/register\n', ''],
  ['every copy of the flag', `node-options="${FLAG} --a ${FLAG}"\n`, 'node-options="--a"\n'],
];

for (const [name, before, after] of DISABLE) {
  test(`disable: ${name}`, () => {
    assert.deepEqual(editNpmrc(before, false), { text: after, changed: true });
    assert.deepEqual(editNpmrc(after, false), { text: after, changed: false }, 'a second disable changes nothing');
  });
}

test('enable then disable gives back the original text', () => {
  const original = '# comment\nregistry=https://r.example/\nnode-options="--enable-source-maps"\n';
  const enabled = editNpmrc(original, true).text;
  assert.equal(editNpmrc(enabled, false).text, original);
});
