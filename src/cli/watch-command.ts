/**
 * `zigimport watch [paths…]`: builds the modules, then rebuilds on save, printing success with
 * the time or the compile errors, and regenerating declarations. Runs until interrupted.
 */
import * as path from 'node:path';
import { pc } from './color.js';
import type { OptimizeMode } from '../config/settings.js';
import { resolveSettings } from '../config/settings.js';
import { ZigCompileError } from '../errors.js';
import { watchModules, type WatchEvent } from '../pipeline/watch.js';
import { writeDeclarationsForArtifact } from '../types/write.js';

function describe(event: WatchEvent): string {
  const rel = path.relative(process.cwd(), event.file) || event.file;
  const time = `${(event.ms / 1000).toFixed(2)}s`;
  if (event.type === 'failed') {
    const err = event.error as Error;
    const detail = err instanceof ZigCompileError ? err.message : (err.message ?? String(err));
    return `${pc.red('✗')} ${rel} failed in ${time}\n${detail}`;
  }
  const verb = event.cached ? pc.dim('up to date') : event.initial ? `built in ${time}` : `rebuilt in ${time}`;
  let types = '';
  const { settings } = resolveSettings({ file: event.file });
  if (settings.types && !event.cached) {
    try {
      const r = writeDeclarationsForArtifact(event.file, event.result, settings);
      if (r.written) types = `, wrote ${path.relative(process.cwd(), r.path) || r.path}`;
    } catch (err) {
      types = `, declarations failed: ${(err as Error).message}`;
    }
  }
  return `${pc.green('✓')} ${rel} ${verb}${types}`;
}

export function runWatch(paths: string[], opts: { optimize?: OptimizeMode }): Promise<void> {
  const watcher = watchModules(paths, opts.optimize ? { optimize: opts.optimize } : {});
  watcher.on('event', (e) => process.stdout.write(`${describe(e)}\n`));
  watcher.on('ready', () => process.stdout.write(pc.dim(`watching ${paths.join(', ')} (Ctrl-C to stop)\n`)));
  return new Promise((resolve, reject) => {
    (watcher as unknown as NodeJS.EventEmitter).on('error', reject);
    const stop = () => {
      watcher.close();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
