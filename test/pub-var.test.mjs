// `pub var` (issue 12 point 1): live accessors on the exports object and on namespaces, for every
// kind of value, on Zig 0.17 and 0.15; Zig and JS see one variable; assignments convert like
// arguments (same TypeError/RangeError, naming the variable); the ESM named-import rule; and the
// generated declarations checked by tsc (test/fixtures/ts/pub_var.mts).
import { test, describe as group } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  FIXTURES,
  ROOT,
  SHARED_BUILD_DIR,
  childEnv,
  installedZig,
  linkPackage,
  require,
  runNode,
  tempDir,
  writeSource,
  zigimport,
  throwsLike,
} from './helpers.mjs';

const FIXTURE = path.join(FIXTURES, 'pub_var.zig');
const TS_FIXTURES = path.join(FIXTURES, 'ts');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const { generateDeclarations } = require('../dist/types/generate.js');

for (const release of ['0.17', '0.15']) {
  group(`Zig ${release}`, () => {
    // Each release's build is its own shared library, so each has its own variables.
    const m = zigimport.loadSync(FIXTURE, { cacheDir: SHARED_BUILD_DIR, zig: installedZig(release), types: false });

    test('every kind of variable reads its current Zig value', () => {
      assert.equal(m.counter, 0);
      assert.equal(m.small, 7);
      assert.equal(m.enabled, false);
      assert.equal(m.big, 1n << 60n);
      assert.equal(m.wide, -(1n << 100n));
      assert.equal(m.ratio, 0.5);
      assert.deepEqual(m.origin, { x: 1, y: 2 });
      assert.deepEqual(m.samples, new Float64Array([1, 2, 3]));
      assert.equal(m.maybe, null);
      assert.deepEqual(m.shape, { circle: 1 });
      assert.equal(m.color, 'green');
      assert.equal(m.name, 'zig');
      assert.deepEqual(m.owner, { name: 'ada', age: 36 });
      assert.deepEqual(m.tags, ['a', 'b']);
      assert.equal(m.parsed, 3);
      assert.equal(m.literal, 'hello');
      assert.equal(m.stats.hits, 0);
      assert.deepEqual(m.bytes, new Uint8Array([1, 2, 3]));
      assert.deepEqual(m.series, new Float64Array([0.5, 1.5]));
      // A read converts anew: a struct read twice gives two objects, not a shared cache.
      assert.notEqual(m.origin, m.origin);
    });

    test('variables are enumerable accessors, not skipped; constants stay values', () => {
      const d = Object.getOwnPropertyDescriptor(m, 'counter');
      assert.equal(typeof d.get, 'function');
      assert.equal(typeof d.set, 'function');
      assert.equal(d.enumerable, true);
      assert.equal(d.configurable, false);
      assert.equal(typeof Object.getOwnPropertyDescriptor(m.stats, 'hits').set, 'function');
      const lit = Object.getOwnPropertyDescriptor(m, 'literal');
      assert.equal(typeof lit.get, 'function');
      assert.equal(lit.set, undefined, 'a *const [5:0]u8 variable cannot take a JS string');
      const limit = Object.getOwnPropertyDescriptor(m, 'limit');
      assert.equal(limit.value, 100);
      assert.equal(limit.writable, false);
      assert.ok(Object.keys(m).includes('counter') && Object.keys(m).includes('tags'));
      assert.deepEqual(m.__zigimport_skipped, []);
      const desc = JSON.parse(m.__zigimport_describe());
      const find = (list, name) => list.find((e) => e.name === name);
      assert.deepEqual(find(desc.exports, 'counter'), { kind: 'variable', name: 'counter', type: { kind: 'number', zig: 'i32' }, readonly: false, errors: [] });
      assert.deepEqual(find(desc.exports, 'parsed'), {
        kind: 'variable',
        name: 'parsed',
        type: { kind: 'number', zig: 'i32' },
        readonly: false,
        errors: ['Invalid'],
      });
      assert.equal(find(desc.exports, 'literal').readonly, true);
      assert.equal(find(desc.exports, 'limit').kind, 'constant');
      assert.deepEqual(find(find(desc.exports, 'stats').members, 'hits').type, { kind: 'number', zig: 'u32' });
    });

    test('a change made by a Zig function is visible at the next read', () => {
      assert.equal(m.bump(5), 5);
      assert.equal(m.counter, 5);
      m.stats.hit();
      m.stats.hit();
      assert.equal(m.stats.hits, 2);
      m.fail();
      throwsLike(() => m.parsed, 'Error', /^parsed holds error\.Invalid$/);
      assert.throws(() => m.parsed, { code: 'Invalid' });
    });

    test('JS assigns, Zig reads the new value', () => {
      m.counter = -40;
      assert.equal(m.bump(2), -38);
      m.stats.hits = 10;
      m.stats.hit();
      assert.equal(m.stats.hits, 11);
      m.big = 2n ** 64n - 1n;
      assert.equal(m.big, 2n ** 64n - 1n);
      m.big = 12; // a number is accepted for a bigint variable, as for an argument
      assert.equal(m.big, 12n);
      m.wide = -(2n ** 120n);
      assert.equal(m.wide, -(2n ** 120n));
      m.samples = [4, 5, 6];
      m.origin = { x: 10, y: 20 };
      assert.equal(m.sum(), 45);
      m.samples = new Float64Array([1, 1, 1]);
      assert.deepEqual(m.samples, new Float64Array([1, 1, 1]));
      m.shape = { square: 3 };
      assert.equal(m.area(), 9);
      m.enabled = true;
      m.color = 'blue';
      m.maybe = 4;
      assert.equal(m.describeState(), 'off');
      m.maybe = undefined;
      assert.equal(m.maybe, null);
      assert.equal(m.describeState(), 'on');
      m.parsed = 8; // an error union variable takes its payload
      assert.equal(m.parsed, 8);
      m.ratio = 1.25;
      assert.equal(m.ratio, 1.25);
    });

    test('strings and slices assigned from JS own their memory until the next assignment', () => {
      m.name = 'hello world';
      assert.equal(m.nameLength(), 11n, 'usize results are bigints');
      assert.equal(m.name, 'hello world');
      // Each assignment frees the previous copy; Zig always sees the newest whole value.
      for (let i = 0; i < 2000; i++) m.name = `${'x'.repeat(i % 700)}é`;
      assert.equal(m.nameLength(), BigInt((1999 % 700) + 2));
      // A Uint8Array is copied, not borrowed: changing it afterwards does not change the variable.
      const bytes = new Uint8Array([104, 105]);
      m.name = bytes;
      bytes[0] = 120;
      assert.equal(m.name, 'hi');
      m.owner = { name: 'grace hopper', age: 85 };
      assert.equal(m.greeting(), 'grace hopper is 85');
      m.tags = ['one', 'three', 'fifteen'];
      assert.equal(m.tagCount(), 15n);
      assert.deepEqual(m.tags, ['one', 'three', 'fifteen']);
      // A mutable []u8 variable: Zig's writes go to the variable's own copy, never to the
      // Uint8Array assigned (it may be gone by then); reads copy out.
      m.incrementBytes();
      assert.deepEqual(m.bytes, new Uint8Array([2, 3, 4]));
      const given = new Uint8Array([9, 255]);
      m.bytes = given;
      m.incrementBytes();
      assert.deepEqual(m.bytes, new Uint8Array([10, 0]));
      assert.deepEqual(given, new Uint8Array([9, 255]));
      m.series = [1, 2, 3.5];
      assert.equal(m.seriesTotal(), 6.5);
      m.series = new Float64Array([4]);
      assert.equal(m.seriesTotal(), 4);
    });

    test('invalid assignments throw the argument errors, name the variable, and change nothing', () => {
      m.counter = 1;
      throwsLike(() => (m.counter = 'x'), 'TypeError', /^counter must be a number, got string$/);
      throwsLike(() => (m.counter = 1.5), 'TypeError', /^counter must be an integer/);
      throwsLike(() => (m.small = 300), 'RangeError', /^small is out of range for u8 \(0\.\.255\)$/);
      throwsLike(() => (m.enabled = 1), 'TypeError', /^enabled must be a boolean/);
      throwsLike(() => (m.big = -1n), 'RangeError', /^big/);
      throwsLike(() => (m.color = 'purple'), 'TypeError', /^color/);
      throwsLike(() => (m.origin = { x: 1 }), 'TypeError', /^origin\.y is missing/);
      throwsLike(() => (m.samples = [1, 2]), 'RangeError', /^samples must have length 3, got 2$/);
      throwsLike(() => (m.stats.hits = -1), 'RangeError', /^stats\.hits/);
      throwsLike(() => (m.owner = { name: 7, age: 1 }), 'TypeError', /^owner\.name must be a string/);
      const name = m.name;
      throwsLike(() => (m.name = 5), 'TypeError', /^name must be a string or Uint8Array/);
      assert.equal(m.counter, 1);
      assert.equal(m.small, 7);
      assert.equal(m.name, name);
    });

    test('constants and read-only variables: strict mode throws, sloppy mode ignores', () => {
      // This file is an ES module, so strict.
      throwsLike(() => (m.limit = 5), 'TypeError', /read only property 'limit'/);
      throwsLike(() => (m.literal = 'x'), 'TypeError', /only a getter/);
      const sloppy = new Function('m', 'm.limit = 5; m.literal = "x"; return [m.limit, m.literal];');
      assert.deepEqual(sloppy(m), [100, 'hello']);
    });
  });
}

