// Fuzz: thousands of random JS values against every exported
// function, method and constructor of the type-matrix fixture (and of the fixtures of
// issue 12: values, data classes and iterators, function values), in a child
// process. Returned iterators are drained and returned functions called with random values too. Zero crashes; every rejection is a TypeError, a RangeError, a Zig
// error the descriptor lists, or the error our own getters/callbacks threw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SHARED_BUILD_DIR } from './helpers.mjs';

const distIndex = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/type_matrix.zig', import.meta.url));
const seed = Number(process.env.ZIGIMPORT_FUZZ_SEED ?? 20261121);

const child = String.raw`
const m = require(DIST).loadSync(FIXTURE);
const desc = JSON.parse(m.__zigimport_describe());
let s = SEED >>> 0;
const rnd = () => { s = (s + 0x6D2B79F5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
class Marker extends Error {}
const marker = new Marker('thrown by the fuzzer');
const detached = () => { const ab = new ArrayBuffer(16); const ta = new Float64Array(ab); structuredClone(ab, { transfer: [ab] }); return ta; };
const cyclic = () => { const o = { x: 1, y: 2, name: 'c' }; o.self = o; o.origin = o; return o; };
const sparse = () => { const a = [1, , 3]; a.length = 6; return a; };
const throwing = () => ({ get x() { throw marker; }, get name() { throw marker; }, get circle() { throw marker; }, y: 1 });
const disposed = () => { if (!m.Counter) return {}; const c = new m.Counter(1); c.dispose(); return c; };
// Errors as values (E!T parameters): known and unknown codes, no code, a throwing code getter.
const zigError = (code) => Object.assign(new Error('error.' + code), { code });
const errorValues = () => pick(['NotFound', 'AccessDenied', 'ok', 'failed', zigError('NotFound'), zigError('AccessDenied'), zigError('Bad'), zigError(7), new Error('no code'), Object.defineProperty(new Error('getter'), 'code', { get() { throw marker; } })]);
// JS that detaches or refills the last typed array made (possibly an earlier
// argument Zig borrowed) from a getter or a callback, and sparse arrays of length 2^32-1.
let lastTyped = null;
const detachLast = () => { if (lastTyped && lastTyped.buffer.byteLength) structuredClone(lastTyped.buffer, { transfer: [lastTyped.buffer] }); if (rnd() < 0.1) globalThis.gc(); };
const refillLast = () => { if (lastTyped && lastTyped.length) lastTyped.fill(lastTyped instanceof BigInt64Array || lastTyped instanceof BigUint64Array ? 7n : 7); };
const detaching = () => ({ get x() { detachLast(); return 1; }, get y() { refillLast(); return 2; }, get name() { detachLast(); return 'n'; }, get circle() { detachLast(); return 1; } });
const hugeSparse = () => { const a = []; a.length = 2 ** 32 - 1; return a; };
const typed = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array];
const scalars = [undefined, null, true, false, 0, -0, 1, -1, 7, 255, 256, 1.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 53, 2 ** 64, -(2 ** 63), 1e308,
  0n, 1n, -1n, 2n ** 63n, 2n ** 64n, -(2n ** 200n), 2n ** 64n - 1n, -(2n ** 63n), -(2n ** 63n) - 1n, 2n ** 53n + 1n, '', 'abc', 'none', 'round', 'square', 'é€😀', '\uD800', 'x'.repeat(600), Symbol('s')];
function value(depth = 0) {
  const r = rnd();
  if (r < 0.35 || depth > 2) return pick(scalars);
  if (r < 0.45) { const T = pick(typed); const big = T === BigInt64Array || T === BigUint64Array; return (lastTyped = new T(Math.floor(rnd() * 6)).map((_, i) => (big ? BigInt(i) : i))); }
  if (r < 0.55) return Array.from({ length: Math.floor(rnd() * 5) }, () => value(depth + 1));
  if (r < 0.62) return { x: value(depth + 1), y: value(depth + 1), name: value(depth + 1), scores: value(depth + 1) };
  if (r < 0.68) return { [pick(['circle', 'rect', 'empty', 'zzz'])]: value(depth + 1) };
  if (r < 0.72) return pick([cyclic, sparse, throwing, detached, disposed, detaching, hugeSparse, errorValues])();
  if (r < 0.76) return new Proxy(pick([{}, [1, 2], { x: 1, y: 2 }]), {});
  if (r < 0.79) return new Proxy({}, { get() { throw marker; }, ownKeys() { throw marker; } });
  if (r < 0.85) return pick([() => value(depth + 1), () => { throw marker; }, (x) => x, () => 'str', () => true, (x) => { detachLast(); return x; },
    (...a) => a, (...a) => a.length, () => ({ x: 1, y: 2, label: 'l', name: 'n' }), () => 2n ** 70n, () => NaN, () => Symbol('r'), () => new Proxy({}, { get() { throw marker; } })]);
  if (r < 0.9) return m.Counter ? new m.Counter(Math.floor(rnd() * 10)) : errorValues();
  if (r < 0.93) return Buffer.from('buf');
  return {};
}
// Arguments that could make valid calls run for very long are kept out (a Zig thread calling
// JS n times for a random n, too). bigVec adds 1 to its argument: a Zig panic at the maximum.
const skip = new Set(['slowSum', 'slowFail', 'grid', 'countIf', 'tryEach', 'countFromThread', 'sumFromThread', 'countAsync', 'bigVec']);
const targets = [];
for (const e of desc.exports) {
  if (e.kind === 'function' && !skip.has(e.name)) targets.push({ name: e.name, call: (a) => m[e.name](...a), errors: e.errors, arity: e.params.length });
  // Function values in constants: a function, a table or a struct of them.
  if (e.kind === 'constant') {
    const v = m[e.name];
    const fns = typeof v === 'function' ? [[e.name, v]] : v && typeof v === 'object' ? Object.entries(v).filter(([, f]) => typeof f === 'function').map(([k, f]) => [e.name + '.' + k, f]) : [];
    for (const [name, f] of fns) targets.push({ name, call: (a) => f(...a), errors: null, arity: f.length || 2 });
  }
  if (e.kind === 'class') {
    targets.push({ name: 'new ' + e.name, call: (a) => new m[e.name](...a), errors: null, arity: (e.constructorParams || []).length });
    for (const meth of e.methods) targets.push({ name: e.name + '.' + meth.name, call: (a) => { const o = new m[e.name](1); try { return o[meth.name](...a); } finally { o.dispose(); } }, errors: meth.errors, arity: meth.params.length });
    for (const st of e.statics) if (st.kind === 'function') targets.push({ name: e.name + '.' + st.name, call: (a) => m[e.name][st.name](...a), errors: st.errors, arity: st.params.length });
  }
}
const bad = [];
let calls = 0, ok = 0;
const deadline = Date.now() + DURATION;
const check = (t, e) => {
  if (e === marker || e instanceof TypeError || e instanceof RangeError) return;
  if (e && e.code === 'ZIGIMPORT_DISPOSED') return;
  // WebAssembly builds reject zigimport_async calls (one thread): by design, see README.
  if (e && e.code === 'ZIGIMPORT_WASM_UNSUPPORTED' && process.env.ZIGIMPORT_TARGET === 'wasm') return;
  if (e && e.constructor === Error && e.code && (t.errors === null || t.errors.includes(e.code))) return;
  if (bad.length < 20) bad.push(t.name + ': ' + (e && e.stack || String(e)));
};
// A function Zig kept (zigimport.JsFunction) and called later has no caller to throw to.
process.on('uncaughtException', (e) => check({ name: 'a kept JS function', errors: [] }, e));
// Returned iterators are drained (a few items), returned functions called with random values.
const use = (t, r) => {
  if (typeof r === 'function') {
    try {
      return r(...Array.from({ length: Math.floor(rnd() * 4) }, () => value()));
    } catch (e) {
      // A returned function's Zig errors are not in the descriptor: any Error with a code is one.
      if (!(e && e.constructor === Error && e.code)) throw e;
      return undefined;
    }
  }
  if (r && typeof r === 'object' && typeof r[Symbol.iterator] === 'function' && typeof r.next === 'function') {
    let n = 0;
    try {
      for (const _ of r) if (++n > 50) break;
    } catch (e) {
      // A Zig error from next() is thrown as an Error with the error's name as code.
      if (!(e && e.constructor === Error && e.code && /next\(\) failed/.test(e.message))) check(t, e);
    }
  }
  return r;
};
(async () => {
  while (Date.now() < deadline && calls < ITERATIONS) {
    for (const t of targets) {
      const n = rnd() < 0.8 ? t.arity : Math.floor(rnd() * 5);
      const args = Array.from({ length: n }, () => value());
      calls++;
      try { const r = use(t, t.call(args)); if (r instanceof Promise) await r.catch((e) => check(t, e)); ok++; } catch (e) { check(t, e); }
    }
  }
  // Async functions: rejections only (short sleeps).
  for (let i = 0; m.slowSum && i < 200; i++) {
    const args = [value(), pick([0, 1, 2])];
    await m.slowSum(...args).then(() => ok++, (e) => check({ name: 'slowSum', errors: [] }, e));
    calls++;
  }
  console.log(JSON.stringify({ calls, ok, targets: targets.length, bad }));
  // A kept JS function keeps Node running until Zig releases it.
  if (m.releaseListener) m.releaseListener();
})();
`;

