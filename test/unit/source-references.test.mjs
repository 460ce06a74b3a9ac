// Reading a Zig source for the local files it references (`zigimport build`/`watch` discovery):
// comments and `\\` multiline strings are stripped first, ordinary strings are kept, and only
// `.zig`/`.zon` imports and any `@embedFile` count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { stripComments, localReferences } = require('../../dist/cache/inputs.js');

const STRIPS = [
  ['a line comment', 'const a = 1; // note', 'const a = 1; '],
  ['a doc comment line', '/// doc\nconst a = 1;', '\nconst a = 1;'],
  ['// inside a string is kept', 'const u = "http://x"; // c', 'const u = "http://x"; '],
  ['an escaped quote does not end the string', 'const s = "a\\"//b"; // c', 'const s = "a\\"//b"; '],
  ['a character literal holding a quote', "const q = '\"'; // c", "const q = '\"'; "],
  ['an escaped character literal', "const q = '\\''; // c", "const q = '\\''; "],
  ['multiline string lines are dropped', 'const m =\n    \\\\ @import("x.zig")\n;', 'const m =\n;'],
  ['no comment: unchanged', 'pub fn f() void {}', 'pub fn f() void {}'],
];

for (const [name, source, want] of STRIPS) {
  test(`stripComments: ${name}`, () => {
    assert.equal(stripComments(source), want);
  });
}

const REFERENCES = [
  ['.zig and .zon imports', 'const a = @import("a.zig");\nconst m = @import("build.zig.zon");', ['a.zig', 'build.zig.zon']],
  ['packages and std are not files', 'const std = @import("std");\nconst p = @import("pkg");', []],
  ['any @embedFile', 'const d = @embedFile("data/x.bin");', ['data/x.bin']],
  ['spaces inside the call', 'const a = @import ( "a.zig" );', ['a.zig']],
  ['a commented-out import does not count', '// const a = @import("a.zig");\nconst b = @import("b.zig"); // @import("c.zig")', ['b.zig']],
  ['an import inside a multiline string does not count', 'const t =\n    \\\\@import("a.zig")\n;', []],
  ['relative paths as written', 'const u = @import("../up/u.zig");', ['../up/u.zig']],
  ['several on one line, in order', 'const a = @import("a.zig"); const b = @import("b.zig");', ['a.zig', 'b.zig']],
  ['an escaped quote inside the path literal', 'const a = @embedFile("we\\"ird.txt");', ['we\\"ird.txt']],
];

for (const [name, source, want] of REFERENCES) {
  test(`localReferences: ${name}`, () => {
    assert.deepEqual(localReferences(source), want);
  });
}
