/**
 * Turns the Zig compiler's output into `ZigDiagnostic`s and a readable message. Messages that
 * point into zigimport's own root file or binding layer are shown last: the user's own
 * file:line:col come first, because that is where the fix goes.
 */
import * as path from 'node:path';
import type { ZigDiagnostic } from '../errors.js';
import { BINDING_DIR } from '../paths.js';

const LOCATED = /^(.+?):(\d+):(\d+): (error|note): (.*)$/;
const UNLOCATED = /^(error|note): (.*)$/;

export interface ParsedOutput {
  diagnostics: ZigDiagnostic[];
  /** Per diagnostic, the source excerpt lines Zig printed under it (code line and caret). */
  excerpts: string[][];
  /** Messages without a location, such as `error: unable to open ...`. */
  general: string[];
}

/** Removes terminal colour codes, in case the compiler printed them anyway. */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

export function parseZigOutput(stderr: string, cwd: string): ParsedOutput {
  const diagnostics: ZigDiagnostic[] = [];
  const excerpts: string[][] = [];
  const general: string[] = [];
  let current: string[] | undefined;
  for (const line of stripAnsi(stderr).split('\n')) {
    const located = LOCATED.exec(line);
    if (located) {
      const [, file, row, col, severity, message] = located;
      diagnostics.push({
        file: path.resolve(cwd, file!),
        line: Number(row),
        column: Number(col),
        severity: severity as 'error' | 'note',
        message: message!,
      });
      current = [];
      excerpts.push(current);
      continue;
    }
    const unlocated = UNLOCATED.exec(line);
    if (unlocated) {
      general.push(line);
      current = undefined;
      continue;
    }
    // "referenced by:" traces go through zigimport's generated code: not useful to users.
    if (/^\s*referenced by:/.test(line) || line.trim() === '') {
      current = undefined;
      continue;
    }
    current?.push(line);
  }
  return { diagnostics, excerpts, general };
}

/** True when a diagnostic points into zigimport's own Zig code rather than the user's. */
export function isInternal(d: ZigDiagnostic): boolean {
  return d.file.startsWith(BINDING_DIR + path.sep);
}

/**
 * One diagnostic as text. A user-file location gets Zig's source excerpt; an error raised inside
 * zigimport's binding layer (a `@compileError` about the user's declarations, say) gets its message
 * and where it came from, since the binding's own source line would not help the user.
 */
function render(d: ZigDiagnostic, excerpt: string[]): string {
  if (!d.file) return `${d.severity}: ${d.message}`;
  const where = `${d.file}:${d.line}:${d.column}`;
  if (isInternal(d)) return `${d.severity}: ${d.message}\n  (reported by zigimport's binding layer at ${where})`;
  return [`${where}: ${d.severity}: ${d.message}`, ...excerpt].join('\n');
}

/**
 * The message of a `ZigCompileError`: each error with its notes, errors in the user's files first.
 * Notes that only trace the call chain through the binding layer are dropped, and an error Zig
 * reports twice (once per comptime path) is shown once.
 */
export function formatCompileMessage(file: string, parsed: ParsedOutput, fallback: string): string {
  const groups: { internal: boolean; lines: string[] }[] = [];
  parsed.diagnostics.forEach((d, i) => {
    const text = render(d, parsed.excerpts[i] ?? []);
    const current = groups[groups.length - 1];
    if (d.severity === 'note' && current) {
      if (!isInternal(d)) current.lines.push(text);
    } else groups.push({ internal: isInternal(d), lines: [text] });
  });
  groups.sort((a, b) => Number(a.internal) - Number(b.internal));
  const unique = [...new Set(groups.map((g) => g.lines.join('\n')))];
  const body = [...unique, ...parsed.general].join('\n\n');
  return `Zig could not compile ${file}:\n\n${body || fallback.trim()}`;
}
