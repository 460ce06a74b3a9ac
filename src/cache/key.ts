/**
 * The cache key: SHA-256 over everything that changes the built artifact. Artifacts are named
 * by it, so an edited file (or a different Zig, target, mode or binding layer) never loads a
 * stale build, and two `math.zig` files in different folders never collide.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OptimizeMode } from '../config/settings.js';
import { BINDING_DIR } from '../paths.js';
import { collectInputs, type SourceInput } from './inputs.js';
import { sha256 } from './files.js';

/** Bumped when the cache layout or the compile command changes meaning. */
export const CACHE_FORMAT = 1;

export interface CacheKey {
  /** 64 hex characters. */
  hash: string;
  /** The source files hashed into it, entry first. */
  inputs: SourceInput[];
}

export interface KeyMaterial {
  file: string;
  zigVersion: string;
  optimize: OptimizeMode;
  target: string;
}

let bindingHash: string | undefined;

/** Hash of the binding layer's sources, computed once per process. */
export function bindingLayerHash(): string {
  if (bindingHash) return bindingHash;
  const files = fs.readdirSync(BINDING_DIR).filter((f) => f.endsWith('.zig')).sort();
  const parts = files.map((f) => `${f}\0${sha256(fs.readFileSync(path.join(BINDING_DIR, f)))}`);
  bindingHash = sha256(parts.join('\n'));
  return bindingHash;
}

/** The target zigimport builds for: the running process's. */
export function hostTarget(): string {
  return `${process.arch}-${process.platform}`;
}

/** Hashes the module and the local files it reaches together with the build settings. */
export function computeCacheKey(material: KeyMaterial): CacheKey {
  const inputs = collectInputs(material.file);
  const text = JSON.stringify({
    format: CACHE_FORMAT,
    binding: bindingLayerHash(),
    zig: material.zigVersion,
    optimize: material.optimize,
    target: material.target,
    // The entry's path matters: it is compiled into panic traces and decides relative imports.
    inputs: inputs.map((i) => [i.path, i.sha256]),
  });
  return { hash: sha256(text), inputs };
}
