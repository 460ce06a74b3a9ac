// Reading the compile command `zig build --verbose` prints: splitting a line the way Zig quotes it
// (Build.Step's shell escape), and picking out the addon's `build-lib` command with its folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { splitCommandLine, findCompileCommand } = require('../../dist/project/configure.js');

const SPLITS = [
  ['plain words', 'zig build-lib -O Debug', ['zig', 'build-lib', '-O', 'Debug']],
  ['repeated spaces and edges', '  a   b  ', ['a', 'b']],
  ['empty line', '', []],
  ['quoted word with a space', '"/srv/my dir/x.zig" next', ['/srv/my dir/x.zig', 'next']],
  ['escaped quote, backslash, dollar, backtick, bang', '"a\\"b\\\\c\\$d\\`e\\!f"', ['a"b\\c$d`e!f']],
  ['control escapes', String.raw`"\a\b\t\n\v\f\r\E"`, ['\x07\b\t\n\v\f\r\x1b']],
  ['an octal escape of a control byte', String.raw`"x\001y"`, ['x\x01y']],
  ['UTF-8 written as octal bytes', String.raw`"/srv/\303\251t\303\251/\360\237\246\216.zig"`, ['/srv/été/🦎.zig']],
  ['octal bytes next to other escapes', String.raw`"\303\251\t\303\251"`, ['é\té']],
  ['empty quoted word', 'a "" b', ['a', '', 'b']],
  ['quote glued to the next word is its own word', '"a b"c', ['a b', 'c']],
  ['unterminated quote takes the rest', '"a b', ['a b']],
  ['equals sign inside a quoted -D option', '"-Dname=va lue"', ['-Dname=va lue']],
];

for (const [name, line, words] of SPLITS) {
  test(`splitCommandLine: ${name}`, () => {
    assert.deepEqual(splitCommandLine(line), words);
  });
}

const LIB = 'zigimport_addon';

const FINDS = [
  {
    name: 'a command with its working folder and relative cache dir',
    stderr: [
      'info(verbose): some other step',
      `info(verbose): cd /proj/gen && /z/zig build-lib -ODebug --dep user -Mroot=/b/root.zig --cache-dir .zig-cache --name ${LIB} -dynamic --listen=-`,
    ].join('\n'),
    root: '/proj',
    want: {
      cwd: '/proj/gen',
      zigCacheDir: '/proj/gen/.zig-cache',
      args: ['build-lib', '-ODebug', '--dep', 'user', '-Mroot=/b/root.zig', '--cache-dir', '.zig-cache', '--name', LIB, '-dynamic', '--listen=-'],
    },
  },
  {
    name: 'no `cd`: runs in the build root; --listen=- is added',
    stderr: `/z/zig build-lib --name ${LIB} --cache-dir /c "-Muser=/src/my file.zig"`,
    root: '/proj',
    want: { cwd: '/proj', zigCacheDir: '/c', args: ['build-lib', '--name', LIB, '--cache-dir', '/c', '-Muser=/src/my file.zig', '--listen=-'] },
  },
  {
    name: "another library's build-lib is skipped",
    stderr: `/z/zig build-lib --name other --cache-dir /c ${LIB}.zig`,
    root: '/proj',
    want: undefined,
  },
  {
    name: 'a command without --cache-dir is not used',
    stderr: `/z/zig build-lib --name ${LIB}`,
    root: '/proj',
    want: undefined,
  },
  {
    name: 'nothing printed',
    stderr: '',
    root: '/proj',
    want: undefined,
  },
];

for (const { name, stderr, root, want } of FINDS) {
  test(`findCompileCommand: ${name}`, () => {
    assert.deepEqual(findCompileCommand(stderr, LIB, root), want);
  });
}
