/**
 * The platforms a package can ship prebuilt addons for, named as the JS ecosystem does
 * (`process.platform-process.arch[-libc]`, prebuildify's folders and napi-rs's package suffixes),
 * and which of them is this process. Read on the import path: kept to constant tables and one
 * small read of the running executable's header (for the libc), remembered per process.
 */
import * as fs from 'node:fs';
import { ZigImportError } from '../errors.js';

export interface Platform {
  /** `linux-x64-glibc`, `darwin-arm64`, `win32-x64`: the folder under `prebuilds/`. */
  key: string;
  /** npm's `os`, `cpu` and `libc` fields of a per-platform package. */
  os: string;
  cpu: string;
  libc?: 'glibc' | 'musl';
  /** What Zig builds it from: baseline CPU, and for Windows the MinGW ABI (no MSVC needed). */
  zigTriple: string;
  /**
   * The WebAssembly build (`wasm32`): one artifact for every platform, loaded through emnapi,
   * the last resort of an import (after the cache and a compile). Not an npm platform: it stays
   * in the main package whatever the layout.
   */
  portable?: true;
}

function platform(os: string, cpu: string, zigTriple: string, libc?: 'glibc' | 'musl'): Platform {
  return { key: [os, cpu, libc].filter(Boolean).join('-'), os, cpu, ...(libc ? { libc } : {}), zigTriple };
}

/** Every platform `--targets all` builds, in a stable order. */
export const PLATFORMS: readonly Platform[] = [
  platform('linux', 'x64', 'x86_64-linux-gnu', 'glibc'),
  platform('linux', 'x64', 'x86_64-linux-musl', 'musl'),
  platform('linux', 'arm64', 'aarch64-linux-gnu', 'glibc'),
  platform('linux', 'arm64', 'aarch64-linux-musl', 'musl'),
  platform('darwin', 'x64', 'x86_64-macos'),
  platform('darwin', 'arm64', 'aarch64-macos'),
  platform('win32', 'x64', 'x86_64-windows-gnu'),
  platform('win32', 'arm64', 'aarch64-windows-gnu'),
];

/** The WebAssembly build's key: its folder under `prebuilds/` and its entry in the manifest. */
export const WASM_PLATFORM_KEY = 'wasm32';

/** The portable WebAssembly build, after the native platforms in `all`. */
export const WASM_PLATFORM: Platform = { key: WASM_PLATFORM_KEY, os: 'wasm', cpu: 'wasm32', zigTriple: 'wasm32-freestanding', portable: true };

/** Every name `--targets` takes for one platform (`wasm` is the short name of `wasm32`). */
function platformByName(name: string): Platform | undefined {
  if (name === 'wasm' || name === WASM_PLATFORM_KEY) return WASM_PLATFORM;
  return PLATFORMS.find((p) => p.key === name);
}

/** The platforms named by `--targets` or `zigimport.prebuild.targets`: keys, `wasm`, or `all` (every one, wasm included). */
export function platformsNamed(names: readonly string[]): Platform[] {
  if (names.includes('all')) return [...PLATFORMS, WASM_PLATFORM];
  const chosen: Platform[] = [];
  for (const name of names) {
    const found = platformByName(name);
    if (!found) {
      throw new ZigImportError(
        'ZIGIMPORT_BAD_TARGET',
        `"${name}" is not a prebuild platform. Use all, or some of: ${PLATFORMS.map((p) => p.key).join(', ')}, wasm.`,
      );
    }
    if (!chosen.includes(found)) chosen.push(found);
  }
  return chosen;
}

let hostLibc: 'glibc' | 'musl' | undefined;

/**
 * glibc or musl, from the running executable's ELF interpreter (`ld-musl-*` for musl): the
 * libc Node itself uses, which is what an addon must match. One 4 KiB read, once per process
 * (`process.report` would answer too, but takes milliseconds).
 */
function linuxLibc(): 'glibc' | 'musl' {
  if (hostLibc) return hostLibc;
  let head = Buffer.alloc(0);
  try {
    const fd = fs.openSync('/proc/self/exe', 'r');
    try {
      head = Buffer.alloc(4096);
      head = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // No /proc: fall back to Node's own report below.
  }
  if (head.includes('ld-musl-')) hostLibc = 'musl';
  else if (head.includes('ld-linux')) hostLibc = 'glibc';
  else {
    const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
    hostLibc = header?.glibcVersionRuntime ? 'glibc' : 'musl';
  }
  return hostLibc;
}

/** This process's platform key (`linux-x64-glibc`, `darwin-arm64`, ...). */
export function hostPlatformKey(): string {
  const libc = process.platform === 'linux' ? linuxLibc() : undefined;
  return [process.platform, process.arch, libc].filter(Boolean).join('-');
}