function fuzz(fixture) {
  const script = child
    .replace('DIST', JSON.stringify(distIndex))
    .replace('FIXTURE', JSON.stringify(fixture))
    .replace('SEED', String(seed))
    .replace('DURATION', '15000')
    .replace('ITERATIONS', '20000');
  const env = { ...process.env, ZIGIMPORT_BUILD_DIR: SHARED_BUILD_DIR };
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', env, timeout: 60_000 });
  assert.equal(r.signal, null, `child died with ${r.signal}: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  assert.deepEqual(out.bad, [], out.bad.join('\n\n'));
  assert.ok(out.calls > 5000, `only ${out.calls} calls`);
  assert.ok(out.ok > 0);
}

test('random values never crash and are rejected with TypeError / RangeError / Zig errors', () => {
  fuzz(fixture);
});

test('errors and integers as values (values.zig): random values never crash either', () => {
  fuzz(fileURLToPath(new URL('./fixtures/values.zig', import.meta.url)));
});

test('data classes and iterators (methods_iterators.zig): random values never crash either', () => {
  fuzz(fileURLToPath(new URL('./fixtures/methods_iterators.zig', import.meta.url)));
});

test('function values, callbacks of many parameters and kept JS functions (function_values.zig): random values and callbacks never crash', () => {
  fuzz(fileURLToPath(new URL('./fixtures/function_values.zig', import.meta.url)));
});
