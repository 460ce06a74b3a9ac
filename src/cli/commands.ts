/** What each `zigimport` subcommand does; main.ts only parses arguments. */
import * as path from 'node:path';
import { pc } from './color.js';
import { resolveSettings, SETTING_NAMES, envName, type OptimizeMode } from '../config/settings.js';
import { buildModules, type BuildOutcome } from '../pipeline/many.js';
import { clearCache } from '../cache/clear.js';
import { evictOlderThan } from '../cache/evict.js';
import { cacheUsage } from '../cache/usage.js';
import { findZig, listInstalled } from '../toolchain/find.js';
import { installToolchain } from '../toolchain/install.js';
import { ZigCompileError } from '../errors.js';
import { createProgress } from './progress.js';
import { projectRoot, setHookInNpmrc } from './npmrc.js';
import { checkDeclarationsForArtifact, writeDeclarationsForArtifact } from '../types/write.js';
import { redactUrl } from '../cache/remote.js';
import { probeRemote } from '../pipeline/remote-step.js';

/** A setting's value as shown: the remote cache's URL never with its credentials. */
function shownValue(name: (typeof SETTING_NAMES)[number], value: unknown): unknown {
  return name === 'remoteCache' && typeof value === 'string' ? redactUrl(value) : value;
}

function cwdSettings() {
  return resolveSettings({ file: path.join(process.cwd(), 'x.zig') });
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

function formatAge(ms: number): string {
  const units: [string, number][] = [
    ['w', 604_800_000],
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
  ];
  for (const [unit, size] of units) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${Math.round(ms / 1000)}s`;
}

function describeFailure(o: Extract<BuildOutcome, { ok: false }>): string {
  const err = o.error as Error;
  return err instanceof ZigCompileError ? err.message : `${o.file}: ${err.message ?? String(err)}`;
}

/**
 * What a command does with declarations: `build` writes them when the `types` setting is on,
 * `types` always writes them, `types --check` compares them and writes nothing.
 */
export type TypesMode = 'setting' | 'write' | 'check';

/**
 * Declarations for a built module. Returns a short note for the result line, or throws (for
 * `check`, when the file on disk is missing or differs).
 */
function typesFor(o: Extract<BuildOutcome, { ok: true }>, mode: TypesMode): string {
  const { settings } = resolveSettings({ file: o.file });
  if (mode === 'setting' && !settings.types) return '';
  if (mode === 'check') {
    const r = checkDeclarationsForArtifact(o.file, o.result, settings);
    const rel = path.relative(process.cwd(), r.path) || r.path;
    if (r.state === 'current') return `, ${rel} up to date`;
    throw new Error(`${rel} ${r.state === 'missing' ? 'is missing' : 'does not match the module'}: run \`zigimport types\` and commit it`);
  }
  const r = writeDeclarationsForArtifact(o.file, o.result, settings);
  const rel = path.relative(process.cwd(), r.path) || r.path;
  return r.written ? `, wrote ${rel}` : `, ${rel} unchanged`;
}

export async function runBuild(
  paths: string[],
  opts: { optimize?: OptimizeMode; force?: boolean; jobs?: number; remoteCache?: string },
  typesMode: TypesMode = 'setting',
): Promise<void> {
  const progress = createProgress();
  const rel = (f: string) => path.relative(process.cwd(), f) || f;
  let typesFailed = 0;
  const outcomes = await buildModules(paths, {
    ...(opts.optimize ? { optimize: opts.optimize } : {}),
    ...(opts.force ? { forceRebuild: true } : {}),
    ...(opts.jobs ? { concurrency: opts.jobs } : {}),
    ...(opts.remoteCache ? { remoteCache: opts.remoteCache } : {}),
    // The command fills the remote cache: it ends when the uploads have.
    awaitUpload: true,
    onStart: (f) => progress.start(f),
    onDone: (o) => {
      progress.finish(o.file);
      if (o.ok) {
        const what = o.result.cached ? pc.dim('cached') : `built in ${(o.ms / 1000).toFixed(2)}s`;
        let types = '';
        try {
          types = typesFor(o, typesMode);
        } catch (err) {
          typesFailed++;
          progress.print(`${pc.red('✗')} ${rel(o.file)} ${what}, declarations failed: ${(err as Error).message}`);
          return;
        }
        progress.print(`${pc.green('✓')} ${rel(o.file)} ${what}${types}`);
      } else {
        progress.print(`${pc.red('✗')} ${rel(o.file)}\n${describeFailure(o)}`);
      }
    },
  });
  progress.stop();
  const failed = outcomes.filter((o) => !o.ok).length;
  if (outcomes.length === 0) process.stderr.write('No .zig modules found.\n');
  else process.stdout.write(`${outcomes.length - failed} built or cached, ${failed} failed\n`);
  if (typesFailed > 0) {
    const what = typesMode === 'check' ? 'declarations missing or out of date' : 'declarations failed';
    process.stdout.write(`${what} for ${typesFailed} module(s)\n`);
  }
  if (failed > 0 || typesFailed > 0) process.exitCode = 1;
}

/**
 * `zigimport types`: builds what needs building, then writes each module's declarations; with
 * `check`, compares them instead and exits 1 when one is missing or out of date (CI, prepublishOnly).
 */
export async function runTypes(paths: string[], opts: { optimize?: OptimizeMode; jobs?: number; check?: boolean }): Promise<void> {
  const { check, ...build } = opts;
  await runBuild(paths, build, check ? 'check' : 'write');
}

