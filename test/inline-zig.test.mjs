// `zig` tagged templates: inline Zig source compiled through the cache (a file named by the
// source's hash in <cacheDir>/inline), loaded like any module; raw text (Zig escapes intact),
// interpolated values, one build per source, typed errors for bad input and bad Zig.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childEnv, runNode, tempDir } from './helpers.mjs';

async function run(script, env = childEnv()) {
  const r = await runNode(['-e', script], { env });
  return { ...r, output: r.stdout + r.stderr };
}

test('inline source: called, cached as one module per source, escapes reach Zig raw, values interpolated', async () => {
  const cacheDir = tempDir('inline-cache-');
  const r = await run(
    `const { zig, describeLoaded } = require('zigimport');
const width = 32;
const m = zig\`pub fn add(a: i\${width}, b: i\${width}) i\${width} { return a + b; }
pub fn text() []const u8 { return "tab\\there"; }\`;
const same = zig\`pub fn add(a: i\${width}, b: i\${width}) i\${width} { return a + b; }
pub fn text() []const u8 { return "tab\\there"; }\`;
const other = zig\`pub fn add(a: i32, b: i32) i32 { return a + b + 1; }\`;
console.log(JSON.stringify([m.add(2, 3), m.text(), same === m, other.add(2, 3), describeLoaded(m).file]));`,
    childEnv({ ZIGIMPORT_BUILD_DIR: cacheDir }),
  );
  assert.equal(r.code, 0, r.output);
  const [sum, text, same, otherSum, file] = JSON.parse(r.stdout.trim());
  assert.deepEqual([sum, text, same, otherSum], [5, 'tab\there', true, 6]);
  assert.equal(path.dirname(file), path.join(cacheDir, 'inline'));
  assert.match(fs.readFileSync(file, 'utf8'), /pub fn add\(a: i32, b: i32\) i32/);
  assert.equal(fs.readdirSync(path.join(cacheDir, 'inline')).filter((f) => f.endsWith('.zig')).length, 2);
  assert.ok(!fs.readdirSync(path.join(cacheDir, 'inline')).some((f) => f.endsWith('.d.zig.ts')), 'declarations written for inline source');
});

test('inline source that Zig rejects is a ZigCompileError; zig() without a template is a TypeError', async () => {
  const r = await run(
    `const { zig, ZigCompileError } = require('zigimport');
let compile = 'none';
try { zig\`pub fn broken() i32 { return undefined_name; }\`; } catch (e) { compile = [e instanceof ZigCompileError, e.code, /undefined_name/.test(e.message)]; }
let usage = 'none';
try { zig('pub fn f() void {}'); } catch (e) { usage = [e.name, e.message]; }
console.log(JSON.stringify({ compile, usage }));`,
  );
  assert.equal(r.code, 0, r.output);
  const { compile, usage } = JSON.parse(r.stdout.trim());
  assert.deepEqual(compile, [true, 'ZIGIMPORT_COMPILE_ERROR', true]);
  assert.deepEqual(usage, ['TypeError', 'zig is a template tag: write zig`pub fn ...`']);
});
