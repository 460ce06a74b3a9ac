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

/** The message of a `ZigCompileError`: the user's locations first, each with its excerpt. */
export function formatCompileMessage(file: string, parsed: ParsedOutput, fallback: string): string {
  const blocks: { internal: boolean; text: string }[] = parsed.diagnostics.map((d, i) => ({
    internal: isInternal(d),
    text: [`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`, ...(parsed.excerpts[i] ?? [])].join('\n'),
  }));
  // Keep each error together with the notes that follow it, then order user errors first.
  const groups: { internal: boolean; lines: string[] }[] = [];
  parsed.diagnostics.forEach((d, i) => {
    const block = blocks[i]!;
    if (d.severity === 'note' && groups.length > 0) groups[groups.length - 1]!.lines.push(block.text);
    else groups.push({ internal: block.internal, lines: [block.text] });
  });
  groups.sort((a, b) => Number(a.internal) - Number(b.internal));
  const body = [...groups.map((g) => g.lines.join('\n')), ...parsed.general].join('\n\n');
  return `Zig could not compile ${file}:\n\n${body || fallback.trim()}`;
}
