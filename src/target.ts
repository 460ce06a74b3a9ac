/**
 * What a build is for, in one place. Every stage takes a `BuildTarget` instead of assuming "a
 * Node-API addon for this process": the cache key (`targetId`), the compile command
 * (`targetCompileFlags`, `sharedLibraryName`), a project's generated build.zig
 * (`zigTargetExpression`), the artifact store (`artifactExtension`) and the loader
 * (`loadArtifact`).
 *
 * Implemented: Node-API addons, for the host (loaded with `process.dlopen`) and, compiled but
 * never loaded, for another os/cpu/libc (the seam for prebuilt binaries and a shared cache); and
 * WebAssembly: the same binding layer compiled to `wasm32-freestanding` against emnapi's
 * JavaScript Node-API (loaded by `src/wasm/load.ts`, in any process). A new target kind is a new
 * member of `BuildTarget` plus its cases here; the stages do not change.
 */
import { ZigImportError } from './errors.js';

/** A Node-API addon (a shared library Node loads with `process.dlopen`). */
export interface NodeApiTarget {
  kind: 'node-api';
  /** Zig's names: `linux`, `macos`, `windows`, ... */
  os: string;
  /** Zig's names: `x86_64`, `aarch64`, ... */
  cpu: string;
  /** Zig's ABI name (`gnu`, `musl`, `msvc`, ...); unset for the host, whose compiler detects it. */
  libc?: string;
  /**
   * What `-target` gets. The host builds `native`: the CPU features and libc of this machine,
   * which a named triple would not give (it means the baseline CPU).
   */
  zigTriple: string;
  /** This process's platform: the one target whose builds are loaded. */
  host: boolean;
  /**
   * A build to ship in a package (`zigimport prebuild`): stripped, so it holds no debug info and
   * no absolute paths of the machine that built it, and the same sources give the same bytes.
   */
  shipped?: boolean;
}

/**
 * A WebAssembly module (`wasm32-freestanding`): the Node-API binding layer against emnapi, for
 * browsers, bundlers, and any Node, Bun or Deno process (no native addon).
 */
export interface WasmTarget {
  kind: 'wasm';
  /** A build to ship in a package (`zigimport prebuild`): stripped, as a shipped Node-API addon is. */
  shipped?: boolean;
}

const WASM: WasmTarget = { kind: 'wasm' };

/** The WebAssembly target. */
export function wasmTarget(): WasmTarget {
  return WASM;
}

/** The target a module's `target` setting names: `native` (the host addon) or `wasm`. */
export function targetForSetting(setting: 'native' | 'wasm'): BuildTarget {
  return setting === 'wasm' ? WASM : hostTarget();
}

export type BuildTarget = NodeApiTarget | WasmTarget;

/** Node's `process.arch` to Zig's cpu names (only those Node ships for). */
const ZIG_CPU: Record<string, string> = {
  x64: 'x86_64',
  arm64: 'aarch64',
  ia32: 'x86',
  arm: 'arm',
  riscv64: 'riscv64',
  ppc64: 'powerpc64le',
  s390x: 's390x',
  loong64: 'loongarch64',
};

/** Node's `process.platform` to Zig's os names. */
const ZIG_OS: Record<string, string> = {
  linux: 'linux',
  darwin: 'macos',
  win32: 'windows',
  freebsd: 'freebsd',
  openbsd: 'openbsd',
  netbsd: 'netbsd',
  sunos: 'solaris',
  aix: 'aix',
};

let host: NodeApiTarget | undefined;

/** The Node-API addon for the running process: what every import builds and loads. */
export function hostTarget(): NodeApiTarget {
  host ??= {
    kind: 'node-api',
    os: ZIG_OS[process.platform] ?? process.platform,
    cpu: ZIG_CPU[process.arch] ?? process.arch,
    zigTriple: 'native',
    host: true,
  };
  return host;
}

const TRIPLE = /^([a-z0-9_]+)-([a-z0-9_]+)(?:-([a-z0-9_]+))?$/;

/**
 * A Node-API addon for another platform, from a Zig triple such as `aarch64-linux-gnu` or
 * `x86_64-linux-musl` (cpu-os[-abi]). Zig itself judges whether it can build it.
 */
export function nodeApiTarget(zigTriple: string): NodeApiTarget {
  const m = TRIPLE.exec(zigTriple);
  if (!m) {
    throw new ZigImportError(
      'ZIGIMPORT_BAD_TARGET',
      `"${zigTriple}" is not a target triple. Write it as Zig does, cpu-os[-abi]: for example aarch64-linux-gnu, x86_64-linux-musl or aarch64-macos.`,
    );
  }
  return { kind: 'node-api', cpu: m[1]!, os: m[2]!, ...(m[3] ? { libc: m[3] } : {}), zigTriple, host: false };
}

