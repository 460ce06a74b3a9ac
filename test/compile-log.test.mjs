// @compileLog output in ZigCompileError: the logged values and the file:line:col of the calls
// that logged them, from the compiler's ErrorBundle, on the oldest and newest supported Zig
// (real compiles in a child process for each release).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { childEnv, installedZig, ROOT, runNode, tempDir, writeSource } from './helpers.mjs';

const PROBE = path.join(ROOT, 'test', 'support', 'probe.cjs');
const RELEASES = ['0.17', '0.15'];

async function compileError(zig, file) {
  const r = await runNode([PROBE, file], { env: childEnv({ ZIGIMPORT_ZIG: zig }) });
  const out = JSON.parse(r.stdout.trim());
  assert.equal(out.ok, false, `expected a compile error, got ${r.stdout}`);
  assert.equal(out.code, 'ZIGIMPORT_COMPILE_ERROR');
  return out.message;
}

/** The lines of the message's compile-log section: call sites, then values. */
function logSection(message) {
  const at = message.indexOf('Compile log output');
  assert.ok(at >= 0, `no compile log section in:\n${message}`);
  const lines = message.slice(at).split('\n');
  const valuesAt = lines.findIndex((l) => l.startsWith('Values, in the order Zig evaluated them'));
  const end = lines.findIndex((l) => l.startsWith('Remove the @compileLog calls'));
  assert.ok(valuesAt > 0 && end > valuesAt, `section out of shape:\n${message.slice(at)}`);
  return { sites: lines.slice(1, valuesAt).map((l) => l.trim()), values: lines.slice(valuesAt + 1, end).map((l) => l.trim()) };
}

const LOGGING = `pub fn add(a: i32, b: i32) i32 {
    comptime {
        @compileLog("width", @bitSizeOf(i32));
    }
    @compileLog(a); // @compileLog(not, a, call)
    return a + b + helper(u8);
}

fn helper(comptime T: type) i32 {
    @compileLog("helper", T);
    return 0;
}
`;

const LOGGING_AND_BROKEN = `pub fn add(a: i32, b: i32) i32 {
    @compileLog("before the error", a);
    const s: []const u8 = "x";
    return a + b + s;
}
`;

for (const release of RELEASES) {
  test(`Zig ${release}: the values of @compileLog calls are shown under the file:line:col of every call`, async () => {
    const file = path.join(tempDir('log-'), 'logging.zig');
    writeSource(file, LOGGING);
    const message = await compileError(installedZig(release), file);
    assert.match(message, new RegExp(`${escapeRegExp(file)}:3:9: error: found compile log statement`));
    const { sites, values } = logSection(message);
    // Zig itself names only the first call of each function; the other call and the comment are told apart.
    assert.deepEqual(sites, [`${file}:3:9`, `${file}:5:5`, `${file}:10:5`]);
    assert.deepEqual(values, [
      '@as(*const [5:0]u8, "width"), @as(comptime_int, 32)',
      '@as(i32, [runtime value])',
      '@as(*const [6:0]u8, "helper"), @as(type, u8)',
    ]);
  });

  test(`Zig ${release}: with another error in the module, the logged values still appear with their call`, async () => {
    const file = path.join(tempDir('log-'), 'broken.zig');
    writeSource(file, LOGGING_AND_BROKEN);
    const message = await compileError(installedZig(release), file);
    assert.match(message, new RegExp(`${escapeRegExp(file)}:4:18: error: incompatible types`));
    assert.doesNotMatch(message, /found compile log statement/, 'Zig leaves that error out when there are others');
    const { sites, values } = logSection(message);
    assert.deepEqual(sites, [`${file}:2:5`]);
    assert.deepEqual(values, ['@as(*const [16:0]u8, "before the error"), @as(i32, [runtime value])']);
  });

  test(`Zig ${release}: a compile error without @compileLog has no compile log section`, async () => {
    const file = path.join(tempDir('log-'), 'plain.zig');
    writeSource(file, 'pub fn value() i32 {\n    return "not a number";\n}\n');
    const message = await compileError(installedZig(release), file);
    assert.match(message, /expected type 'i32'/);
    assert.doesNotMatch(message, /Compile log output/);
  });
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
