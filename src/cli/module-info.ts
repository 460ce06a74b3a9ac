/**
 * `zigimport info file.zig…`: every export of a module with its JavaScript signature (the same
 * text the generated declarations hold, without comments), and each skipped declaration with
 * the reason. `--json` prints the binding layer's descriptor instead.
 */
import * as path from 'node:path';
import { pc } from './color.js';
import { resolveSettings } from '../config/settings.js';
import { loadSync } from '../loaders/load.js';
import { declarationsFor, describeExports } from '../types/write.js';

/** The declaration lines that say what a module exports, without comments or the header. */
function signatures(declarations: string): string[] {
  const lines: string[] = [];
  let inComment = false;
  for (const line of declarations.split('\n')) {
    const t = line.trim();
    if (inComment) {
      if (t.endsWith('*/')) inComment = false;
      continue;
    }
    if (t.startsWith('/**') || t.startsWith('/*')) {
      inComment = !t.endsWith('*/');
      continue;
    }
    if (t.startsWith('//') || t === '') continue;
    lines.push(line);
  }
  return lines;
}

export function runModuleInfo(files: string[], opts: { json?: boolean }): void {
  const reports = files.map((f) => {
    const file = path.resolve(f);
    const exports = loadSync(file);
    const { settings } = resolveSettings({ file });
    const desc = describeExports(exports, file);
    return { file, desc, declarations: opts.json ? '' : declarationsFor({ file, exports, cacheDir: settings.cacheDir, zig: settings.zig }) };
  });
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify(
        reports.map((r) => ({ file: r.file, ...r.desc })),
        null,
        2,
      )}\n`,
    );
    return;
  }
  for (const r of reports) {
    const out = [pc.bold(path.relative(process.cwd(), r.file) || r.file), ...signatures(r.declarations).map((l) => `  ${l}`)];
    if (r.desc.skipped.length > 0) {
      out.push(pc.bold('  skipped:'));
      for (const s of r.desc.skipped) out.push(`    ${s.name}: ${s.reason}`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
  }
}
