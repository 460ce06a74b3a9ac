/**
 * Cache keys, in two levels.
 *
 * - The entry key names "this file, built with these settings": SHA-256 over the module's path,
 *   the Zig version, target, optimize mode, in-source settings, binding layer and cache format.
 * - The artifact key adds the SHA-256 of every file the compiler read for the last build of that
 *   entry (reported by Zig itself, not guessed from the source): local `@import`s at any depth,
 *   `@embedFile` contents, and whatever else the compiler opened outside its own library.
 *
 * A cached import re-hashes the recorded inputs and recomputes the artifact key; any change
 * (or a deleted input) gives a different key, so an edited file never loads a stale build, and
 * two `math.zig` in different folders never collide.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OptimizeMode } from '../config/settings.js';
import type { ModuleOptions } from '../config/module-options.js';
import { BINDING_DIR } from '../paths.js';
import { readJson, sha256, writeJsonAtomic } from './files.js';
import type { SourceInput } from './inputs.js';
import { targetId, type BuildTarget } from '../target.js';

/** Bumped when the cache layout or the compile command changes meaning. */
export const CACHE_FORMAT = 2;

export interface EntryMaterial {
  file: string;
  zigVersion: string;
  optimize: OptimizeMode;
  target: BuildTarget;
  /** In-source settings: they change the compile command. */
  module: ModuleOptions;
}

let bindingHash: string | undefined;

/** Per binding folder (two installs may share a cache): each file's identity, and the hash they gave. */
type BindingMemo = Record<string, { files: string[]; hash: string } | undefined>;

/** The binding layer's `.zig` files, in plain code-unit order, each as "relative path\0identity". */
function bindingFiles(): { full: string; line: string }[] {
  const files: { full: string; line: string }[] = [];
  // Paths are built by appending names (the same strings `path.join` and `path.relative` give
  // here): those two normalise and resolve the whole path for each of the ~45 files, which was
  // most of this step on a checksum-mode import's first lookup.
  const walk = (dir: string, rel: string) => {
    // Plain code-unit order: localeCompare would load ICU collation (~10 ms) on a cached import.
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = dir + path.sep + entry.name;
      const name = rel + entry.name;
      if (entry.isDirectory()) walk(full, name + path.sep);
      else if (entry.name.endsWith('.zig')) {
        const st = fs.statSync(full);
        files.push({ full, line: `${name}\0${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}` });
      }
    }
  };
  walk(BINDING_DIR, '');
  return files;
}

/**
 * Hash of the binding layer's sources, computed once per process. With `cacheDir` (the cache
 * lookup passes it), the hash is remembered there with each file's identity (device, inode,
 * size, mtime, ctime), as the artifact store does for artifacts: a later process `stat`s the
 * ~25 files instead of reading and hashing them, and an edit (which changes mtime or ctime, and
 * ctime cannot be set back) hashes again.
 */
export function bindingLayerHash(cacheDir?: string): string {
  if (bindingHash) return bindingHash;
  const files = bindingFiles();
  const lines = files.map((f) => f.line);
  const memoPath = cacheDir && path.join(cacheDir, 'binding-layer.json');
  const memo = (memoPath && readJson<BindingMemo>(memoPath)) || {};
  const known = memo[BINDING_DIR];
  if (known && typeof known.hash === 'string' && Array.isArray(known.files) && known.files.join('\n') === lines.join('\n')) {
    bindingHash = known.hash;
    return bindingHash;
  }
  const parts = files.map((f) => `${f.line.slice(0, f.line.indexOf('\0'))}\0${sha256(fs.readFileSync(f.full))}`);
  bindingHash = sha256(parts.join('\n'));
  if (memoPath) {
    memo[BINDING_DIR] = { files: lines, hash: bindingHash };
    try {
      writeJsonAtomic(memoPath, memo);
    } catch {
      // Only saves reading the files next time (a read-only cache, say).
    }
  }
  return bindingHash;
}

export function entryKey(m: EntryMaterial, cacheDir?: string): string {
  return sha256(entryMaterial(m, cacheDir));
}

/** What the entry key hashes: everything but the sources' bytes that decides the build. */
export function entryMaterial(m: EntryMaterial, cacheDir?: string): string {
  return JSON.stringify({
    format: CACHE_FORMAT,
    binding: bindingLayerHash(cacheDir),
    zig: m.zigVersion,
    optimize: m.optimize,
    target: targetId(m.target),
    // The path matters: it is compiled into panic messages and decides relative imports.
    file: m.file,
    module: m.module,
  });
}

/** Hashes each file; 'missing' for one that cannot be read (deleted inputs change the key too). */
export function hashInputs(files: string[]): SourceInput[] {
  return files.map((file) => {
    try {
      return { path: file, sha256: sha256(fs.readFileSync(file)) };
    } catch {
      return { path: file, sha256: 'missing' };
    }
  });
}

export function artifactKey(entry: string, inputs: SourceInput[]): string {
  return sha256(`${entry}\n${inputs.map((i) => `${i.path}\0${i.sha256}`).join('\n')}`);
}

/** Files of the binding layer are covered by `bindingLayerHash`; everything else is hashed. */
export function isBindingFile(file: string): boolean {
  return file.startsWith(BINDING_DIR + path.sep);
}
