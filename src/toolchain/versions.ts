/**
 * Which Zig releases zigimport supports, how version strings are compared, and everything that
 * differs between the supported releases, as capability functions: the TypeScript counterpart of
 * `zig/compat.zig`. Code elsewhere asks "does this compiler do X?", never "is this 0.15?", so that
 * supporting a new release is one new row in `RELEASES`.
 */

/** What differs between release lines, as facts about each one. */
interface ReleaseFacts {
  /**
   * Number of `file_system_inputs` in `std.zig.Server.Message.Tag`: 5, then 6 from 0.16, which
   * added `test_started` before it.
   */
  fileSystemInputsTag: number;
  /**
   * `zig build` unpacks fetched packages into a `zig-pkg` folder beside build.zig, unless
   * `--pkg-dir` says where (0.17; earlier releases keep them in the global cache only).
   */
  packageDirOption: boolean;
  /**
   * The self-hosted x86_64 backend (the default for Debug on x86_64) miscompiles thread-local
   * access in shared objects; see `needsLlvmBackend`.
   */
  selfHostedTlsBug: boolean;
}

/** Supported release lines (major.minor), oldest first, and what each one does. */
const RELEASES = {
  '0.15': { fileSystemInputsTag: 5, packageDirOption: false, selfHostedTlsBug: true },
  '0.16': { fileSystemInputsTag: 6, packageDirOption: false, selfHostedTlsBug: false },
  '0.17': { fileSystemInputsTag: 6, packageDirOption: true, selfHostedTlsBug: false },
} as const satisfies Record<string, ReleaseFacts>;

type ReleaseLine = keyof typeof RELEASES;

/** Supported release lines (major.minor). */
export const SUPPORTED_LINES = Object.keys(RELEASES) as ReleaseLine[];

/** What `zigimport toolchain install` installs when no version is given. */
export const DEFAULT_ZIG_VERSION = '0.17.1';

function lineOf(version: string): ReleaseLine | undefined {
  return SUPPORTED_LINES.find((line) => version === line || version.startsWith(`${line}.`));
}

export function isSupportedZig(version: string): boolean {
  return lineOf(version) !== undefined;
}

export function describeSupported(): string {
  return SUPPORTED_LINES.map((l) => `${l}.x`).join(', ');
}

/**
 * The facts of the version's release line. An unsupported version never gets this far (the
 * toolchain lookup refuses it); should one, it is treated as the newest line.
 */
function factsOf(version: string): ReleaseFacts {
  return RELEASES[lineOf(version) ?? SUPPORTED_LINES[SUPPORTED_LINES.length - 1]!];
}

/** Orders versions like 0.15.2 < 0.17.0 < 0.17.1 (numeric parts; pre-release tags sort first). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => v.split(/[.+-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : -1));
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The compiler-server message tag of `file_system_inputs` (see compile/server.ts). */
export function fileSystemInputsTag(zigVersion: string): number {
  return factsOf(zigVersion).fileSystemInputsTag;
}

/** Whether `zig build` takes `--pkg-dir` (and otherwise unpacks packages beside build.zig). */
export function hasPackageDirOption(zigVersion: string): boolean {
  return factsOf(zigVersion).packageDirOption;
}

/**
 * Whether a build must ask for the LLVM backend (`-fllvm`) instead of the release's default.
 * `cpu` is the target's, in Zig's names (`x86_64`).
 * Zig 0.15's self-hosted x86_64 backend, its default for Debug on x86_64, treats the call to
 * `__tls_get_addr` behind every thread-local access in a shared object as if it preserved all
 * registers but its result; glibc's slow path (the first access from a thread, or after another
 * dlopen) clobbers the caller-saved ones. Seen: `std.debug.print` reads the thread id from a
 * threadlocal (stderr's recursive mutex), the error-return-trace pointer kept in r9 is clobbered
 * there, and `Progress.unlockStderrWriter` dereferences it: SIGSEGV in about half the runs.
 * Turning error tracing off hides that one case (no compile-time cost) but any other value live
 * across a thread-local access stays exposed; LLVM compiles the access correctly, at about three
 * times the compile time of a Debug build (measured 0.45 s -> 1.65 s for a one-function module).
 * 0.16 and later are not affected.
 */
export function needsLlvmBackend(zigVersion: string, optimize: string, cpu: string): boolean {
  return cpu === 'x86_64' && optimize === 'Debug' && factsOf(zigVersion).selfHostedTlsBug;
}
