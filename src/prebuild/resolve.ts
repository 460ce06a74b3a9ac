/**
 * The consumer's side of prebuilt addons: before the cache, an import looks for a build the
 * module's package ships for this platform (`prebuilds/`, or a per-platform npm package), and
 * uses it only if the shipped sources still hash as recorded. When there is none and no Zig to
 * compile with, the error names the platforms the package does ship.
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
import { hostTarget, type BuildTarget } from '../target.js';
import { sha256 } from '../cache/files.js';
import type { BuildResult } from '../pipeline/ensure.js';
import type { StepLog } from '../log.js';
import { changedSources, isShippedModule, readManifest, relativeToPackage, PREBUILDS_DIR, type PrebuildManifest, type ShippedModule } from './manifest.js';
import { hostPlatformKey } from './platforms.js';

interface Shipped {
  root: string;
  manifest: PrebuildManifest;
  rel: string;
  module: ShippedModule;
}

const manifests = new Map<string, PrebuildManifest | undefined>();

/** What the module's package ships for it, if anything. */
function shippedFor(file: string): Shipped | undefined {
  const pkg = findPackageConfig(path.dirname(file));
  if (!pkg) return undefined;
  const root = path.dirname(pkg.file);
  if (!manifests.has(root)) manifests.set(root, readManifest(root));
  const manifest = manifests.get(root);
  const rel = manifest && relativeToPackage(root, file);
  const module = rel ? manifest.modules[rel] : undefined;
  return rel && manifest && isShippedModule(module) ? { root, manifest, rel, module } : undefined;
}

/** The folder a platform's builds sit in: this package's `prebuilds/`, or the platform package. */
function buildsFolder(s: Shipped, platform: string): string | undefined {
  if (s.manifest.layout !== 'packages') return path.join(s.root, PREBUILDS_DIR, platform);
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

function findPrebuild(file: string, log: StepLog): Lookup {
  const shipped = shippedFor(file);
  if (!shipped) return {};
  const platform = hostPlatformKey();
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
    source: file,
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
  return { result: { key, artifact, manifest, cached: true, target: hostTarget() } };
}

/** A missing Zig, explained with what the package ships; any other error unchanged. */
function explainNoZig(file: string, lookup: Miss, err: unknown): unknown {
  if (!lookup.shipped || (err as { code?: string } | null)?.code !== 'ZIGIMPORT_ZIG_NOT_FOUND') return err;
  const platforms = Object.keys(lookup.shipped.module.builds).sort();
  return new ZigImportError(
    'ZIGIMPORT_NO_PREBUILD',
    `${file} has no usable prebuilt addon for this platform (${hostPlatformKey()}): ${lookup.why}, and no Zig was found to compile it. ` +
      `Its package ships prebuilds for: ${platforms.join(', ') || 'none'}. ` +
      'Install Zig (`npx zigimport toolchain install`, or set ZIGIMPORT_ZIG), or ask the package to ship a prebuild for this platform.',
  );
}

/**
 * The build an import loads, in order: a prebuild the module's package ships for this platform
 * whose sources match; else `build()` (the cache, else a compile); with no Zig for that, a typed
 * error listing the platforms shipped. The one call the loaders make into prebuilds, for the
 * synchronous and the asynchronous build alike.
 */
export function resolveBuild<T extends BuildResult | Promise<BuildResult>>(file: string, log: StepLog, target: BuildTarget, build: () => T): BuildResult | T {
  // Prebuilds are Node-API addons for this platform: a WebAssembly import goes to the cache.
  if (target.kind !== 'node-api') return build();
  const lookup = findPrebuild(file, log);
  if (lookup.result) return lookup.result;
  // The WebAssembly fallback (issue 15) goes here when its backend exists: a `wasm` entry in the
  // module's builds, used when `build()` finds no Zig, loaded by its target's own loader.
  let pending: T;
  try {
    pending = build();
  } catch (err) {
    throw explainNoZig(file, lookup, err);
  }
  if (!(pending instanceof Promise)) return pending;
  return pending.catch((err: unknown) => {
    throw explainNoZig(file, lookup, err);
  }) as T;
}
