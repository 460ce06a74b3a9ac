/**
 * Turns the Zig compiler's output into `ZigDiagnostic`s and a readable message. Messages that
 * point into zigimport's own root file or binding layer are shown last: the user's own
 * file:line:col come first, because that is where the fix goes.
 */
import * as fs from 'node:fs';
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
  /** `@compileLog` values, one line per call, as the compiler's ErrorBundle carries them. */
  compileLog?: string;
}

/** The error Zig adds when a build ran `@compileLog`; its notes ("also here") name the other places. */
export const COMPILE_LOG_ERROR = 'found compile log statement';

/** Removes terminal colour codes, in case the compiler printed them anyway. */
export function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts every colour code
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

function location(d: ZigDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}`;
}

/**
 * One diagnostic as text. A user-file location gets Zig's source excerpt; an error raised inside
 * zigimport's binding layer (a `@compileError` about the user's declarations, say) gets its message
 * and where it came from, since the binding's own source line would not help the user.
 */
function render(d: ZigDiagnostic, excerpt: string[]): string {
  if (!d.file) return `${d.severity}: ${d.message}`;
  const where = location(d);
  if (isInternal(d)) return `${d.severity}: ${d.message}\n  (reported by zigimport's binding layer at ${where})`;
  return [`${where}: ${d.severity}: ${d.message}`, ...excerpt].join('\n');
}

/** One line with string and character literals blanked and any `//` comment cut: only code is left, at its columns. */
function codeOf(line: string): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      out += ' ';
      if (c === '\\' && i + 1 < line.length) {
        out += ' ';
        i++;
      } else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
      out += ' ';
    } else if (c === '/' && line[i + 1] === '/') break;
    else out += c;
  }
  return out;
}

/** The 1-based line and column (in bytes, as Zig counts) of every `@compileLog` call in Zig source, outside comments and strings. */
export function compileLogCalls(source: string): { line: number; column: number }[] {
  const calls: { line: number; column: number }[] = [];
  source.split('\n').forEach((text, i) => {
    if (/^\s*\\\\/.test(text)) return; // a `\\` multiline string line
    for (const m of codeOf(text).matchAll(/@compileLog\s*\(/g)) calls.push({ line: i + 1, column: Buffer.byteLength(text.slice(0, m.index)) + 1 });
  });
  return calls;
}

/**
 * Every `@compileLog` call in the files Zig pointed at (the module's own file when it pointed at
 * none). Zig names only the first call of each function that logged, and none at all when the
 * module has other errors; the values alone would leave the user guessing which call printed them.
 * Runs only on a failed build.
 */
function compileLogPlaces(file: string, named: ZigDiagnostic[]): string[] {
  const files = named.length > 0 ? [...new Set(named.map((d) => d.file))] : [file];
  const places = named.map((d) => ({ file: d.file, line: d.line, column: d.column }));
  for (const f of files) {
    let source: string;
    try {
      source = fs.readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    for (const call of compileLogCalls(source)) places.push({ file: f, ...call });
  }
  places.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || a.line - b.line || a.column - b.column);
  return [...new Set(places.map((p) => `${p.file}:${p.line}:${p.column}`))];
}

/**
 * The `@compileLog` values under the calls that can have logged them. Zig does not tie each value
 * to its call; the values are in the order Zig evaluated the calls.
 */
export function formatCompileLog(compileLog: string, places: string[]): string {
  const values = compileLog
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => `  ${line}`);
  const from = places.length > 0 ? ` from the @compileLog calls at:\n${places.map((p) => `  ${p}`).join('\n')}\nValues, in the order Zig evaluated them` : '';
  return [`Compile log output${from}:`, ...values, 'Remove the @compileLog calls to build the module.'].join('\n');
}

/**
 * The message of a `ZigCompileError`: each error with its notes, errors in the user's files first.
 * Notes that only trace the call chain through the binding layer are dropped, and an error Zig
 * reports twice (once per comptime path) is shown once. `@compileLog` values follow the error
 * that points at the calls (or stand alone when Zig left that error out).
 */
export function formatCompileMessage(file: string, parsed: ParsedOutput, fallback: string): string {
  const groups: { internal: boolean; lines: string[]; places: ZigDiagnostic[]; logged: boolean }[] = [];
  parsed.diagnostics.forEach((d, i) => {
    const text = render(d, parsed.excerpts[i] ?? []);
    const current = groups[groups.length - 1];
    if (d.severity === 'note' && current) {
      if (!isInternal(d)) current.lines.push(text);
      if (current.logged && d.file) current.places.push(d);
    } else {
      const logged = d.message === COMPILE_LOG_ERROR;
      groups.push({ internal: isInternal(d), lines: [text], places: logged && d.file ? [d] : [], logged });
    }
  });
  const log = parsed.compileLog?.trim() ? parsed.compileLog : '';
  const logGroup = groups.find((g) => g.logged);
  if (log && logGroup) logGroup.lines.push('', formatCompileLog(log, compileLogPlaces(file, logGroup.places)));
  groups.sort((a, b) => Number(a.internal) - Number(b.internal));
  const unique = [...new Set(groups.map((g) => g.lines.join('\n')))];
  if (log && !logGroup) unique.push(formatCompileLog(log, compileLogPlaces(file, [])));
  const body = [...unique, ...parsed.general].join('\n\n');
  return `Zig could not compile ${file}:\n\n${body || fallback.trim()}`;
}
