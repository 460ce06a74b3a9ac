// Function names that are no JavaScript identifiers (`@"add-one"`, `class`, an iterator's
// `[Symbol.iterator]`): emnapi refuses them in `napi_create_function`, Node accepts them. Both
// backends must create these functions, with the same `name`. Real compiles, Zig 0.17.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { FIXTURES, SHARED_BUILD_DIR, installedZig, zigimport } from './helpers.mjs';

const fixture = path.join(FIXTURES, 'function_names.zig');
const zig = installedZig('0.17');

for (const target of ['native', 'wasm']) {
  test(`${target}: a @"kebab-name" function and an iterator's [Symbol.iterator] keep their names`, () => {
    const m = zigimport.loadSync(fixture, { cacheDir: SHARED_BUILD_DIR, zig, types: false, target });
    assert.equal(m['add-one'](41), 42);
    assert.equal(m['add-one'].name, 'add-one');
    assert.equal(m.class(2), -2);
    assert.equal(m.class.name, 'class');
    const it = m.countdown(3);
    assert.equal(it[Symbol.iterator].name, '[Symbol.iterator]');
    assert.equal(it[Symbol.iterator](), it);
    assert.deepEqual([...it], [2, 1, 0]);
    assert.deepEqual(it.next(), { value: undefined, done: true });
  });
}
