/**
 * Zig written inline, for notebooks and scripts: `` zig`pub fn add(a: i32, b: i32) i32 { return a + b; }` ``.
 * The source becomes a file in the cache folder named by its hash (`<cacheDir>/inline/<hash>.zig`),
 * so it goes through the same pipeline as any module: the same source is one build and one loaded
 * module per process, and an edited cell is a new file, a new build and new code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveSettings } from '../config/settings.js';
import { sha256, writeFileAtomic } from '../cache/files.js';
import { loadSync, type ZigExports } from './load.js';

/** The cache folder's subfolder for inline sources. */
const INLINE_DIR = 'inline';

/**
 * The source a tagged template spells: its raw text (so a Zig escape such as `"\n"` reaches Zig
 * as written), with each `${value}` as `String(value)`.
 */
export function inlineSource(strings: TemplateStringsArray, values: unknown[]): string {
  if (!Array.isArray(strings?.raw)) throw new TypeError('zig is a template tag: write zig`pub fn ...`');
  return strings.raw.reduce((text, part, i) => text + part + (i < values.length ? String(values[i]) : ''), '');
}

/** Writes `source` into the cache folder (once; rewritten if someone changed it) and returns its path. */
export function inlineModuleFile(source: string, cacheDir: string): string {
  const file = path.join(cacheDir, INLINE_DIR, `${sha256(source).slice(0, 32)}.zig`);
  let current: string | undefined;
  try {
    current = fs.readFileSync(file, 'utf8');
  } catch {
    // Not written yet.
  }
  if (current !== source) writeFileAtomic(file, source);
  return file;
}

/**
 * Compiles (or takes from the cache) the Zig source of a template literal and returns its exports,
 * as `loadSync` does for a file; blocks while compiling. `@import` of a relative file does not
 * work from inline source (it lives in the cache folder): use a `.zig` file for that. No
 * declarations are written for it.
 */
export function zig<T extends object = ZigExports>(strings: TemplateStringsArray, ...values: unknown[]): T {
  const source = inlineSource(strings, values);
  const { cacheDir } = resolveSettings({ overrides: {} }).settings;
  return loadSync<T>(inlineModuleFile(source, cacheDir), { types: false });
}
