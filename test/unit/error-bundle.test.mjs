// Decoding the compiler's `--listen=-` output from RECORDED captures of Zig 0.15, 0.16 and 0.17
// (fixtures/listen/, re-recorded by fixtures/record.mjs): the ErrorBundle's errors, notes, source
// excerpts and @compileLog text, the emitted digest and the files the compiler read; then the
// message a ZigCompileError shows for them. No compiler runs here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { decodeServerOutput, decodeErrorBundle, clientMessages } = require('../../dist/compile/server.js');
const { formatCompileMessage } = require('../../dist/compile/diagnostics.js');

const LISTEN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'listen');
const CAPTURES = fs
  .readdirSync(LISTEN)
  .map((f) => /^(\d+\.\d+\.\d+)-(.+)\.listen\.gz$/.exec(f))
  .filter(Boolean)
  .map(([file, version, module]) => ({ version, module, stdout: gunzipSync(fs.readFileSync(path.join(LISTEN, file))) }));

const src = (name) => path.join(LISTEN, name);

/** What each recorded module decodes to, on every release. */
const EXPECTED = {
  failing: {
    diagnostics: [
      { file: src('failing.zig'), line: 4, column: 18, severity: 'error', message: "incompatible types: 'i32' and '[]const u8'" },
      { file: src('failing.zig'), line: 4, column: 14, severity: 'note', message: "type 'i32' here" },
      { file: src('failing.zig'), line: 4, column: 20, severity: 'note', message: "type '[]const u8' here" },
    ],
    excerpts: [
      ['    return a + b + s;', '           ~~~~~~^~~'],
      ['    return a + b + s;', '           ~~^~~'],
      ['    return a + b + s;', '                   ^'],
    ],
    compileLog: '',
    built: false,
  },
  'compile-log': {
    diagnostics: [
      { file: src('compile-log.zig'), line: 4, column: 9, severity: 'error', message: 'found compile log statement' },
      { file: src('compile-log.zig'), line: 11, column: 5, severity: 'note', message: 'also here' },
    ],
    excerpts: [
      ['        @compileLog("width", @bitSizeOf(i32));', '        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~'],
      ['    @compileLog("helper", T);', '    ^~~~~~~~~~~~~~~~~~~~~~~~'],
    ],
    compileLog: '@as(*const [5:0]u8, "width"), @as(comptime_int, 32)\n@as(i32, [runtime value])\n@as(*const [6:0]u8, "helper"), @as(type, u8)\n',
    built: false,
  },
  builds: { diagnostics: [], excerpts: [], compileLog: '', built: true },
};

test('there are captures of every module from Zig 0.15, 0.16 and 0.17', () => {
  for (const release of ['0.15.', '0.16.', '0.17.']) {
    const modules = CAPTURES.filter((c) => c.version.startsWith(release))
      .map((c) => c.module)
      .sort();
    assert.deepEqual(modules, Object.keys(EXPECTED).sort(), `captures of Zig ${release}x (run test/unit/fixtures/record.mjs)`);
  }
});

for (const { version, module, stdout } of CAPTURES) {
  test(`Zig ${version}, ${module}: errors, notes, excerpts and compile log decode`, () => {
    const want = EXPECTED[module];
    assert.ok(want, `no expectation for the capture ${module}`);
    const r = decodeServerOutput(stdout, version, LISTEN);
    assert.equal(r.zigVersion, version);
    assert.deepEqual(r.diagnostics, want.diagnostics);
    assert.deepEqual(r.excerpts, want.excerpts);
    assert.equal(r.compileLog, want.compileLog);
    if (want.built) {
      assert.match(r.digest ?? '', /^[0-9a-f]{32}$/);
      assert.equal(r.cacheHit, false, 'recorded with an empty Zig cache');
    } else assert.equal(r.digest, undefined, 'a failed compile emits nothing');
  });

  test(`Zig ${version}, ${module}: the files the compiler read decode, the user's file among them`, () => {
    const { inputs } = decodeServerOutput(stdout, version, LISTEN);
    // 0.17 names the root module's file relative to the build root; earlier releases to the cwd.
    assert.ok(
      inputs.some((i) => ['cwd', 'build_root'].includes(i.prefix) && path.basename(i.subPath) === `${module}.zig`),
      `${module}.zig in ${JSON.stringify(inputs.filter((i) => i.prefix !== 'zig_lib'))}`,
    );
    assert.ok(
      inputs.some((i) => i.prefix === 'zig_lib' && i.subPath === 'std/std.zig'),
      "Zig's standard library is reported with its prefix",
    );
    assert.ok(inputs.every((i) => i.subPath.length > 0));
  });
}

test('an empty ErrorBundle (no errors) decodes to nothing', () => {
  assert.deepEqual(decodeErrorBundle(Buffer.alloc(8), '/'), { diagnostics: [], excerpts: [], compileLog: '' });
});

test('a message cut short (a compiler that crashed mid-write) ends decoding without throwing', () => {
  const capture = CAPTURES.find((c) => c.module === 'failing');
  const whole = decodeServerOutput(capture.stdout, capture.version, LISTEN);
  // The capture ends with the error_bundle: drop its last bytes.
  const cut = capture.stdout.subarray(0, capture.stdout.length - 5);
  const r = decodeServerOutput(cut, capture.version, LISTEN);
  assert.equal(r.zigVersion, capture.version, 'the complete messages before it still decode');
  assert.deepEqual(r.inputs, whole.inputs);
  assert.deepEqual(r.diagnostics, []);
});

test('what zigimport sends: one update, then exit', () => {
  const m = clientMessages();
  assert.deepEqual([m.readUInt32LE(0), m.readUInt32LE(4), m.readUInt32LE(8), m.readUInt32LE(12)], [1, 0, 0, 0]);
});

for (const { version, module, stdout } of CAPTURES.filter((c) => c.module !== 'builds')) {
  test(`Zig ${version}, ${module}: the ZigCompileError message`, () => {
    const r = decodeServerOutput(stdout, version, LISTEN);
    const message = formatCompileMessage(src(`${module}.zig`), { ...r, general: [] }, 'fallback');
    assert.ok(message.startsWith(`Zig could not compile ${src(`${module}.zig`)}:\n\n`));
    assert.ok(!message.includes('fallback'));
    if (module === 'failing') {
      assert.ok(
        message.includes(`${src('failing.zig')}:4:18: error: incompatible types: 'i32' and '[]const u8'\n    return a + b + s;\n           ~~~~~~^~~\n`),
      );
      assert.ok(message.includes(`${src('failing.zig')}:4:20: note: type '[]const u8' here`));
      assert.ok(!message.includes('Compile log output'));
    } else {
      const section = message.slice(message.indexOf('Compile log output'));
      assert.equal(
        section,
        [
          'Compile log output from the @compileLog calls at:',
          `  ${src('compile-log.zig')}:4:9`,
          `  ${src('compile-log.zig')}:6:5`,
          `  ${src('compile-log.zig')}:11:5`,
          'Values, in the order Zig evaluated them:',
          '  @as(*const [5:0]u8, "width"), @as(comptime_int, 32)',
          '  @as(i32, [runtime value])',
          '  @as(*const [6:0]u8, "helper"), @as(type, u8)',
          'Remove the @compileLog calls to build the module.',
        ].join('\n'),
      );
    }
  });
}