/** The Node-API target of `t`, or a typed error naming what needs one (`what`: "a Zig package"). */
export function requireNodeApi(t: BuildTarget, what = 'this build'): NodeApiTarget {
  if (t.kind === 'node-api') return t;
  throw new ZigImportError(
    'ZIGIMPORT_TARGET_UNSUPPORTED',
    `${what} cannot be built for ${t.kind} yet: only for Node-API addons. Build it for the host (target: 'native', the default) or a Node-API triple such as aarch64-linux-gnu.`,
  );
}

/**
 * The target's part of the cache key. The host keeps the `arch-platform` of earlier releases, so
 * existing caches stay valid; a named triple differs from it even on the same machine, since a
 * native build uses this CPU's features.
 */
export function targetId(t: BuildTarget): string {
  if (t.kind === 'wasm') return t.shipped ? 'wasm:shipped' : 'wasm';
  if (t.host) return `${process.arch}-${process.platform}`;
  return t.shipped ? `node-api:${t.zigTriple}:shipped` : `node-api:${t.zigTriple}`;
}

/** The same target, built to be shipped (see `NodeApiTarget.shipped`). */
export function shippedTarget<T extends BuildTarget>(t: T): T {
  return { ...t, shipped: true };
}

/**
 * The compiler's verb and output kind. A Node-API addon is a shared library; WebAssembly is an
 * executable without an entry point (wasm-ld refuses `-shared` with an exported function table),
 * exporting every `export fn` (`-rdynamic`), the table emnapi calls callbacks through and the stack
 * pointer.
 */
export function targetBuildVerb(t: BuildTarget): string[] {
  // `__stack_pointer` too (0.17 exports it unasked, 0.15 does not): reset after a trap (src/wasm/memory-sync.ts).
  if (t.kind === 'wasm') return ['build-exe', '-fno-entry', '-rdynamic', '--export-table', '--export=__stack_pointer'];
  return ['build-lib', '-dynamic'];
}

/** `zig build-lib` flags that the target decides. */
export function targetCompileFlags(t: BuildTarget): string[] {
  // Single-threaded (shared memory would need cross-origin isolation in browsers) and no libc.
  if (t.kind === 'wasm') return t.shipped ? ['-target', 'wasm32-freestanding', '-fstrip'] : ['-target', 'wasm32-freestanding'];
  const flags = t.host ? [] : ['-target', t.zigTriple];
  if (t.shipped) flags.push('-fstrip');
  // DWARF compressed with zlib (see compile/command.ts): a Linux-only linker option so far.
  if (t.os === 'linux' && !t.shipped) flags.push('--compress-debug-sections=zlib');
  // Node-API symbols come from the loading process; Mach-O wants undefined ones allowed.
  if (t.os === 'macos') flags.push('-fallow-shlib-undefined');
  // Otherwise the install name is Zig's cache path of the library, which differs per machine.
  if (t.os === 'macos' && t.shipped) flags.push('-install_name', '@rpath/zigimport_addon.node');
  return flags;
}

/** The `target` expression of a project's generated build.zig. */
export function zigTargetExpression(t: NodeApiTarget): string {
  if (t.host) return 'b.graph.host';
  return `b.resolveTargetQuery(std.Target.Query.parse(.{ .arch_os_abi = "${t.zigTriple}" }) catch @panic("zigimport: bad target ${t.zigTriple}"))`;
}

/** Whether a project's build.zig must allow undefined symbols (the Node-API ones). */
export function allowsUndefinedSymbols(t: NodeApiTarget): boolean {
  return t.os === 'macos';
}

/** The file name Zig gives the shared library (or `.wasm`) `name` on the target's os. */
export function sharedLibraryName(t: BuildTarget, name: string): string {
  if (t.kind === 'wasm') return `${name}.wasm`;
  if (t.os === 'windows') return `${name}.dll`;
  if (t.os === 'macos') return `lib${name}.dylib`;
  return `lib${name}.so`;
}

/** The extension of the target's artifacts in the store. */
export function artifactExtension(t: BuildTarget): string {
  return t.kind === 'wasm' ? '.wasm' : '.node';
}

let artifactsLoaded = 0;

/** How many artifacts this process loaded: the V8 code cache (src/code-cache/) is written only after one. */
export function loadedArtifactCount(): number {
  return artifactsLoaded;
}

/** Loads a built artifact into this process, filling `mod.exports`: the host addon or WebAssembly. */
export function loadArtifact(t: BuildTarget, mod: { exports: unknown }, file: string): void {
  if (t.kind === 'node-api' && t.host) {
    process.dlopen(mod, file);
    artifactsLoaded++;
    return;
  }
  if (t.kind === 'wasm') {
    // Loaded on first use: emnapi is for WebAssembly imports only.
    (require('./wasm/load.js') as typeof import('./wasm/load.js')).loadWasmArtifact(mod, file);
    return;
  }
  throw new ZigImportError(
    'ZIGIMPORT_TARGET_NOT_LOADABLE',
    `${file} was built for ${targetId(t)}, not for this process (${targetId(hostTarget())}): it can be shipped or cached, not loaded here.`,
  );
}
