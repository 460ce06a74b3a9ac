/** `zigimport prebuild`: builds a package's prebuilt addons, or checks them (`--check`). */
import * as path from 'node:path';
import { pcErr as pc } from './color.js';
import { createProgress } from './progress.js';
import { ZigCompileError } from '../errors.js';
import type { OptimizeMode } from '../config/settings.js';
import { prebuild, type Layout } from '../prebuild/build.js';
import { checkPrebuilds } from '../prebuild/check.js';

export interface PrebuildCommandOptions {
  targets?: string[];
  optimize?: OptimizeMode;
  layout?: Layout;
  jobs?: number;
  check?: boolean;
}

function sizeText(n: number): string {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

export async function runPrebuild(paths: string[], opts: PrebuildCommandOptions): Promise<void> {
  const common = { paths, ...(opts.targets ? { targets: opts.targets } : {}), ...(opts.layout ? { layout: opts.layout } : {}) };
  if (opts.check) {
    const r = checkPrebuilds(common);
    for (const p of r.problems) process.stdout.write(`${pc.red('✗')} ${p}\n`);
    if (r.problems.length > 0) {
      process.stdout.write(`prebuilds in ${r.root} are not ready to publish: run \`zigimport prebuild\`\n`);
      process.exitCode = 1;
    } else process.stdout.write(`${pc.green('✓')} ${r.checked} prebuild(s) match the sources\n`);
    return;
  }
  const progress = createProgress();
  const label = (file: string, platform: string) => `${path.relative(process.cwd(), file) || file} ${platform}`;
  const started = performance.now();
  const report = await prebuild({
    ...common,
    ...(opts.optimize ? { optimize: opts.optimize } : {}),
    ...(opts.jobs ? { concurrency: opts.jobs } : {}),
    onStart: (job) => progress.start(label(job.file, job.platform.key)),
    onDone: (o) => {
      progress.finish(label(o.file, o.platform.key));
      if (o.ok)
        progress.print(`${pc.green('✓')} ${label(o.file, o.platform.key)} ${o.result.cached ? pc.dim('cached') : `built in ${(o.ms / 1000).toFixed(2)}s`}`);
      else if (o.skipped) progress.print(`${pc.yellow('-')} ${label(o.file, o.platform.key)} ${pc.dim(`skipped: ${(o.error as Error).message}`)}`);
      else {
        const err = o.error as Error;
        progress.print(`${pc.red('✗')} ${label(o.file, o.platform.key)}\n${err instanceof ZigCompileError ? err.message : (err.message ?? String(err))}`);
      }
    },
  });
  progress.stop();
  const failed = report.outcomes.filter((o) => !o.ok && !o.skipped).length;
  if (report.plan.modules.length === 0) {
    process.stderr.write('No .zig modules found.\n');
    process.exitCode = 1;
    return;
  }
  if (failed > 0) {
    process.stdout.write(`${failed} of ${report.outcomes.length} build(s) failed: nothing written\n`);
    process.exitCode = 1;
    return;
  }
  for (const w of report.written) process.stdout.write(`  ${path.relative(process.cwd(), w.file)} ${sizeText(w.size)}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `${report.plan.modules.length} module(s) × ${report.plan.platforms.length} platform(s) prebuilt in ${seconds}s (${report.plan.optimize}, layout ${report.plan.layout})\n`,
  );
}
