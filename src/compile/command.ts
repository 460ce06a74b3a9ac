/**
 * The `zig build-lib` command line for one module. No build.zig and no generated files: the
 * binding layer's static root imports the user's file as the module named "user". The compiler
 * runs in server mode (`--listen=-`) so that it reports the files it read.
 */
import * as path from 'node:path';
import type { OptimizeMode } from '../config/settings.js';
import type { ModuleOptions } from '../config/module-options.js';
import { BINDING_DIR } from '../paths.js';
import { needsLlvmBackend } from '../toolchain/versions.js';
import { sharedLibraryName, targetBuildVerb, targetCompileFlags, type BuildTarget } from '../target.js';
import { checkWasmModuleOptions } from './wasm-limits.js';

export const LIBRARY_NAME = 'zigimport_addon';

export interface CompileCommandInput {
  file: string;
  optimize: OptimizeMode;
  /** Zig's local cache: private to this compile (see compile.ts for why). */
  zigCacheDir: string;
  /** The module's in-source settings (libc, C sources, include paths, ...). */
  module: ModuleOptions;
  /** The compiler's version: some releases need a backend chosen for them. */
  zigVersion: string;
  /** What to build for: `-target`, linker flags and the library's file name follow from it. */
  target: BuildTarget;
  /** The prebuilt trace machinery to link (trace-object.ts); without it, it is compiled in. */
  traceObject?: string | undefined;
}

/** Flags placed before `-Muser=`, so that they apply to the user's module. */
function userModuleFlags(m: ModuleOptions): string[] {
  const flags: string[] = [];
  if (m.linkLibc) flags.push('-lc');
  for (const dir of m.includePaths) flags.push('-I', dir);
  for (const lib of m.linkSystem) flags.push(`-l${lib}`);
  if (m.cSources.length > 0) {
    if (m.cFlags.length > 0) flags.push('-cflags', ...m.cFlags, '--');
    flags.push(...m.cSources);
  }
  return flags;
}

/** Panic stack traces (Debug, ReleaseSafe) need libc to symbolize the addon's frames (zig/panic.zig). */
export function bindingNeedsLibc(optimize: OptimizeMode, target?: BuildTarget): boolean {
  // WebAssembly has no libc to link (wasm32-freestanding): its panics trap (zig/panic.zig).
  if (target?.kind === 'wasm') return false;
  return optimize === 'Debug' || optimize === 'ReleaseSafe';
}

export function compileArgs(input: CompileCommandInput): string[] {
  if (input.target.kind === 'wasm') checkWasmModuleOptions(input.file, input.module);
  const args = [
    ...targetBuildVerb(input.target),
    '-O',
    input.optimize,
    '--name',
    LIBRARY_NAME,
    '--color',
    'off',
    '--cache-dir',
    input.zigCacheDir,
    '--listen=-',
    // For Linux: DWARF compressed with zlib. std.debug reads it, so panic traces still name the
    // user's file:line, and an LLVM-built artifact (ReleaseSafe: 4.5 MB -> 1.8 MB) shrinks to 40%
    // at no measurable compile cost. Zig's self-hosted ELF linker (x86_64 Debug) ignores it; its
    // 11 MB are mostly free space it keeps for relinking (see README, "How caching works").
    // For macOS: Node-API symbols come from the host process at load time.
    ...targetCompileFlags(input.target),
  ];
  if (input.target.kind === 'node-api' && needsLlvmBackend(input.zigVersion, input.optimize, input.target.cpu)) args.push('-fllvm');
  const traces = bindingNeedsLibc(input.optimize, input.target);
  // root_traced.zig tells the binding layer that the object provides the trace machinery.
  const root = input.traceObject ? 'root_traced.zig' : 'root.zig';
  args.push(
    '--dep',
    'user',
    '--dep',
    'zigimport',
    ...(traces ? ['-lc'] : []),
    `-Mroot=${path.join(BINDING_DIR, root)}`,
    ...(input.traceObject ? [input.traceObject] : []),
    '--dep',
    'zigimport',
    ...userModuleFlags(input.module),
    `-Muser=${input.file}`,
    `-Mzigimport=${path.join(BINDING_DIR, 'zigimport.zig')}`,
  );
  return args;
}

/** Where Zig puts the library inside its cache for an emit digest. */
export function emittedLibrary(zigCacheDir: string, digest: string, target: BuildTarget): string {
  return path.join(zigCacheDir, 'o', digest, sharedLibraryName(target, LIBRARY_NAME));
}
