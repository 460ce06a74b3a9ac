/**
 * Reads `@import("x.zig")` and `@embedFile("...")` string literals to tell which `.zig` files
 * under a folder are parts of another module rather than modules of their own (`zigimport
 * build`/`watch` discovery). The cache does not use this: it records the exact list of files the
 * compiler read. Comments and multiline string literals are ignored so a commented-out import
 * never counts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256 } from './files.js';
import type { NodeBuffer } from '../portable-types.js';

export interface SourceInput {
  /** Absolute path. */
  path: string;
  /** SHA-256 of its bytes, or 'missing' when it could not be read (the compiler will say why). */
  sha256: string;
}

const REFERENCE = /@(import|embedFile)\s*\(\s*"((?:[^"\\\n]|\\.)*)"\s*\)/g;

/** Removes `//` comments and `\\` multiline-string lines; keeps ordinary strings intact. */
export function stripComments(source: string): string {
  const out: string[] = [];
  for (const line of source.split('\n')) {
    if (/^\s*\\\\/.test(line)) continue;
    let inString = false;
    let cut = line.length;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "'") {
        // Character literal such as '"' or '\''.
        const end = line.indexOf("'", i + (line[i + 1] === '\\' ? 3 : 2));
        if (end > i) i = end;
      } else if (c === '/' && line[i + 1] === '/') {
        cut = i;
        break;
      }
    }
    out.push(line.slice(0, cut));
  }
  return out.join('\n');
}

/** Relative file references in one source text. */
export function localReferences(source: string): string[] {
  const refs: string[] = [];
  for (const match of stripComments(source).matchAll(REFERENCE)) {
    const [, kind, target] = match;
    if (!target) continue;
    if (kind === 'import' && !target.endsWith('.zig') && !target.endsWith('.zon')) continue;
    refs.push(target);
  }
  return refs;
}

/** The entry file and every local file it reaches, entry first, each hashed. */
export function collectInputs(entry: string, entrySource?: NodeBuffer): SourceInput[] {
  const seen = new Map<string, SourceInput>();
  const queue: { file: string; data?: Buffer }[] = [{ file: entry, ...(entrySource ? { data: entrySource } : {}) }];
  while (queue.length > 0) {
    const { file, data: given } = queue.shift()!;
    if (seen.has(file)) continue;
    let data = given;
    if (!data) {
      try {
        data = fs.readFileSync(file);
      } catch {
        seen.set(file, { path: file, sha256: 'missing' });
        continue;
      }
    }
    seen.set(file, { path: file, sha256: sha256(data) });
    if (!file.endsWith('.zig')) continue;
    for (const ref of localReferences(data.toString('utf8'))) {
      queue.push({ file: path.resolve(path.dirname(file), ref) });
    }
  }
  return [...seen.values()];
}
