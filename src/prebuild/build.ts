/**
 * `zigimport prebuild`: cross-compiles every module of a package for every chosen platform (in
 * parallel, each one an ordinary cached build for a shipped target: stripped, no paths of this
 * machine), copies the artifacts into the package's layout and writes the manifest consumers
 * check (manifest.ts). The declarations (`x.d.zig.ts`) are written beside each module, so the
 * package ships them too.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveSettings, OPTIMIZE_MODES, type OptimizeMode } from '../config/settings.js';
import { findPackageConfig } from '../config/package-json.js';
import { ZigImportConfigError } from '../errors.js';
import { hostTarget, nodeApiTarget, shippedTarget, wasmTarget, type BuildTarget } from '../target.js';
import { createLog } from '../log.js';
import { ensureBuild, type BuildResult } from '../pipeline/ensure.js';
import { findModules } from '../pipeline/many.js';
import { writeDeclarationsForArtifact } from '../types/write.js';
import { hostPlatformKey, platformsNamed, type Platform } from './platforms.js';
import { MANIFEST_FORMAT, PREBUILDS_DIR, manifestPath, relativeToPackage, type PrebuildManifest, type ShippedModule } from './manifest.js';
import { writePlatformPackages } from './packages.js';

export type Layout = 'prebuilds' | 'packages';

export interface PrebuildOptions {
  /** Files or folders (default: the package root). */
  paths?: string[];
  /** Platform keys or `all` (default: `zigimport.prebuild.targets` in package.json, else all). */
  targets?: string[];
  optimize?: OptimizeMode;
  layout?: Layout;
  concurrency?: number;
  /** Where to start looking for the package.json (default: the working directory). */
  cwd?: string;
  onStart?: (job: PrebuildJob) => void;
  onDone?: (outcome: PrebuildOutcome) => void;
}

export interface PrebuildJob {
  file: string;
  platform: Platform;
}

/**
 * One build's outcome. `skipped`: the WebAssembly build of a module the backend cannot build
 * (link_libc, a Zig package...) when `all` chose the platforms: recorded, the rest still ships.
 */
export type PrebuildOutcome = PrebuildJob & ({ ok: true; result: BuildResult; ms: number } | { ok: false; error: unknown; ms: number; skipped?: boolean });

export interface PrebuildPlan {
  root: string;
  packageName: string;
  packageVersion: string;
  modules: string[];
  platforms: Platform[];
  optimize: OptimizeMode;
  layout: Layout;
  /** The platforms came from `all`: a module the WebAssembly backend cannot build skips wasm32. */
  wasmOptional: boolean;
}

/** `zigimport.prebuild` in package.json: `{ targets, optimize, layout }`. */
interface PrebuildConfig {
  targets?: string[];
  optimize?: OptimizeMode;
  layout?: Layout;
}

