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

test('zigimport watch prints builds with times and errors, regenerates declarations, stops on SIGINT', async () => {
  const { spawn } = await import('node:child_process');
  const fs = await import('node:fs');
  const { childEnv, ROOT } = await import('./helpers.mjs');
  const dir = tempDir('watchcli-');
  const file = path.join(dir, 'live.zig');
  writeSource(file, '/// The answer.\npub fn answer() i32 {\n    return 1;\n}\n');
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli', 'main.js'), 'watch', dir], {
    cwd: dir,
    env: childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('cache-') }),
  });
  let out = '';
  const waiters = [];
  child.stdout.on('data', (c) => {
    out += c;
    for (const w of [...waiters])
      if (w.re.test(out)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  });
  child.stderr.on('data', (c) => (out += c));
  const until = (re, what) =>
    new Promise((resolve, reject) => {
      if (re.test(out)) return resolve();
      waiters.push({ re, resolve });
      setTimeout(() => reject(new Error(`timed out waiting for ${what}; output so far:\n${out}`)), 60_000).unref();
    });
  try {
    await until(/live\.zig built in \d+\.\d+s, wrote live\.d\.zig\.ts/, 'initial build');
    await until(/watching/, 'ready');
    assert.match(fs.readFileSync(path.join(dir, 'live.d.zig.ts'), 'utf8'), /The answer\.[\s\S]*answer\(\): number/);

    writeSource(file, '/// The answer.\npub fn answer() i64 {\n    return 42;\n}\n');
    await until(/live\.zig rebuilt in \d+\.\d+s, wrote live\.d\.zig\.ts/, 'rebuild');
    assert.match(fs.readFileSync(path.join(dir, 'live.d.zig.ts'), 'utf8'), /answer\(\): bigint/, 'declarations follow the new signature');

    writeSource(file, 'pub fn answer() i64 {\n    return nope;\n}\n');
    await until(/live\.zig failed in[\s\S]*live\.zig:2:12: error: use of undeclared identifier 'nope'/, 'compile error');
  } finally {
    child.kill('SIGINT');
  }
  const code = await new Promise((r) => child.on('exit', (c) => r(c)));
  assert.equal(code, 0, 'SIGINT stops watching cleanly');
});