export function runClearCache(opts: { olderThan?: number } = {}): void {
  const { settings } = cwdSettings();
  if (opts.olderThan === undefined) {
    const { removedBytes } = clearCache(settings.cacheDir);
    process.stdout.write(`Cleared ${settings.cacheDir} (${formatBytes(removedBytes)} freed; toolchains kept)\n`);
    return;
  }
  const r = evictOlderThan(settings.cacheDir, opts.olderThan);
  const kept = r.keptInUse > 0 ? `; kept ${r.keptInUse} loaded by running processes` : '';
  process.stdout.write(
    `Removed ${r.removedBuilds} build(s) not used in ${formatAge(opts.olderThan)} from ${settings.cacheDir} ` +
      `(${formatBytes(r.freedBytes)} freed${kept}; toolchains kept)\n`,
  );
}

export function runInfo(opts: { json?: boolean }): void {
  const resolved = cwdSettings();
  const { settings, sources } = resolved;
  let zig: { path: string; version: string; source: string } | { error: string };
  try {
    zig = findZig(settings);
  } catch (err) {
    zig = { error: (err as Error).message };
  }
  const usage = cacheUsage(settings.cacheDir);
  const remote = probeRemote(settings);
  const info = {
    settings: Object.fromEntries(SETTING_NAMES.map((n) => [n, { value: shownValue(n, settings[n]) ?? null, source: sources[n], env: envName(n) }])),
    remoteCache: remote ? { ...remote, mode: settings.remoteCacheMode, token: process.env.ZIGIMPORT_REMOTE_CACHE_TOKEN ? 'set' : 'not set' } : null,
    packageJson: resolved.packageJson ?? null,
    zig,
    cache: {
      dir: settings.cacheDir,
      entries: usage.builds,
      /** The store (builds/): artifacts and manifests. */
      bytes: usage.buildBytes,
      totalBytes: usage.totalBytes,
      zigCacheBytes: usage.zigCacheBytes,
      tmpBytes: usage.tmpBytes,
      limit: settings.cacheMax,
      limitSource: sources.cacheMax,
    },
    toolchains: listInstalled(settings.cacheDir),
    node: process.version,
  };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    return;
  }
  const out: string[] = [pc.bold('Settings')];
  for (const n of SETTING_NAMES) {
    const value = shownValue(n, settings[n]);
    const shown = Array.isArray(value) ? value.join(path.delimiter) || '(none)' : value === undefined ? '(search)' : String(value);
    out.push(`  ${envName(n).padEnd(24)} ${shown.padEnd(28)} ${pc.dim(`from ${sources[n]}`)}`);
  }
  if (resolved.packageJson) out.push(pc.dim(`  package.json: ${resolved.packageJson}`));
  out.push(pc.bold('Zig'));
  out.push(
    'error' in zig ? `  ${pc.red('not usable:')} ${zig.error.split('\n').join('\n  ')}` : `  ${zig.path}\n  version ${zig.version} (found via ${zig.source})`,
  );
  out.push(pc.bold('Cache'));
  out.push(
    `  ${settings.cacheDir}`,
    `  ${formatBytes(usage.totalBytes)} of ${formatBytes(settings.cacheMax)} ${pc.dim(`(limit from ${sources.cacheMax})`)}`,
    `  ${usage.builds} build(s) ${formatBytes(usage.buildBytes)}, Zig's local cache ${formatBytes(usage.zigCacheBytes)}, temporary ${formatBytes(usage.tmpBytes)}`,
  );
  out.push(pc.bold('Remote cache'));
  if (!remote) out.push(`  ${pc.dim('none (ZIGIMPORT_REMOTE_CACHE)')}`);
  else {
    const token = process.env.ZIGIMPORT_REMOTE_CACHE_TOKEN ? ', token from ZIGIMPORT_REMOTE_CACHE_TOKEN' : '';
    out.push(
      `  ${remote.url} (${settings.remoteCacheMode}${token})`,
      `  ${remote.answers ? pc.green(remote.detail) : `${pc.red('not answering:')} ${remote.detail}`}`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

export function runHookSwitch(enable: boolean): void {
  const { file, changed } = setHookInNpmrc(projectRoot(), enable);
  const state = enable ? 'enabled' : 'disabled';
  process.stdout.write(changed ? `zigimport ${state} in ${file}\n` : `zigimport already ${state} (${file})\n`);
}

export async function runToolchainInstall(version: string | undefined): Promise<void> {
  const { settings } = cwdSettings();
  const quiet = !process.stderr.isTTY;
  const result = await installToolchain({ ...(version ? { version } : {}), cacheDir: settings.cacheDir, quiet });
  process.stdout.write(
    result.alreadyInstalled ? `Zig ${result.version} is already installed: ${result.zigPath}\n` : `Installed Zig ${result.version}: ${result.zigPath}\n`,
  );
}

export function runToolchainList(): void {
  const { settings } = cwdSettings();
  const installed = listInstalled(settings.cacheDir);
  let current = '';
  try {
    current = findZig(settings).path;
  } catch {
    // None in use: the list says so.
  }
  if (installed.length === 0) process.stdout.write('No toolchains installed by zigimport.\n');
  for (const t of installed) process.stdout.write(`${t.path === current ? '*' : ' '} ${t.version.padEnd(10)} ${t.path}\n`);
  process.stdout.write(current ? `in use: ${current}\n` : 'in use: none found\n');
}
