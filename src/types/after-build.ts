/**
 * The loaders' hook into declaration generation: after a fresh build, write `x.d.zig.ts`.
 * Never fails the import: a problem is reported on stderr (or, for a read-only source folder
 * or a build without a descriptor, only in verbose mode).
 */
import type { Settings } from '../config/settings.js';
import type { StepLog } from '../log.js';
import { writeDeclarations } from './write.js';

const QUIET_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);

export function writeTypesAfterBuild(file: string, exports: object, settings: Settings, log: StepLog): void {
  if (typeof (exports as { __zigimport_describe?: unknown }).__zigimport_describe !== 'function') {
    log.info('types: the binding layer gives no descriptor; no declarations written');
    return;
  }
  const start = performance.now();
  try {
    const r = writeDeclarations({ file, exports, cacheDir: settings.cacheDir, zig: settings.zig });
    log.step('types', performance.now() - start, r.written ? `wrote ${r.path}` : `${r.path} unchanged`);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code && QUIET_CODES.has(e.code)) {
      log.info(`types: cannot write declarations: ${e.message}`);
      return;
    }
    process.stderr.write(`zigimport: could not write TypeScript declarations for ${file}: ${e.message ?? String(err)}\n`);
  }
}
