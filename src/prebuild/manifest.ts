/**
 * The record a package ships beside its prebuilt addons, `prebuilds/zigimport-prebuilds.json`:
 * for each module, the sources it was built from (paths relative to the package, SHA-256 of
 * their bytes) and the file built for each platform. A consumer uses a prebuild only while the
 * shipped sources still hash as recorded, so an edited source is never shadowed by a stale build.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OptimizeMode } from '../config/settings.js';
import { sha256 } from '../cache/files.js';

export const MANIFEST_FORMAT = 1;
export const PREBUILDS_DIR = 'prebuilds';
export const MANIFEST_NAME = 'zigimport-prebuilds.json';

export interface ShippedSource {
  /** Relative to the package root, with `/` separators. */
  path: string;
  sha256: string;
}

export interface ShippedModule {
  sources: ShippedSource[];
  /**
   * Platform key → the artifact, relative to the folder holding that platform's builds:
   * `prebuilds/` of this package, or the root of the platform's package (`layout: 'packages'`).
   */
  builds: Record<string, string>;
  /**
   * Platform key → why it was not built (`wasm32` for a module the WebAssembly backend cannot
   * build, when `all` chose the platforms); `--check` accepts it, the consumer's error names it.
   */
  unavailable?: Record<string, string>;
}

export interface PrebuildManifest {
  format: number;
  /** The Zig release and optimize mode every artifact was built with. */
  zig: string;
  optimize: OptimizeMode;
  layout: 'prebuilds' | 'packages';
  /** `layout: 'packages'`: platform key → the npm package holding its builds. */
  packages?: Record<string, string>;
  /** Module path relative to the package root (`/` separators) → what was built from it. */
  modules: Record<string, ShippedModule>;
}

export function manifestPath(packageRoot: string): string {
  return path.join(packageRoot, PREBUILDS_DIR, MANIFEST_NAME);
}

/** The package's manifest; undefined when it ships none or the file is not one this release reads. */
export function readManifest(packageRoot: string): PrebuildManifest | undefined {
  let text: string;
  try {
    text = fs.readFileSync(manifestPath(packageRoot), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as PrebuildManifest;
    return parsed?.format === MANIFEST_FORMAT && typeof parsed.modules === 'object' && parsed.modules !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A module record of the expected shape (a hand-edited or foreign manifest is ignored, not trusted). */
export function isShippedModule(value: unknown): value is ShippedModule {
  const m = value as ShippedModule | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    Array.isArray(m.sources) &&
    m.sources.every((s) => typeof s?.path === 'string' && typeof s.sha256 === 'string') &&
    typeof m.builds === 'object' &&
    m.builds !== null &&
    Object.values(m.builds).every((b) => typeof b === 'string')
  );
}

/** `a/b.zig` for a file under the package root, or undefined for one outside it. */
export function relativeToPackage(packageRoot: string, file: string): string | undefined {
  const rel = path.relative(packageRoot, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

const hashes = new Map<string, { identity: string; sha256: string }>();

/**
 * SHA-256 of a source file, re-read only when its size, times or inode changed since this
 * process last hashed it: sources are small, and an unchanged file costs one `stat`.
 */
export function sourceHash(file: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return 'missing';
  }
  const identity = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  const known = hashes.get(file);
  if (known?.identity === identity) return known.sha256;
  const hash = sha256(fs.readFileSync(file));
  hashes.set(file, { identity, sha256: hash });
  return hash;
}

/** The recorded sources whose bytes differ now (relative paths); empty when all match. */
export function changedSources(packageRoot: string, mod: ShippedModule): string[] {
  return mod.sources.filter((s) => sourceHash(path.join(packageRoot, ...s.path.split('/'))) !== s.sha256).map((s) => s.path);
}
