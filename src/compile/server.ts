/**
 * Zig's compiler-server protocol (`zig build-lib --listen=-`), the way `zig build` talks to the
 * compiler. We send "update" then "exit" and read back the messages: the emitted artifact's cache
 * digest, the errors as an ErrorBundle, and — what this is for — the exact list of files the
 * compiler read (`file_system_inputs`), which the cache records instead of guessing imports.
 *
 * Wire format (little-endian): each message is `u32 tag, u32 body_len, body`. Tag numbers are
 * those of `std.zig.Server.Message.Tag` in the installed release.
 */
import * as path from 'node:path';
import type { ZigDiagnostic } from '../errors.js';
import { fileSystemInputsTag } from '../toolchain/versions.js';

const CLIENT_EXIT = 0;
const CLIENT_UPDATE = 1;

const TAG_ZIG_VERSION = 0;
const TAG_ERROR_BUNDLE = 1;
const TAG_EMIT_DIGEST = 2;

/** What stdin carries: one update, then exit. */
export function clientMessages(): Buffer {
  const buf = Buffer.alloc(16);
  buf.writeUInt32LE(CLIENT_UPDATE, 0);
  buf.writeUInt32LE(0, 4);
  buf.writeUInt32LE(CLIENT_EXIT, 8);
  buf.writeUInt32LE(0, 12);
  return buf;
}

/** `std.zig.Server.Message.PathPrefix`: what an input path is relative to. */
export type PathPrefix = 'cwd' | 'zig_lib' | 'local_cache' | 'global_cache' | 'build_root';
const PREFIXES: PathPrefix[] = ['cwd', 'zig_lib', 'local_cache', 'global_cache', 'build_root'];

export interface CompilerInput {
  prefix: PathPrefix;
  /** Relative to the prefix (or absolute). */
  subPath: string;
}

export interface ServerResult {
  zigVersion?: string;
  /** Hex digest naming the output folder `o/<digest>` in the cache dir. */
  digest?: string;
  cacheHit: boolean;
  inputs: CompilerInput[];
  diagnostics: ZigDiagnostic[];
  /** Per diagnostic: the source line and a caret line, as Zig renders them. */
  excerpts: string[][];
  /** `@compileLog` output, if any. */
  compileLog: string;
}

function cString(bytes: Buffer, at: number): string {
  const end = bytes.indexOf(0, at);
  return bytes.toString('utf8', at, end < 0 ? bytes.length : end);
}

/** Decodes an ErrorBundle (layout identical in 0.15, 0.16 and 0.17). */
export function decodeErrorBundle(body: Buffer, cwd: string): Pick<ServerResult, 'diagnostics' | 'excerpts' | 'compileLog'> {
  const extraLen = body.readUInt32LE(0);
  const stringsLen = body.readUInt32LE(4);
  const extra = (i: number) => body.readUInt32LE(8 + 4 * i);
  const strings = body.subarray(8 + 4 * extraLen, 8 + 4 * extraLen + stringsLen);
  const out = { diagnostics: [] as ZigDiagnostic[], excerpts: [] as string[][], compileLog: '' };
  if (extraLen === 0) return out;
  // ErrorMessageList { len, start, compile_log_text }
  const [count, start, logText] = [extra(0), extra(1), extra(2)];
  if (logText !== 0) out.compileLog = cString(strings, logText);
  const push = (msgIndex: number, severity: 'error' | 'note') => {
    // ErrorMessage { msg, count, src_loc, notes_len }
    const message = cString(strings, extra(msgIndex));
    const srcLoc = extra(msgIndex + 2);
    const notesLen = extra(msgIndex + 3);
    if (srcLoc !== 0) {
      // SourceLocation { src_path, line, column, span_start, span_main, span_end, source_line, reference_trace_len }
      const file = path.resolve(cwd, cString(strings, extra(srcLoc)));
      const line = extra(srcLoc + 1) + 1;
      const column = extra(srcLoc + 2) + 1;
      const [spanStart, spanMain, spanEnd, sourceLine] = [extra(srcLoc + 3), extra(srcLoc + 4), extra(srcLoc + 5), extra(srcLoc + 6)];
      const excerpt: string[] = [];
      if (sourceLine !== 0) {
        const text = cString(strings, sourceLine);
        // The caret line: `~` under the span, `^` at its main point, as Zig draws it.
        const before = Math.max(0, spanMain - spanStart);
        const after = Math.max(0, spanEnd - spanMain - 1);
        const lead = Math.max(0, column - 1 - before);
        excerpt.push(text, `${' '.repeat(lead)}${'~'.repeat(before)}^${'~'.repeat(after)}`);
      }
      out.diagnostics.push({ file, line, column, severity, message });
      out.excerpts.push(excerpt);
    } else {
      out.diagnostics.push({ file: '', line: 0, column: 0, severity, message });
      out.excerpts.push([]);
    }
    for (let n = 0; n < notesLen; n++) push(extra(msgIndex + 4 + n), 'note');
  };
  for (let i = 0; i < count; i++) push(extra(start + i), 'error');
  return out;
}

function decodeInputs(body: Buffer): CompilerInput[] {
  const inputs: CompilerInput[] = [];
  for (const entry of body.toString('utf8').split('\0')) {
    if (entry.length < 2) continue;
    const prefix = PREFIXES[entry.charCodeAt(0) - 1];
    if (prefix) inputs.push({ prefix, subPath: entry.slice(1) });
  }
  return inputs;
}

/** Reads every message the compiler sent on stdout. */
export function decodeServerOutput(stdout: Buffer, zigVersion: string, cwd: string): ServerResult {
  const result: ServerResult = { cacheHit: false, inputs: [], diagnostics: [], excerpts: [], compileLog: '' };
  const inputsTag = fileSystemInputsTag(zigVersion);
  for (let at = 0; at + 8 <= stdout.length; ) {
    const tag = stdout.readUInt32LE(at);
    const len = stdout.readUInt32LE(at + 4);
    // A compiler that crashed mid-message leaves a partial body: decoding stops there, and the
    // caller reports the failed run instead of a misread.
    if (at + 8 + len > stdout.length) break;
    const body = stdout.subarray(at + 8, at + 8 + len);
    at += 8 + len;
    if (tag === TAG_ZIG_VERSION) result.zigVersion = body.toString('utf8');
    else if (tag === TAG_EMIT_DIGEST && body.length >= 17) {
      result.cacheHit = (body[0]! & 1) === 1;
      result.digest = body.subarray(body.length - 16).toString('hex');
    } else if (tag === TAG_ERROR_BUNDLE) Object.assign(result, decodeErrorBundle(body, cwd));
    else if (tag === inputsTag) result.inputs = decodeInputs(body);
  }
  return result;
}
