// Watch mode: rebuild on save of the module or of any file the compiler read for it, report
// compile errors, pick up new modules; events through an async iterator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { tempDir, writeSource, zigimport, ZIG } from './helpers.mjs';

const { watchModules } = zigimport;
process.env.ZIGIMPORT_ZIG = ZIG;
process.env.ZIGIMPORT_BUILD_DIR = tempDir('cache-');

const mod = (n) => `const part = @import("part.zig");\npub fn value() i32 {\n    return ${n} + part.extra;\n}\n`;

/** Next event, failing the test instead of hanging if none comes. */
async function next(it, what) {
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`no event: ${what}`)), 60_000).unref());
  const { value, done } = await Promise.race([it.next(), timeout]);
  assert.equal(done, false, what);
  return value;
}

test('watch rebuilds on edits to the module and its imports, reports errors, finds new modules', async () => {
  const dir = tempDir('watch-');
  const main = path.join(dir, 'main.zig');
  writeSource(path.join(dir, 'part.zig'), 'pub const extra: i32 = 0;\n');
  writeSource(main, mod(1));
  const watcher = watchModules([dir], { debounceMs: 50 });
  const it = watcher[Symbol.asyncIterator]();
  try {
    const initial = await next(it, 'initial build');
    assert.deepEqual([initial.type, initial.file, initial.initial], ['built', main, true], 'part.zig is a part, not a module');
    const firstKey = initial.result.key;
    await new Promise((r) => setTimeout(r, 200)); // let the folder watchers settle

    writeSource(main, mod(2));
    const edited = await next(it, 'rebuild after editing main.zig');
    assert.equal(edited.type, 'built');
    assert.equal(edited.initial, false);
    assert.notEqual(edited.result.key, firstKey);
    assert.equal(zigimport.loadSync(main).value(), 2);

    writeSource(path.join(dir, 'part.zig'), 'pub const extra: i32 = 40;\n');
    const viaImport = await next(it, 'rebuild after editing part.zig');
    assert.equal(viaImport.file, main);
    assert.equal(viaImport.type, 'built');

    writeSource(main, 'pub fn value() i32 {\n    return oops;\n}\n');
    const failed = await next(it, 'failed build');
    assert.equal(failed.type, 'failed');
    assert.equal(failed.error.name, 'ZigCompileError');
    assert.match(failed.error.message, /main\.zig:2:12: error: use of undeclared identifier 'oops'/);

    writeSource(main, mod(3));
    assert.equal((await next(it, 'rebuild after the fix')).type, 'built');

    const added = path.join(dir, 'added.zig');
    writeSource(added, 'pub fn value() i32 {\n    return 9;\n}\n');
    const fresh = await next(it, 'new module');
    assert.deepEqual([fresh.type, fresh.file], ['built', added]);
  } finally {
    watcher.close();
  }
  assert.equal((await it.next()).done, true, 'closing ends the iterator');
});
