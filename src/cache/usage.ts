/**
 * What the cache holds and how much room it takes: the builds in the store with their last use,
 * Zig's local cache and temporary folders. Read by `zigimport info` and by eviction; never on a
 * cached import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJson } from './files.js';
import { buildsDir, lastUsedMs, type BuildManifest } from './store.js';
import { treeBytes } from './live.js';

/** One build in the store. `manifest` is undefined for an artifact never committed (see store.ts). */
export interface StoredBuild {
  key: string;
  /** Absolute paths: the manifest (commit marker) and the artifact it names. */
  manifestFile: string;
  artifactFile: string;
  manifest: BuildManifest | undefined;
  bytes: number;
  lastUsedMs: number;
}

export interface CacheUsage {
  builds: number;
  buildBytes: number;
  zigCacheBytes: number;
  tmpBytes: number;
  totalBytes: number;
}

export function zigCacheDir(cacheDir: string): string {
  return path.join(cacheDir, 'zig-cache');
}

export function tmpRoot(cacheDir: string): string {
  return path.join(cacheDir, 'tmp');
}

function sizeOf(file: string): { size: number; mtimeMs: number } | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

/** Every build in the store (committed or not), with its size and last use. */
export function listStoredBuilds(cacheDir: string): StoredBuild[] {
  const dir = buildsDir(cacheDir);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const builds = new Map<string, StoredBuild>();
  for (const name of names) {
    const m = /^([0-9a-f]{64})\.(json|node)$/.exec(name);
    if (!m) continue;
    const key = m[1]!;
    if (builds.has(key)) continue;
    const manifestFile = path.join(dir, `${key}.json`);
    const manifest = readJson<BuildManifest>(manifestFile);
    // basename: a manifest never points eviction outside the store.
    const artifactFile = path.join(dir, path.basename(manifest?.artifact?.file ?? `${key}.node`));
    const artifact = sizeOf(artifactFile);
    const bytes = (artifact?.size ?? 0) + (sizeOf(manifestFile)?.size ?? 0);
    const lastUsed = manifest?.builtAt ? lastUsedMs(manifest) : (artifact?.mtimeMs ?? 0);
    builds.set(key, { key, manifestFile, artifactFile, manifest, bytes, lastUsedMs: lastUsed });
  }
  return [...builds.values()];
}

/** Bytes in the store, Zig's local cache and temporary folders. */
export function cacheUsage(cacheDir: string, stored = listStoredBuilds(cacheDir)): CacheUsage {
  const buildBytes = stored.reduce((n, b) => n + b.bytes, 0);
  const zigCacheBytes = treeBytes(zigCacheDir(cacheDir));
  const tmpBytes = treeBytes(tmpRoot(cacheDir));
  return {
    builds: stored.filter((b) => b.manifest).length,
    buildBytes,
    zigCacheBytes,
    tmpBytes,
    totalBytes: buildBytes + zigCacheBytes + tmpBytes,
  };
}
