// The build.zig.zon reader and writer (no Zig needed): what zigimport copies into the generated
// project must survive a round trip, and bad text must name its line and column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { parseZon, formatZon, zonName, isZonStruct, ZonEnum } = require('../../dist/project/zon.js');

const MANIFEST = `.{
    // A comment.
    .name = .my_app,
    .version = "0.1.0",
    .fingerprint = 0xdeadbeef00000001,
    .minimum_zig_version = "0.15.1",
    .dependencies = .{
        .local = .{ .path = "../local" },
        .@"dash-name" = .{
            .url = "https://example.com/a.tar.gz?x=\\"q\\"",
            .hash = "a-1.0.0-AAAA",
            .lazy = true,
        },
    },
    .paths = .{ "build.zig", "src", },
}
`;

test('parses a manifest: enum literals, quoted names, big integers, escapes, nested structs and tuples', () => {
  const v = parseZon(MANIFEST, 'build.zig.zon');
  assert.ok(v.name instanceof ZonEnum);
  assert.equal(v.name.name, 'my_app');
  assert.equal(v.fingerprint, 0xdeadbeef00000001n);
  assert.deepEqual(v.dependencies.local, { path: '../local' });
  assert.equal(v.dependencies['dash-name'].url, 'https://example.com/a.tar.gz?x="q"');
  assert.equal(v.dependencies['dash-name'].lazy, true);
  assert.deepEqual(v.paths, ['build.zig', 'src']);
  assert.deepEqual(parseZon('.{}', 'x'), []);
});

test('formatZon writes text that parses back to the same value', () => {
  const v = parseZon(MANIFEST, 'build.zig.zon');
  assert.deepEqual(parseZon(formatZon(v), 'again'), v);
  assert.match(formatZon(v), /\.@"dash-name" = \.\{/);
});

test('errors name the file, line and column', () => {
  assert.throws(() => parseZon('.{\n    .a = ,\n}', 'bad.zon'), { code: 'ZIGIMPORT_INVALID_CONFIG', message: /^bad\.zon:2:10: expected a value/ });
  assert.throws(() => parseZon('.{ .a = 1, .a = 2 }', 'dup.zon'), /dup\.zon:1:13: duplicate field 'a'/);
  assert.throws(() => parseZon('.{ .a = "x }', 'str.zon'), /unterminated string/);
});

const VALUES = [
  ['decimal, negative, float and exponent numbers', '.{ 1_000, -5, 1.5, 2e3 }', [1000, -5, 1.5, 2000]],
  ['hex, octal and binary integers are exact (bigint)', '.{ 0x1F, 0o17, 0b101, -0x10 }', [31n, 15n, 5n, -16n]],
  ['a decimal integer past 2^53 stays exact', '9007199254740993', 9007199254740993n],
  ['string escapes: \\n \\t \\\\ \\" \\x \\u{}', String.raw`"a\n\t\\\"\x41\u{1F98E}"`, 'a\n\t\\"A\u{1F98E}'],
  ['a multiline string', '.{ .a = \\\\line one\n    \\\\line two\n, .b = 1 }', { a: 'line one\nline two', b: 1 }],
  ['true, false and null', '.{ true, false, null }', [true, false, null]],
  ['enum literals, plain and quoted', '.{ .x, .@"a b" }', [new ZonEnum('x'), new ZonEnum('a b')]],
  ['a quoted field name', '.{ .@"dash-name" = 1 }', { 'dash-name': 1 }],
  ['an empty container is an empty tuple', '.{ }', []],
  ['trailing commas and comments anywhere', '.{ // c\n  1, // d\n  2, // e\n}', [1, 2]],
  ['nested tuples and structs', '.{ .a = .{ .{ .b = .{} } } }', { a: [{ b: [] }] }],
  ['a field named like a keyword', '.{ .@"true" = true }', { true: true }],
];

for (const [name, text, want] of VALUES) {
  test(`parseZon: ${name}`, () => {
    assert.deepEqual(parseZon(text, 'v.zon'), want);
  });
}

const ERRORS = [
  ['text after the value', '.{ .a = 1 } x', /^e\.zon:1:13: unexpected text after the value$/],
  ['an unknown escape', String.raw`"\q"`, /^e\.zon:1:2: unknown escape \\q$/],
  ['an unclosed struct', '.{ .a = 1', /^e\.zon:1:10: expected '}'$/],
  ['a string across a line end (reported where the reader stopped, past the line end)', '.{ .a = "x\n" }', /^e\.zon:2:1: unterminated string$/],
  ['nothing at all', '', /^e\.zon:1:1: expected a value$/],
  ['a missing value on line 3', '.{\n    .a = 1,\n    .b = }', /^e\.zon:3:10: expected a value$/],
  ['a duplicate field', '.{ .a = 1, .a = 2 }', /^e\.zon:1:13: duplicate field 'a'$/],
  ['a bad field name', '.{ .1 = 2 }', /^e\.zon:1:5: expected a name$/],
];

for (const [name, text, message] of ERRORS) {
  test(`parseZon error names file:line:col: ${name}`, () => {
    assert.throws(
      () => parseZon(text, 'e.zon'),
      (err) => err.code === 'ZIGIMPORT_INVALID_CONFIG' && message.test(err.message),
    );
  });
}

const ROUND_TRIPS = [
  ['integers of every size and sign', [0n, -1n, 2n ** 64n, -(2n ** 70n), 7, -7, 1.25]],
  ['strings with quotes, backslashes, tabs, newlines and non-ASCII', ['"q"', 'back\\slash', 'tab\there', 'two\nlines', 'été 🦎', '\u0001']],
  ['names that need quoting', { 'dash-name': new ZonEnum('with space'), plain: new ZonEnum('ok'), '': 1 }],
  ['nested empties', { a: [], b: { c: [] } }],
];

for (const [name, value] of ROUND_TRIPS) {
  test(`formatZon round trip: ${name}`, () => {
    assert.deepEqual(parseZon(formatZon(value), 'again'), value);
  });
}

test('zonName quotes only what is not a plain identifier; isZonStruct tells structs from the rest', () => {
  assert.deepEqual(['name', '_x1', 'dash-name', '1st', 'a b', 'quo"te'].map(zonName), ['name', '_x1', '@"dash-name"', '@"1st"', '@"a b"', '@"quo\\"te"']);
  assert.deepEqual([{ a: 1 }, [], new ZonEnum('x'), null, 'text', undefined].map(isZonStruct), [true, false, false, false, false, false]);
});
