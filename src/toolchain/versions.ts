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
 * Zig 0.15's self-hosted x86_64 backend, its default for Debug on x86_64, miscompiles
 * thread-local access in shared objects: a register live across the `__tls_get_addr` call is
 * clobbered. std's stderr lock (`std.debug.print`) reads the thread id from a threadlocal, so an
 * addon that prints crashed Node with SIGSEGV whenever that call took its slow path (a thread
 * whose TLS block for the addon was not yet allocated, e.g. after the ESM hooks thread loaded
 * it). LLVM compiles the same code correctly; 0.16 and later do not need it.
 */
export function needsLlvmBackend(zigVersion: string, optimize: string, arch: string = process.arch): boolean {
  return arch === 'x64' && optimize === 'Debug' && compareVersions(zigVersion, '0.16.0') < 0;
}