function prebuildConfig(config: Record<string, unknown>, file: string): PrebuildConfig {
  const raw = config.prebuild;
  if (raw === undefined) return {};
  const where = `"zigimport.prebuild" in ${file}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ZigImportConfigError(`${where} must be an object`);
  const c = raw as Record<string, unknown>;
  if (c.targets !== undefined && !(Array.isArray(c.targets) && c.targets.every((t) => typeof t === 'string'))) {
    throw new ZigImportConfigError(`${where}: "targets" must be an array of platform names, or ["all"]`);
  }
  if (c.optimize !== undefined && !OPTIMIZE_MODES.includes(c.optimize as OptimizeMode)) {
    throw new ZigImportConfigError(`${where}: "optimize" must be one of ${OPTIMIZE_MODES.join(', ')}`);
  }
  if (c.layout !== undefined && c.layout !== 'prebuilds' && c.layout !== 'packages') {
    throw new ZigImportConfigError(`${where}: "layout" must be "prebuilds" or "packages"`);
  }
  return c as PrebuildConfig;
}

/** The package, its modules and the platforms: everything decided before a compile. */
export function planPrebuild(options: PrebuildOptions): PrebuildPlan {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const pkg = findPackageConfig(cwd);
  if (!pkg) throw new ZigImportConfigError(`No package.json at or above ${cwd}: zigimport prebuild writes into a package.`);
  const root = path.dirname(pkg.file);
  const json = JSON.parse(fs.readFileSync(pkg.file, 'utf8')) as { name?: string; version?: string };
  const config = prebuildConfig(pkg.config, pkg.file);
  const paths = (options.paths?.length ? options.paths : [root]).map((p) => path.resolve(cwd, p));
  const modules = findModules(paths);
  for (const m of modules) {
    if (!relativeToPackage(root, m)) throw new ZigImportConfigError(`${m} is outside the package at ${root}: only the package's own modules can ship.`);
  }
  const targets = options.targets?.length ? options.targets : (config.targets ?? ['all']);
  return {
    root,
    packageName: json.name ?? path.basename(root),
    packageVersion: json.version ?? '0.0.0',
    modules,
    platforms: platformsNamed(targets),
    wasmOptional: targets.includes('all'),
    optimize: options.optimize ?? config.optimize ?? 'ReleaseFast',
    layout: options.layout ?? config.layout ?? 'prebuilds',
  };
}

/** What a platform's artifact is built as: a shipped Node-API addon, or the WebAssembly module. */
function prebuildTarget(platform: Platform): BuildTarget {
  return shippedTarget(platform.portable ? wasmTarget() : nodeApiTarget(platform.zigTriple));
}

async function buildOne(plan: PrebuildPlan, job: PrebuildJob): Promise<BuildResult> {
  const { settings, module } = resolveSettings({ file: job.file, overrides: { optimize: plan.optimize }, overridesSource: 'option' });
  return ensureBuild(job.file, settings, module, createLog(settings.verbose, job.file), prebuildTarget(job.platform));
}

/** What the WebAssembly backend refuses before compiling (a setting or a Zig package), not a compile error. */
function isWasmLimitation(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ZIGIMPORT_WASM_UNSUPPORTED' || code === 'ZIGIMPORT_TARGET_UNSUPPORTED';
}

/** Runs `jobs` with at most `limit` at once; outcomes in the order of `jobs`. */
async function runAll(plan: PrebuildPlan, jobs: PrebuildJob[], options: PrebuildOptions): Promise<PrebuildOutcome[]> {
  const outcomes: PrebuildOutcome[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index]!;
      options.onStart?.(job);
      const start = performance.now();
      let outcome: PrebuildOutcome;
      try {
        outcome = { ...job, ok: true, result: await buildOne(plan, job), ms: performance.now() - start };
      } catch (error) {
        const skipped = plan.wasmOptional && job.platform.portable === true && isWasmLimitation(error);
        outcome = { ...job, ok: false, error, ms: performance.now() - start, ...(skipped ? { skipped } : {}) };
      }
      outcomes[index] = outcome;
      options.onDone?.(outcome);
    }
  };
  const limit = Math.max(1, Math.min(options.concurrency ?? os.availableParallelism(), jobs.length));
  await Promise.all(Array.from({ length: limit }, worker));
  return outcomes;
}

/** `src/a.zig` → `src/a.node` (`src/a.wasm` for WebAssembly): the artifact's path inside a platform's folder. */
function artifactName(rel: string, platform: Platform): string {
  return `${rel.replace(/\.zig$/, '')}${platform.portable ? '.wasm' : '.node'}`;
}

/**
 * Where a platform's builds go: `prebuilds/<key>/`, or `npm/<key>/` for the packages layout. The
 * WebAssembly build stays in `prebuilds/wasm32/` of the main package in both layouts: it serves
 * every platform, so no `os`/`cpu` selects it.
 */
export function platformFolder(plan: { root: string; layout: Layout }, platform: Platform): string {
  return plan.layout === 'packages' && !platform.portable ? path.join(plan.root, 'npm', platform.key) : path.join(plan.root, PREBUILDS_DIR, platform.key);
}

