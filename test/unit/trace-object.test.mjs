// Which builds link the trace object (src/compile/trace-object.ts), and what that changes in the
// compile command (src/compile/command.ts): the traced root and the object as a link input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { usesTraceObject } = require('../../dist/compile/trace-object.js');
const { compileArgs } = require('../../dist/compile/command.js');
const t = require('../../dist/target.js');

const linuxHost = { kind: 'node-api', os: 'linux', cpu: 'x86_64', zigTriple: 'native', host: true };
const CASES = [
  ['Debug', linuxHost, true],
  ['ReleaseSafe', linuxHost, true],
  ['ReleaseFast', linuxHost, false],
  ['ReleaseSmall', linuxHost, false],
  ['Debug', { ...linuxHost, shipped: true }, false],
  ['Debug', t.nodeApiTarget('aarch64-linux-gnu'), false],
  ['Debug', { ...linuxHost, os: 'macos' }, false],
  ['Debug', t.wasmTarget(), false],
];
for (const [optimize, target, expected] of CASES) {
  test(`usesTraceObject(${optimize}, ${t.targetId(target)}${target.shipped ? ' shipped' : ''}${target.os === 'macos' ? ' macos' : ''}) is ${expected}`, () => {
    assert.equal(usesTraceObject(optimize, target), expected);
  });
}

const module = { linkLibc: false, includePaths: [], linkSystem: [], cSources: [], cFlags: [] };
const input = { file: '/src/m.zig', optimize: 'Debug', zigCacheDir: '/tmp/zc', module, zigVersion: '0.17.1', target: linuxHost };

test('with a trace object, the traced root is the root module and the object follows it', () => {
  const args = compileArgs({ ...input, traceObject: '/home/u/.zigimport/tools/zigimport-traces-x.o' });
  const root = args.findIndex((a) => a.startsWith('-Mroot='));
  assert.match(args[root], /[/\\]root_traced\.zig$/);
  assert.equal(args[root + 1], '/home/u/.zigimport/tools/zigimport-traces-x.o');
  assert.ok(args.includes('-lc'), 'libc is still linked (dl_iterate_phdr, malloc)');
});

test('without one, the plain root and no object', () => {
  const args = compileArgs(input);
  assert.match(
    args.find((a) => a.startsWith('-Mroot=')),
    /[/\\]root\.zig$/,
  );
  assert.ok(!args.some((a) => a.endsWith('.o')));
});