test('ESM: a named import is the value at import time; the default export is live', async () => {
  const project = tempDir('pubvar-');
  linkPackage(project);
  fs.copyFileSync(FIXTURE, path.join(project, 'pub_var.zig'));
  writeSource(
    path.join(project, 'main.mjs'),
    `import m, { counter, bump, stats } from './pub_var.zig';
const before = counter;
bump(2);
stats.hit();
m.counter = 40;
console.log(JSON.stringify({ before, named: counter, live: m.counter, hits: stats.hits, sameFn: m.bump === bump }));
`,
  );
  const r = await runNode(['--import', 'zigimport/register', 'main.mjs'], { cwd: project, env: childEnv() });
  assert.equal(r.code, 0, r.stderr);
  // A namespace is one object, so its variables stay live through the named import too.
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop()), { before: 0, named: 0, live: 40, hits: 1, sameFn: true });
});

test('declarations: let for variables, const when read-only, checked by tsc', () => {
  const m = zigimport.loadSync(FIXTURE, { cacheDir: SHARED_BUILD_DIR, zig: installedZig('0.17'), types: false });
  const text = generateDeclarations(JSON.parse(m.__zigimport_describe()), { sourceName: 'pub_var.zig' });
  assert.match(text, /^export declare let counter: number;$/m);
  assert.match(text, /^export declare let owner: Person;$/m);
  assert.match(text, /^export declare const literal: string;$/m);
  assert.match(text, /^export declare const limit: 100;$/m);
  assert.match(text, /^ {2}export let hits: number;$/m);
  assert.match(text, /^ {2}get big\(\): bigint;\n {2}set big\(value: number \| bigint\);$/m);
  assert.match(text, /^ {2}counter: typeof counter;$/m);
  assert.match(text, /^ {2}readonly literal: typeof literal;$/m);
  assert.match(text, /@throws \{Error\} when it holds a Zig error \(code: 'Invalid'\)/);
  // Read as CommonJS (default import = the namespace) and as an ES module (default = __module).
  for (const [type, files] of [
    [undefined, ['pub_var.mts']],
    ['module', ['pub_var.mts', 'pub_var_esm.mts']],
  ]) {
    const dir = tempDir('pubvar-ts-');
    fs.copyFileSync(path.join(TS_FIXTURES, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
    if (type) fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type }));
    for (const f of files) fs.copyFileSync(path.join(TS_FIXTURES, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'pub_var.d.zig.ts'), text);
    const r = spawnSync(process.execPath, [TSC, '-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}\n(project: ${dir}, type: ${type})`);
  }
});

// Random values assigned to every variable, each followed by reads of every variable and calls of
// every function that reads them, in a child process (a crash must not take the runner down).
const fuzzChild = String.raw`
const m = require(DIST).loadSync(FIXTURE, { types: false });
const desc = JSON.parse(m.__zigimport_describe());
let s = 20261201;
const rnd = () => { s = (s + 0x6D2B79F5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
const marker = new Error('thrown by the fuzzer');
const detached = () => { const ab = new ArrayBuffer(24); const ta = new Float64Array(ab); structuredClone(ab, { transfer: [ab] }); return ta; };
const throwing = () => ({ get x() { throw marker; }, get name() { throw marker; }, get circle() { throw marker; }, y: 1, age: 1 });
const cyclic = () => { const o = { x: 1, y: 2, name: 'c', age: 3 }; o.self = o; return o; };
const scalars = [undefined, null, true, false, 0, -0, 1, -1, 7, 255, 256, 1.5, NaN, Infinity, 2 ** 53, 2 ** 64, 0n, -1n, 2n ** 64n, -(2n ** 200n),
  '', 'abc', 'red', 'blue', 'é€😀', '\uD800', 'x'.repeat(5000), Symbol('s')];
const typed = [Int8Array, Uint8Array, Int32Array, Float64Array, BigUint64Array];
function value(depth = 0) {
  const r = rnd();
  if (r < 0.4 || depth > 2) return pick(scalars);
  if (r < 0.5) { const T = pick(typed); return new T(Math.floor(rnd() * 5)); }
  if (r < 0.62) return Array.from({ length: Math.floor(rnd() * 5) }, () => value(depth + 1));
  if (r < 0.74) return { x: value(depth + 1), y: value(depth + 1), name: value(depth + 1), age: value(depth + 1) };
  if (r < 0.84) return { [pick(['circle', 'square', 'zzz'])]: value(depth + 1) };
  if (r < 0.92) return pick([detached, throwing, cyclic])();
  return new Proxy({}, { get() { throw marker; }, ownKeys() { throw marker; } });
}
const vars = [];
const fns = [];
const walk = (obj, list, prefix) => {
  for (const e of list) {
    if (e.kind === 'variable') vars.push({ obj, name: e.name, label: prefix + e.name, errors: e.errors });
    if (e.kind === 'function' && e.params.length === 0) fns.push({ fn: obj[e.name], label: prefix + e.name, errors: e.errors });
    if (e.kind === 'namespace') walk(obj[e.name], e.members, prefix + e.name + '.');
  }
};
walk(m, desc.exports, '');
const bad = [];
let assigned = 0, rejected = 0;
const allowed = (e, errors) => e === marker || e instanceof TypeError || e instanceof RangeError || (e && e.constructor === Error && (errors === null || errors.includes(e.code)));
for (let i = 0; i < 4000; i++) {
  const v = pick(vars);
  try { v.obj[v.name] = value(); assigned++; } catch (e) { rejected++; if (!allowed(e, []) && bad.length < 20) bad.push(v.label + ' = : ' + (e && e.stack || String(e))); }
  for (const w of vars) { try { w.obj[w.name]; } catch (e) { if (!allowed(e, w.errors) && bad.length < 20) bad.push(w.label + ': ' + (e && e.stack || String(e))); } }
  for (const f of fns) { if (f.label === 'fail') continue; try { f.fn(); } catch (e) { if (!allowed(e, f.errors) && bad.length < 20) bad.push(f.label + '(): ' + (e && e.stack || String(e))); } }
  if (i % 500 === 0) globalThis.gc();
}
console.log(JSON.stringify({ assigned, rejected, vars: vars.length, bad }));
`;

test('fuzz: random assignments to every variable never crash; rejections are TypeError / RangeError', () => {
  for (const release of ['0.17', '0.15']) {
    const script = fuzzChild.replace('DIST', JSON.stringify(path.join(ROOT, 'dist', 'index.js'))).replace('FIXTURE', JSON.stringify(FIXTURE));
    const env = { ...process.env, ZIGIMPORT_BUILD_DIR: SHARED_BUILD_DIR, ZIGIMPORT_ZIG: installedZig(release) };
    const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', env, timeout: 120_000 });
    assert.equal(r.signal, null, `child died with ${r.signal}: ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop());
    assert.deepEqual(out.bad, [], out.bad.join('\n\n'));
    assert.equal(out.vars, 19);
    assert.ok(out.assigned > 200 && out.rejected > 200, JSON.stringify(out));
  }
});

test('worker threads share a variable: concurrent string assignments free each copy once', () => {
  const script = `
const { Worker, isMainThread, workerData } = require('node:worker_threads');
const m = require(DIST).loadSync(FIXTURE, { types: false });
if (isMainThread) {
  const workers = [1, 2, 3].map((id) => new Worker(__filename_eval, { eval: true, workerData: id }));
  let done = 0;
  for (const w of workers) w.on('exit', (code) => { if (code !== 0) process.exit(10 + code); if (++done === workers.length) finish(); });
  for (let i = 0; i < 20000; i++) m.name = 'main-' + 'm'.repeat(i % 50);
  function finish() { console.log(JSON.stringify({ name: m.name, length: Number(m.nameLength()) })); }
} else {
  for (let i = 0; i < 20000; i++) m.name = 'worker' + workerData + '-' + 'w'.repeat(i % 50);
}
`;
  for (const release of ['0.17', '0.15']) {
    const body = script.replace('DIST', JSON.stringify(path.join(ROOT, 'dist', 'index.js'))).replace('FIXTURE', JSON.stringify(FIXTURE));
    const full = body.replace('__filename_eval', JSON.stringify(body));
    const env = { ...process.env, ZIGIMPORT_BUILD_DIR: SHARED_BUILD_DIR, ZIGIMPORT_ZIG: installedZig(release) };
    const r = spawnSync(process.execPath, ['-e', full], { encoding: 'utf8', env, timeout: 120_000 });
    assert.equal(r.signal, null, `child died with ${r.signal}: ${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop());
    assert.match(out.name, /^(main|worker[123])-[mw]*$/);
    assert.equal(out.length, Buffer.byteLength(out.name));
  }
});
