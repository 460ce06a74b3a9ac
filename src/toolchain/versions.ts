/** Which Zig releases zigimport supports, and how version strings are compared. */

/** Supported release lines (major.minor). */
export const SUPPORTED_LINES = ['0.15', '0.16', '0.17'] as const;

/** What `zigimport toolchain install` installs when no version is given. */
export const DEFAULT_ZIG_VERSION = '0.17.1';

export function isSupportedZig(version: string): boolean {
  return SUPPORTED_LINES.some((line) => version === line || version.startsWith(`${line}.`));
}

export function describeSupported(): string {
  return SUPPORTED_LINES.map((l) => `${l}.x`).join(', ');
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

/**
 * Whether a build must ask for the LLVM backend (`-fllvm`) instead of the release's default.
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
  return cpu === 'x86_64' && optimize === 'Debug' && compareVersions(zigVersion, '0.16.0') < 0;
}
