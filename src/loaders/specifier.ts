/**
 * Turns what a user wrote (`'./x.zig'`, `'x.zig?optimize=ReleaseFast'`, a file URL, a bare
 * `'simple_math.zig'` found through ZIGIMPORT_INCLUDE_PATHS) into an absolute path and a query.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZigImportError } from '../errors.js';
import { isBareSpecifier } from './zig-specifier-shape.js';

export { isBareSpecifier, isZigSpecifier } from './zig-specifier-shape.js';

export interface ZigSpecifier {
  /** Absolute path of the .zig file. */
  file: string;
  /** The query string without '?', possibly empty. */
  query: string;
}

function splitQuery(specifier: string): { spec: string; query: string } {
  const noHash = specifier.replace(/#.*$/, '');
  const q = noHash.indexOf('?');
  return q < 0 ? { spec: noHash, query: '' } : { spec: noHash.slice(0, q), query: noHash.slice(q + 1) };
}

/** Finds a bare specifier in the include paths, or undefined. */
export function findInIncludePaths(name: string, includePaths: string[]): string | undefined {
  for (const dir of includePaths) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The folder a relative specifier is resolved against: `from` may be a file URL, a file or a folder. */
export function baseFolder(from: string | URL | undefined): string {
  if (from === undefined) return process.cwd();
  const p = from instanceof URL || /^file:/.test(from) ? fileURLToPath(from) : path.resolve(from);
  try {
    if (fs.statSync(p).isDirectory()) return p;
  } catch {
    // A URL such as import.meta.url of a file that was moved: use its folder.
  }
  return path.dirname(p);
}

/**
 * Resolves `specifier` against `from`. `includePaths` may be a function: it is then called only
 * for a bare specifier not found beside `from`, so other imports never compute them.
 */
export function resolveZigSpecifier(specifier: string, from: string | URL | undefined, includePaths: string[] | (() => string[])): ZigSpecifier {
  const { spec, query } = splitQuery(specifier);
  let file: string;
  if (/^file:/.test(spec)) file = fileURLToPath(spec);
  else if (path.isAbsolute(spec)) file = spec;
  else if (isBareSpecifier(spec)) {
    const local = path.resolve(baseFolder(from), spec);
    const isLocal = fs.existsSync(local);
    const searched = isLocal ? [] : typeof includePaths === 'function' ? includePaths() : includePaths;
    const found = isLocal ? local : findInIncludePaths(spec, searched);
    if (!found) {
      throw new ZigImportError(
        'ZIGIMPORT_MODULE_NOT_FOUND',
        `Cannot find Zig module "${spec}" relative to ${baseFolder(from)} or in ZIGIMPORT_INCLUDE_PATHS (${searched.join(path.delimiter) || 'empty'}).`,
      );
    }
    file = found;
  } else file = path.resolve(baseFolder(from), spec);
  return { file: path.normalize(file), query };
}
