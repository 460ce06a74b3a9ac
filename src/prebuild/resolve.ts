/**
 * The consumer's side of prebuilt addons: before the cache, an import looks for a build the
 * module's package ships for this platform (`prebuilds/`, or a per-platform npm package), and
 * uses it only if the shipped sources still hash as recorded. When there is none and no Zig to
 * compile with, the package's WebAssembly prebuild (`wasm32`, any platform) is loaded instead;
 * without one either, the error names the platforms the package does ship.
 *
 * Kept cheap for the import path: the nearest package.json is already known to the settings
 * (memoised per folder), the manifest is one small JSON read per package per process, and the
 * source check stats each recorded source and re-hashes only one that changed (manifest.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { findPackageConfig } from '../config/package-json.js';
import { ZigImportError } from '../errors.js';
import { hostTarget, wasmTarget, type BuildTarget } from '../target.js';
import { sha256 } from '../cache/files.js';
import type { BuildResult } from '../pipeline/ensure.js';
import type { StepLog } from '../log.js';
import {
  changedSources,
  isShippedModule,
  manifestPath,
  readManifest,
  relativeToPackage,
  PREBUILDS_DIR,
  type PrebuildManifest,
  type ShippedModule,
} from './manifest.js';
import { hostPlatformKey, WASM_PLATFORM_KEY } from './platforms.js';

interface Shipped {
  /** The imported module. */
  file: string;
  root: string;
  manifest: PrebuildManifest;
  rel: string;
  module: ShippedModule;
}

const manifests = new Map<string, PrebuildManifest | undefined>();

/**
 * Most packages ship no prebuilds: their manifest's absence costs one stat per package root and
 * process, not a read that throws ENOENT (tens of µs to build the error).
 */
