// Errors and integers as values (issue 12 point 6), type-matrix style, on Zig 0.17 and 0.15:
// error sets and `E!T` as values, 64-bit integers (usize included) always as bigint, the odd
// types (non-exhaustive enums, @Vector(N, bool), void, comptime-only constants), the
// descriptor, and the generated declarations checked by `tsc` (every @ts-expect-error needed).
import { test, describe as group } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  FIXTURES,
  SHARED_BUILD_DIR,
  fixtureOnRelease,
  installedZig,
  require,
  zigimport,
  throwsLike,
  assertTypeChecksWithNeededDirectives,
} from './helpers.mjs';

const fixture = path.join(FIXTURES, 'values.zig');
const { declarationsFor } = require('../dist/types/write.js');

/** An Error as a failing Zig call throws it: `code` is the Zig error name. */
function zigError(code) {
  return Object.assign(new Error(`error.${code}`), { code });
}

for (const release of ['0.17', '0.15']) {
  const { m, find } = fixtureOnRelease(fixture, release);

  group(`Zig ${release}`, () => {
    test('error set results are the error name; anyerror too', () => {
      assert.equal(m.classify(2), 'NotFound');
      assert.equal(m.classify(13), 'AccessDenied');
      assert.equal(m.anyName(0), 'OutOfMemory');
      assert.equal(m.anyName(1), 'SomethingElse');
      assert.equal(m.default_error, 'NotFound');
    });

    test('error set parameters take the name; anything else is a TypeError listing the names', () => {
      assert.equal(m.severity('NotFound'), 1);
      assert.equal(m.severity('AccessDenied'), 2);
      throwsLike(() => m.severity('Nope'), 'TypeError', /^severity\(\): argument 1 must be one of "AccessDenied", "NotFound", got "Nope"$/);
      throwsLike(() => m.severity(1), 'TypeError', /argument 1 must be an error name \(one of "AccessDenied", "NotFound"\), got number/);
      throwsLike(() => m.severity('NotFoundX'), 'TypeError', /got "NotFoundX"/);
    });

    test('E!T parameters take a T or an Error whose code is the name', () => {
      assert.equal(m.orDefault(5, 9), 5);
      assert.equal(m.orDefault(zigError('NotFound'), 9), 9);
      assert.equal(m.whichError(zigError('AccessDenied')), 'AccessDenied');
      assert.equal(m.whichError(1.5), 'none');
      assert.equal(m.succeeded(undefined), true);
      assert.equal(m.succeeded(zigError('NotFound')), false);
      // An error a call threw goes straight back in.
      let thrown;
      try {
        m.open('');
      } catch (e) {
        thrown = e;
      }
      assert.equal(m.whichError(thrown), 'NotFound');
      throwsLike(() => m.orDefault(zigError('Bad'), 1), 'TypeError', /^orDefault\(\): argument 1\.code must be one of "AccessDenied", "NotFound", got "Bad"$/);
      throwsLike(() => m.orDefault(new Error('no code'), 1), 'TypeError', /argument 1\.code must be an error name/);
      throwsLike(() => m.orDefault('NotFound', 1), 'TypeError', /argument 1 must be a number, got string/);
      throwsLike(() => m.succeeded(1), 'TypeError', /^succeeded\(\): argument 1 must be undefined or an Error, got number$/);
    });

    test('E!T fields come back as the value or an Error with the code; they go in the same way', () => {
      const [ok, failed] = m.attempts();
      assert.deepEqual(ok, { id: 1, outcome: 2.5 });
      assert.equal(failed.id, 2);
      assert.ok(failed.outcome instanceof Error);
      assert.equal(failed.outcome.code, 'AccessDenied');
      assert.equal(failed.outcome.message, 'error.AccessDenied');
      assert.deepEqual(m.retry({ id: 1, outcome: zigError('NotFound') }), { id: 2, outcome: 0 });
      assert.equal(m.retry({ id: 1, outcome: failed.outcome }).outcome.code, 'AccessDenied');
      assert.deepEqual(m.retry({ id: 4, outcome: 7 }), { id: 5, outcome: 7 });
    });

    test('a failing call still throws; anyerror parameters are skipped with a reason', () => {
      assert.equal(m.open('abc'), 3);
      assert.throws(
        () => m.open(''),
        (e) => e.code === 'NotFound' && /open\(\) failed: error\.NotFound/.test(e.message),
      );
      const skipped = Object.fromEntries(m.__zigimport_skipped.map((s) => [s.name, s.reason]));
      assert.match(skipped.takesAny, /^parameter 1: anyerror cannot be read from JS/);
      assert.equal('takesAny' in m, false);
    });

    test('64-bit integers, usize and isize included, are bigints in and out: every value, never an error', () => {
      // wasm32's usize and isize have 32 bits, still bigints (README, "Browsers and bundlers").
      const bits = process.env.ZIGIMPORT_TARGET === 'wasm' ? 32n : 64n;
      assert.equal(m.maxUsize(), 2n ** bits - 1n);
      assert.equal(m.count('héllo'), 6n);
      assert.equal(m.echoUsize(3), 3n, 'an integral number goes in');
      assert.equal(m.echoUsize(2n ** bits - 1n), 2n ** bits - 1n);
      assert.equal(m.echoIsize(-(2n ** (bits - 1n))), -(2n ** (bits - 1n)));
      assert.equal(m.echoU64(2n ** 53n + 1n), 2n ** 53n + 1n);
      assert.equal(typeof m.hash('abc'), 'bigint');
      throwsLike(() => m.echoUsize(-1), 'RangeError', new RegExp(`^echoUsize\\(\\): argument 1 is out of range for usize \\(0\\.\\.${2n ** bits - 1n}\\)$`));
      throwsLike(() => m.echoUsize(2n ** bits), 'RangeError', /out of range for usize/);
      throwsLike(() => m.echoIsize(1.5), 'TypeError', /must be an integer/);
      // Up to 53 bits: numbers, exact.
      assert.equal(m.echoU53(2 ** 53 - 1), 2 ** 53 - 1);
      assert.equal(m.echoI48(-(2 ** 47)), -(2 ** 47));
      throwsLike(() => m.echoU53(2 ** 53), 'RangeError', /out of range for u53/);
    });

    test('non-exhaustive enums: names for named values, numbers for the others, both ways', () => {
      assert.equal(m.status(0), 'ok');
      assert.equal(m.status(1), 'failed');
      assert.equal(m.status(7), 7);
      assert.equal(m.status(-3), -3);
      assert.equal(m.statusCode('failed'), 1);
      assert.equal(m.statusCode(42), 42);
      assert.equal(m.unknown_status, 9);
      throwsLike(() => m.statusCode('zzz'), 'TypeError', /^statusCode\(\): argument 1 must be one of "ok", "failed" or an integer, got "zzz"$/);
      throwsLike(() => m.statusCode(2 ** 40), 'RangeError', /out of range for i32/);
      throwsLike(() => m.statusCode(1.5), 'TypeError', /must be an integer/);
      throwsLike(() => m.statusCode(null), 'TypeError', /must be a number, got null/);
    });

    test('@Vector(N, bool) is an array of N booleans', () => {
      assert.equal(m.allTrue([true, true, true, true]), true);
      assert.equal(m.allTrue([true, false, true, true]), false);
      assert.deepEqual(m.flags(), [true, false, true]);
      throwsLike(() => m.allTrue([true]), 'RangeError', /^allTrue\(\): argument 1 must have length 4, got 1$/);
      throwsLike(() => m.allTrue([1, 1, 1, 1]), 'TypeError', /argument 1 element must be a boolean, got number/);
    });

    test('comptime-only constants: number arrays, bigint arrays, enum literals, comptime floats', () => {
      assert.deepEqual(m.primes, [2, 3, 5, 7]);
      assert.deepEqual(m.huge, [1n, 2n ** 60n]);
      assert.deepEqual(m.halves, [0.5, 1.5]);
      assert.equal(m.mode, 'fast');
      assert.equal(m.ratio, 2.5);
    });

    test('what has no JS form is skipped with a reason, never dropped', () => {
      const skipped = Object.fromEntries(m.__zigimport_skipped.map((s) => [s.name, s.reason]));
      assert.match(skipped.ignore, /^parameter 1: void parameters are not supported \(a void value carries nothing to pass/);
      assert.match(skipped.marked, /^parameter 1: field marker has type void/);
      assert.equal(skipped.literals, 'constant: arrays of enum literals are not supported');
      for (const name of ['ignore', 'marked', 'literals']) assert.equal(name in m, false);
    });

    test('the descriptor: error sets, error unions, bigint usize', () => {
      const errs = ['AccessDenied', 'NotFound'];
      const fileError = { kind: 'error', zig: 'error{AccessDenied,NotFound}', names: errs };
      assert.deepEqual(find('classify').returns, fileError);
      assert.deepEqual(find('anyName').returns, { kind: 'error', zig: 'anyerror', names: null });
      assert.deepEqual(find('severity').params, [fileError]);
      assert.deepEqual(find('orDefault').params[0], {
        kind: 'errorunion',
        zig: 'error{AccessDenied,NotFound}!i32',
        errors: errs,
        payload: { kind: 'number', zig: 'i32' },
      });
      assert.deepEqual(find('succeeded').params[0].payload, { kind: 'void', zig: 'void' });
      assert.deepEqual(find('default_error'), {
        kind: 'constant',
        name: 'default_error',
        type: { kind: 'error', zig: 'error{NotFound}', names: ['NotFound'] },
        value: 'NotFound',
      });
      assert.deepEqual(find('maxUsize').returns, { kind: 'bigint', zig: 'usize' });
      assert.deepEqual(find('echoIsize').params, [{ kind: 'bigint', zig: 'isize' }]);
      const status = { kind: 'enum', zig: 'values.Status', name: 'Status', values: ['ok', 'failed'], exhaustive: false };
      assert.deepEqual(find('status').returns, status);
      assert.deepEqual(find('unknown_status'), { kind: 'constant', name: 'unknown_status', type: status, value: 9 });
      assert.deepEqual(find('flags').returns, { kind: 'array', zig: '@Vector(3, bool)', element: { kind: 'boolean', zig: 'bool' }, length: 3 });
      assert.deepEqual(find('primes'), {
        kind: 'constant',
        name: 'primes',
        type: { kind: 'array', zig: '[4]comptime_int', element: { kind: 'number', zig: 'comptime_int' }, length: 4 },
        value: [2, 3, 5, 7],
      });
      assert.deepEqual(find('huge').type.element, { kind: 'bigint', zig: 'comptime_int' });
      assert.deepEqual(find('huge').value, ['1', '1152921504606846976']);
      assert.deepEqual(find('mode'), { kind: 'constant', name: 'mode', type: { kind: 'string', zig: '@EnumLiteral()' }, value: 'fast' });
    });
  });
}

test('declarations: error names as literal unions, E!T as T | Error with the code, usize as bigint; tsc checks them', () => {
  const exports = zigimport.loadSync(fixture, { cacheDir: SHARED_BUILD_DIR, zig: installedZig('0.17'), types: false });
  const text = declarationsFor({ file: fixture, exports, cacheDir: SHARED_BUILD_DIR, zig: installedZig('0.17') });
  assert.match(text, /export declare function classify\(code: number\): "AccessDenied" \| "NotFound";/);
  assert.match(text, /export declare function anyName\(which: number\): string;/);
  assert.match(text, /export declare function severity\(err: "AccessDenied" \| "NotFound"\): number;/);
  assert.match(text, /export declare function orDefault\(v: number \| \(Error & \{ code: "AccessDenied" \| "NotFound" \}\), fallback: number\): number;/);
  assert.match(text, /export declare function maxUsize\(\): bigint;/);
  assert.match(text, /export declare function echoUsize\(x: number \| bigint\): bigint;/);
  assert.match(text, /export type Status = "ok" \| "failed" \| number;/);
  assert.match(text, /export declare function allTrue\(v: \[boolean, boolean, boolean, boolean\]\): boolean;/);
  assertTypeChecksWithNeededDirectives('values', text);
});
