// Turning compiler diagnostics into a ZigCompileError message: Zig's text output parsed into
// file:line:col diagnostics, the user's errors before the binding layer's, repeats shown once,
// and @compileLog values under the calls found in the source.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { parseZigOutput, formatCompileMessage, compileLogCalls, formatCompileLog, stripAnsi } = require('../../dist/compile/diagnostics.js');
const { BINDING_DIR } = require('../../dist/paths.js');

const CALLS = [
  ['none', 'pub fn f() void {}', []],
  ['one per line, 1-based', 'a\n    @compileLog(x);\n', [{ line: 2, column: 5 }]],
  [
    'two on a line, spaces before the paren',
    '@compileLog(a); @compileLog (b);',
    [
      { line: 1, column: 1 },
      { line: 1, column: 17 },
    ],
  ],
  ['in a // comment: no', '    // @compileLog(x);\n', []],
  ['after code, in a comment: no', 'f(); // @compileLog(x);', []],
  ['inside a string: no', 'const s = "@compileLog(";', []],
  ['after a string holding an escaped quote', 'const s = "\\"@compileLog("; @compileLog(s);', [{ line: 1, column: 29 }]],
  ['after a character literal holding a quote', "const c = '\"'; @compileLog(c);", [{ line: 1, column: 16 }]],
  ['in a \\\\ multiline string line: no', '    \\\\@compileLog(x)\n', []],
  ['columns count bytes, as Zig does', 'const s = "é"; @compileLog(s);', [{ line: 1, column: 17 }]],
  ['a name that only starts alike is still the builtin', '@compileLogX(1);', []],
];

for (const [name, source, want] of CALLS) {
  test(`compileLogCalls: ${name}`, () => {
    assert.deepEqual(compileLogCalls(source), want);
  });
}

test('parseZigOutput reads located diagnostics with their excerpts, and unlocated ones apart', () => {
  const stderr = [
    "\u001b[1mmod.zig:3:5: error: expected type 'i32', found 'bool'\u001b[0m",
    '    return true;',
    '    ^~~~~~~~~~~',
    'mod.zig:1:1: note: function return type declared here',
    'referenced by:',
    '    root: zig/root.zig:9:5',
    'error: unable to open output directory',
    '',
  ].join('\n');
  const r = parseZigOutput(stderr, '/proj');
  assert.deepEqual(r.diagnostics, [
    { file: '/proj/mod.zig', line: 3, column: 5, severity: 'error', message: "expected type 'i32', found 'bool'" },
    { file: '/proj/mod.zig', line: 1, column: 1, severity: 'note', message: 'function return type declared here' },
  ]);
  assert.deepEqual(r.excerpts, [['    return true;', '    ^~~~~~~~~~~'], []], 'the reference trace is not an excerpt');
  assert.deepEqual(r.general, ['error: unable to open output directory']);
  assert.equal(stripAnsi('\u001b[31mred\u001b[0m'), 'red');
});

const user = (line, message, severity = 'error') => ({ file: '/p/m.zig', line, column: 1, severity, message });
const internal = (line, message, severity = 'error') => ({ file: path.join(BINDING_DIR, 'exports.zig'), line, column: 2, severity, message });

const MESSAGES = [
  {
    name: "the user's error comes before one from the binding layer, which names where it came from",
    parsed: { diagnostics: [internal(10, 'cannot export type T'), user(2, 'bad')], excerpts: [['x'], ['  bad();', '  ^']], general: [] },
    want: `Zig could not compile /p/m.zig:\n\n/p/m.zig:2:1: error: bad\n  bad();\n  ^\n\nerror: cannot export type T\n  (reported by zigimport's binding layer at ${path.join(BINDING_DIR, 'exports.zig')}:10:2)`,
  },
  {
    name: 'notes stay with their error; a note inside the binding layer is dropped',
    parsed: { diagnostics: [user(2, 'bad'), user(1, 'declared here', 'note'), internal(5, 'called from here', 'note')], excerpts: [[], [], []], general: [] },
    want: 'Zig could not compile /p/m.zig:\n\n/p/m.zig:2:1: error: bad\n/p/m.zig:1:1: note: declared here',
  },
  {
    name: 'the same error reported twice is shown once; unlocated messages come last',
    parsed: { diagnostics: [user(2, 'bad'), user(2, 'bad')], excerpts: [[], []], general: ['error: out of memory'] },
    want: 'Zig could not compile /p/m.zig:\n\n/p/m.zig:2:1: error: bad\n\nerror: out of memory',
  },
  {
    name: 'nothing parsed: the fallback text',
    parsed: { diagnostics: [], excerpts: [], general: [] },
    want: 'Zig could not compile /p/m.zig:\n\nzig exited with 1',
  },
  {
    name: 'compile log values with no location and no readable file: the values alone',
    parsed: { diagnostics: [user(2, 'bad')], excerpts: [[]], general: [], compileLog: '@as(i32, 1)\n' },
    want: 'Zig could not compile /p/m.zig:\n\n/p/m.zig:2:1: error: bad\n\nCompile log output:\n  @as(i32, 1)\nRemove the @compileLog calls to build the module.',
  },
];

for (const { name, parsed, want } of MESSAGES) {
  test(`formatCompileMessage: ${name}`, () => {
    assert.equal(formatCompileMessage('/p/m.zig', parsed, '  zig exited with 1\n'), want);
  });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zi-diagnostics-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test("formatCompileMessage: with another error, the @compileLog calls are found in the module's own file", () => {
  const file = path.join(dir, 'log.zig');
  fs.writeFileSync(file, 'pub fn f() void {\n    // @compileLog(0);\n    @compileLog(1);\n    @compileLog(2);\n}\n');
  const message = formatCompileMessage(
    file,
    {
      diagnostics: [{ file, line: 5, column: 1, severity: 'error', message: 'bad' }],
      excerpts: [[]],
      general: [],
      compileLog: '@as(comptime_int, 1)\n@as(comptime_int, 2)\n',
    },
    '',
  );
  assert.ok(
    message.endsWith(
      `Compile log output from the @compileLog calls at:\n  ${file}:3:5\n  ${file}:4:5\nValues, in the order Zig evaluated them:\n  @as(comptime_int, 1)\n  @as(comptime_int, 2)\nRemove the @compileLog calls to build the module.`,
    ),
    message,
  );
});

test('formatCompileLog: places listed in the order given, values indented', () => {
  assert.equal(
    formatCompileLog('a\nb\n\n', ['/x.zig:1:1']),
    'Compile log output from the @compileLog calls at:\n  /x.zig:1:1\nValues, in the order Zig evaluated them:\n  a\n  b\nRemove the @compileLog calls to build the module.',
  );
});
