/**
 * Building many modules at once (`zigimport build`): finds the modules under the given paths
 * and compiles them in parallel, up to the number of cores. Zig's global cache (standard library, compiler_rt, libc) is shared by all; each compile has its own local cache.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveSettings, type SettingsOverrides } from '../config/settings.js';
import { collectInputs } from '../cache/inputs.js';
import { pathDependencies } from '../project/find.js';
import { createLog } from '../log.js';
import { ensureBuild, type BuildResult } from './ensure.js';

const SKIPPED_DIRS = new Set(['node_modules', 'zig-out', '.zig-cache', 'zig-cache']);

/**
 * `.zig` files under `target` (a file or a folder), skipping build.zig, outputs, hidden folders,
 * and the folders of `.path` packages that a `build.zig.zon` on the way declares: their files are
 * package sources, imported by name, not modules.
 */
function findZigFiles(target: string, out: string[], packages: Set<string>): void {
  const st = fs.statSync(target);
  if (st.isFile()) {
    out.push(path.resolve(target));
    return;
  }
  const manifest = path.join(target, 'build.zig.zon');
  if (fs.existsSync(manifest)) for (const dir of pathDependencies(manifest)) packages.add(dir + path.sep);
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && !SKIPPED_DIRS.has(entry.name)) findZigFiles(full, out, packages);
    } else if (entry.name.endsWith('.zig') && entry.name !== 'build.zig') out.push(path.resolve(full));
  }
}

/**
 * The modules to build under `targets`. A file that another found file imports is a part of
 * that module, not a module of its own, so it is left out, as are the files of `.path` packages
 * (files named explicitly always stay).
 */
export function findModules(targets: string[]): string[] {
  const found: string[] = [];
  const explicit = new Set<string>();
  const packages = new Set<string>();
  for (const t of targets) {
    if (fs.statSync(t).isFile()) explicit.add(path.resolve(t));
    findZigFiles(t, found, packages);
  }
  const inPackage = (f: string) => [...packages].some((dir) => f.startsWith(dir));
  const unique = [...new Set(found)].filter((f) => explicit.has(f) || !inPackage(f));
  const imported = new Set<string>();
  for (const file of unique) for (const input of collectInputs(file).slice(1)) imported.add(input.path);
  return unique.filter((f) => explicit.has(f) || !imported.has(f)).sort();
}

export type BuildOutcome = { file: string; ok: true; result: BuildResult; ms: number } | { file: string; ok: false; error: unknown; ms: number };

export interface BuildManyOptions extends SettingsOverrides {
  /** Parallel compiles (default: the number of cores). */
  concurrency?: number;
  /** Wait for remote-cache uploads (so the command ends when the remote cache is filled). */
  awaitUpload?: boolean;
  onStart?: (file: string) => void;
  onDone?: (outcome: BuildOutcome) => void;
}

/** Builds each module (files or folders), in parallel; never throws for a module's failure. */
export async function buildModules(targets: string[], options: BuildManyOptions = {}): Promise<BuildOutcome[]> {
  const { concurrency, onStart, onDone, awaitUpload, ...overrides } = options;
  const files = findModules(targets);
  const outcomes: BuildOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      onStart?.(file);
      const start = performance.now();
      let outcome: BuildOutcome;
      try {
        const { settings, module } = resolveSettings({ file, overrides, overridesSource: 'option' });
        const result = await ensureBuild(file, settings, module, createLog(settings.verbose, file), undefined, { awaitUpload: awaitUpload ?? false });
        outcome = { file, ok: true, result, ms: performance.now() - start };
      } catch (error) {
        outcome = { file, ok: false, error, ms: performance.now() - start };
      }
      outcomes.push(outcome);
      onDone?.(outcome);
    }
  };
  const workers = Math.max(1, Math.min(concurrency ?? os.availableParallelism(), files.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return outcomes.sort((a, b) => a.file.localeCompare(b.file));
}