function shippedSources(plan: PrebuildPlan, result: BuildResult): ShippedModule['sources'] {
  return result.manifest.inputs.map((input) => {
    const rel = relativeToPackage(plan.root, input.path);
    if (!rel)
      throw new ZigImportConfigError(
        `${result.manifest.source} reads ${input.path}, outside the package: a prebuild can only record the package's own sources.`,
      );
    return { path: rel, sha256: input.sha256 };
  });
}

/** Declarations beside a module, from the build that loads here (the host's, built if no shipped one does). */
async function writeTypes(plan: PrebuildPlan, file: string, outcomes: PrebuildOutcome[]): Promise<void> {
  const { settings, module } = resolveSettings({ file, overrides: { optimize: plan.optimize }, overridesSource: 'option' });
  const host = outcomes.find((o) => o.file === file && o.ok && o.platform.key === hostPlatformKey());
  const artifact = host?.ok ? host.result.artifact : (await ensureBuild(file, settings, module, createLog(settings.verbose, file))).artifact;
  writeDeclarationsForArtifact(file, { artifact, target: hostTarget() }, settings);
}

/** The manifest's record of module `rel`, created empty on first use. */
function moduleRecord(manifest: PrebuildManifest, rel: string): ShippedModule {
  const existing = manifest.modules[rel];
  if (existing) return existing;
  const created: ShippedModule = { sources: [], builds: {} };
  manifest.modules[rel] = created;
  return created;
}

export interface PrebuildReport {
  plan: PrebuildPlan;
  outcomes: PrebuildOutcome[];
  /** Artifact paths written, with their sizes. */
  written: { platform: string; file: string; size: number }[];
}

/**
 * Builds everything the plan names and, only if every build succeeded, replaces the package's
 * prebuilds and manifest (a half-built set is never shipped).
 */
export async function prebuild(options: PrebuildOptions = {}): Promise<PrebuildReport> {
  const plan = planPrebuild(options);
  const jobs = plan.modules.flatMap((file) => plan.platforms.map((platform) => ({ file, platform })));
  const outcomes = await runAll(plan, jobs, options);
  const written: PrebuildReport['written'] = [];
  if (outcomes.some((o) => !o.ok && !o.skipped) || plan.modules.length === 0) return { plan, outcomes, written };
  for (const file of plan.modules) await writeTypes(plan, file, outcomes);
  const manifest: PrebuildManifest = {
    format: MANIFEST_FORMAT,
    zig: '',
    optimize: plan.optimize,
    layout: plan.layout,
    modules: {},
  };
  for (const platform of plan.platforms) fs.rmSync(platformFolder(plan, platform), { recursive: true, force: true });
  for (const o of outcomes) {
    const rel = relativeToPackage(plan.root, o.file)!;
    const mod = moduleRecord(manifest, rel);
    if (!o.ok) {
      // Paths relative to the package: the manifest ships, and holds no path of this machine.
      mod.unavailable = { ...mod.unavailable, [o.platform.key]: (o.error as Error).message.split(o.file).join(rel) };
      continue;
    }
    manifest.zig = o.result.manifest.zig.version;
    if (mod.sources.length === 0) mod.sources = shippedSources(plan, o.result);
    const name = artifactName(rel, o.platform);
    const dest = path.join(platformFolder(plan, o.platform), ...name.split('/'));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(o.result.artifact, dest);
    fs.chmodSync(dest, 0o644);
    mod.builds[o.platform.key] = name;
    written.push({ platform: o.platform.key, file: dest, size: fs.statSync(dest).size });
  }
  if (plan.layout === 'packages') manifest.packages = writePlatformPackages(plan);
  fs.mkdirSync(path.dirname(manifestPath(plan.root)), { recursive: true });
  fs.writeFileSync(manifestPath(plan.root), `${JSON.stringify(manifest, null, 2)}\n`);
  return { plan, outcomes, written };
}
