// The build.zig.zon reader and writer (no Zig needed): what zigimport copies into the generated
// project must survive a round trip, and bad text must name its line and column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { require } from './helpers.mjs';

const { parseZon, formatZon, ZonEnum } = require('../dist/project/zon.js');

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