function hasManifest(root: string): boolean {
  try {
    return fs.statSync(manifestPath(root), { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/** What the module's package ships for it, if anything. */
function shippedFor(file: string): Shipped | undefined {
  const pkg = findPackageConfig(path.dirname(file));
  if (!pkg) return undefined;
  const root = path.dirname(pkg.file);
  if (!manifests.has(root)) manifests.set(root, hasManifest(root) ? readManifest(root) : undefined);
  const manifest = manifests.get(root);
  const rel = manifest && relativeToPackage(root, file);
  const module = rel ? manifest.modules[rel] : undefined;
  return rel && manifest && isShippedModule(module) ? { file, root, manifest, rel, module } : undefined;
}

/** The folder a platform's builds sit in: this package's `prebuilds/` (always for WebAssembly), or the platform package. */
function buildsFolder(s: Shipped, platform: string): string | undefined {
  if (s.manifest.layout !== 'packages' || platform === WASM_PLATFORM_KEY) return path.join(s.root, PREBUILDS_DIR, platform);
  const name = s.manifest.packages?.[platform];
  if (!name) return undefined;
  try {
    return path.dirname(createRequire(path.join(s.root, 'package.json')).resolve(`${name}/package.json`));
  } catch {
    // Not installed (npm skips an optional dependency for another platform, or --no-optional).
    return undefined;
  }
}

/** No prebuild to use: what the package ships for the module, if anything, and why it does not fit. */
interface Miss {
  result?: undefined;
  shipped?: Shipped;
  why?: string;
}

type Lookup = { result: BuildResult } | Miss;

/** The prebuild for `platform` (this host's key, or `wasm32`) that `shipped` holds, if usable. */
function findPrebuild(shipped: Shipped, platform: string, log: StepLog): Lookup {
  const relArtifact = shipped.module.builds[platform];
  if (!relArtifact) return { shipped, why: `no prebuild for ${platform}` };
  const folder = buildsFolder(shipped, platform);
  if (!folder) return { shipped, why: `the package for ${platform} (${shipped.manifest.packages?.[platform]}) is not installed` };
  const changed = log.time('prebuild check', () => changedSources(shipped.root, shipped.module));
  if (changed.length > 0) {
    log.info(`prebuild for ${platform} not used: sources changed since it was built (${changed.join(', ')})`);
    return { shipped, why: `its sources changed since the prebuild (${changed.join(', ')})` };
  }
  const artifact = path.join(folder, ...relArtifact.split('/'));
  if (!fs.existsSync(artifact)) return { shipped, why: `its prebuild for ${platform} is missing (${artifact})` };
  const key = sha256(`prebuild\0${platform}\0${artifact}\0${shipped.module.sources.map((s) => s.sha256).join(',')}`);
  log.info(`prebuild for ${platform}: ${artifact}`);
  const manifest = {
    format: shipped.manifest.format,
    key,
    entry: `prebuild:${shipped.rel}`,
    source: shipped.file,
    inputs: shipped.module.sources.map((s) => ({ path: path.join(shipped.root, ...s.path.split('/')), sha256: s.sha256 })),
    zig: { version: shipped.manifest.zig, path: '' },
    optimize: shipped.manifest.optimize,
    target: `prebuild:${platform}`,
    binding: '',
    artifact: { file: artifact, sha256: '', size: 0, identity: '' },
    builtAt: '',
    buildMs: 0,
  };
  // `cached`: nothing was compiled here, so no declarations are written into the package.
  return { result: { key, artifact, manifest, cached: true, target: platform === WASM_PLATFORM_KEY ? wasmTarget() : hostTarget() } };
}

function isZigMissing(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'ZIGIMPORT_ZIG_NOT_FOUND';
}

/**
 * The cache folder cannot be written (a read-only home, Deno without `--allow-write`): nothing
 * could be compiled here either, so the WebAssembly prebuild may stand in (the error stays if not).
 */
function isCacheUnwritable(err: unknown): boolean {
  const e = err as { code?: string; name?: string } | null;
  return e?.name === 'NotCapable' || e?.code === 'EACCES' || e?.code === 'EPERM' || e?.code === 'EROFS';
}

/**
 * A missing Zig (or a cache that cannot be written): the package's WebAssembly prebuild if it
 * has a usable one, else the error, a missing Zig explained with what the package ships. Any
 * other error unchanged.
 */
function afterNoZig(file: string, target: BuildTarget, lookup: Miss, err: unknown, log: StepLog): BuildResult {
  const noZig = isZigMissing(err);
  if (!lookup.shipped || !(noZig || isCacheUnwritable(err))) throw err;
  // A WebAssembly import already looked for it (`lookup` is that search).
  const tryPortable = target.kind !== 'wasm' && lookup.shipped.module.builds[WASM_PLATFORM_KEY] !== undefined;
  const portable = tryPortable ? findPrebuild(lookup.shipped, WASM_PLATFORM_KEY, log) : undefined;
  if (portable?.result) {
    log.info(`no native prebuild or Zig for ${hostPlatformKey()} (${lookup.why}): loading the WebAssembly prebuild`);
    return portable.result;
  }
  if (!noZig) throw err;
  const wasmWhy = portable?.why ? `; the WebAssembly prebuild is not usable either: ${portable.why.replace(/^its /, '')}` : '';
  const platforms = Object.keys(lookup.shipped.module.builds).sort();
  throw new ZigImportError(
    'ZIGIMPORT_NO_PREBUILD',
    `${file} has no usable prebuild for ${target.kind === 'wasm' ? 'WebAssembly' : `this platform (${hostPlatformKey()})`}: ${lookup.why}${wasmWhy}, and no Zig was found to compile it. ` +
      `Its package ships prebuilds for: ${platforms.join(', ') || 'none'}. ` +
      'Install Zig (`npx zigimport toolchain install`, or set ZIGIMPORT_ZIG), or ask the package to ship a prebuild for this platform.',
  );
}

/**
 * The build an import loads, in order: a prebuild the module's package ships for this target
 * (this platform's addon; `wasm32` for a WebAssembly import) whose sources match; else `build()`
 * (the cache, else a compile); with no Zig for that, the WebAssembly prebuild whose sources
 * match; else a typed error listing the platforms shipped. The one call the loaders make into
 * prebuilds, for the synchronous and the asynchronous build alike.
 */
export function resolveBuild<T extends BuildResult | Promise<BuildResult>>(file: string, log: StepLog, target: BuildTarget, build: () => T): BuildResult | T {
  const shipped = shippedFor(file);
  // Most imports: no package manifest, so no platform key (the libc check reads a file) either.
  if (!shipped) return build();
  const lookup = findPrebuild(shipped, target.kind === 'wasm' ? WASM_PLATFORM_KEY : hostPlatformKey(), log);
  if (lookup.result) return lookup.result;
  let pending: T;
  try {
    pending = build();
  } catch (err) {
    return afterNoZig(file, target, lookup, err, log);
  }
  if (!(pending instanceof Promise)) return pending;
  return pending.catch((err: unknown) => afterNoZig(file, target, lookup, err, log)) as T;
}
