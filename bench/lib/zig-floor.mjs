// The floors of a first import: Zig compiling the same file by itself, and Zig running the very
// compile command zigimport runs (binding root + user file, same flags, the same trace object),
// both by hand. Each run
// gets a fresh `--cache-dir` (as zigimport's compiles do) and the given Zig global cache.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireRoot, ROOT, run, tmpDir } from './env.mjs';

/** Wall ms of `zig build-lib -dynamic -O <optimize> <file>`: what Zig itself takes for the file. */
export function zigOwnCompileMs(zigPath, file, optimize, zigGlobal) {
  const dir = tmpDir('zig-own');
  try {
    const args = ['build-lib', '-dynamic', '-O', optimize, file, '--cache-dir', path.join(dir, 'zig-cache')];
    return run(zigPath, args, { cwd: dir, env: { ZIG_GLOBAL_CACHE_DIR: zigGlobal } }).ms;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Wall ms of zigimport's own compile command for `file`, run directly (no parent guard, no server
 * protocol: `--listen=-` becomes `-femit-bin`), so the difference to a first import is
 * zigimport's orchestration, not Zig's work.
 */
export function zigimportCommandMs(zig, file, optimize, zigGlobal) {
  const { compileArgs, LIBRARY_NAME } = requireRoot(path.join(ROOT, 'dist', 'compile', 'command.js'));
  const { readModuleOptions } = requireRoot(path.join(ROOT, 'dist', 'config', 'module-options.js'));
  const { hostTarget } = requireRoot(path.join(ROOT, 'dist', 'target.js'));
  const { traceObjectFor } = requireRoot(path.join(ROOT, 'dist', 'compile', 'trace-object.js'));
  const { performSync } = requireRoot(path.join(ROOT, 'dist', 'effects.js'));
  const dir = tmpDir('zig-cmd');
  try {
    // The trace object a Debug or ReleaseSafe import links (built once, in ~/.zigimport/tools).
    const traceObject = performSync(traceObjectFor(dir, zig, optimize, hostTarget(), undefined, 600_000));
    const args = compileArgs({
      file,
      optimize,
      zigCacheDir: path.join(dir, 'zig-cache'),
      module: readModuleOptions(file),
      zigVersion: zig.version,
      target: hostTarget(),
      traceObject,
    }).map((a) => (a === '--listen=-' ? `-femit-bin=${path.join(dir, `lib${LIBRARY_NAME}.so`)}` : a));
    return run(zig.path, args, { cwd: dir, env: { ZIG_GLOBAL_CACHE_DIR: zigGlobal } }).ms;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
