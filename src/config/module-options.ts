/**
 * In-source settings: leading `//! zigimport: key=value, key=value` lines of a module set its
 * build options, next to the code that needs them:
 *
 *     //! zigimport: link_libc=true, c_sources=vendor/miniz.c, include_paths=vendor
 *
 * Lists take several space-separated values; paths are relative to the module's folder. They are
 * part of the cache key. An unknown key is an error naming it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ZigImportConfigError } from '../errors.js';
import { OPTIMIZE_MODES, type OptimizeMode } from './optimize.js';

export interface ModuleOptions {
  /** Optimize mode requested by the module (applied below query/options and the environment). */
  optimize?: OptimizeMode;
  /** Link the C library (for `extern fn` calls into libc, or C sources that use it). */
  linkLibc: boolean;
  /** C source files compiled into the module (absolute). */
  cSources: string[];
  /** Folders searched for C headers (absolute). */
  includePaths: string[];
  /** Flags for the C compiler, e.g. `-O2 -DNDEBUG`. */
  cFlags: string[];
  /** System libraries to link, e.g. `m z`. */
  linkSystem: string[];
  /** `-D` options for the module's `build.zig` hook, as `name=value` (or `name` for true). */
  defines: string[];
}

const KEYS = ['optimize', 'link_libc', 'c_sources', 'include_paths', 'c_flags', 'link_system', 'define'] as const;
const DEFINE = /^[A-Za-z_][A-Za-z0-9_.-]*(=.*)?$/;
const DIRECTIVE = /^\/\/!\s*zigimport:(.*)$/;

export function emptyModuleOptions(): ModuleOptions {
  return { linkLibc: false, cSources: [], includePaths: [], cFlags: [], linkSystem: [], defines: [] };
}

/** Parses the leading `//!` block of `source` (the module at `file`). */
export function parseModuleOptions(file: string, source: string): ModuleOptions {
  const options = emptyModuleOptions();
  const dir = path.dirname(file);
  const lines = source.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (!line.startsWith('//!')) {
      if (line === '') continue;
      break; // Only the leading doc-comment block counts.
    }
    const match = DIRECTIVE.exec(line);
    if (!match) continue;
    const where = `${file}:${n + 1}`;
    for (const part of match[1]!.split(',')) {
      if (part.trim() === '') continue;
      const eq = part.indexOf('=');
      const key = (eq < 0 ? part : part.slice(0, eq)).trim();
      const value = eq < 0 ? '' : part.slice(eq + 1).trim();
      const values = value.split(/\s+/).filter(Boolean);
      switch (key as (typeof KEYS)[number]) {
        case 'optimize': {
          const mode = OPTIMIZE_MODES.find((m) => m.toLowerCase() === value.toLowerCase());
          if (!mode) throw new ZigImportConfigError(`${where}: optimize must be one of ${OPTIMIZE_MODES.join(', ')} (got "${value}")`);
          options.optimize = mode;
          break;
        }
        case 'link_libc':
          if (!['true', 'false'].includes(value)) throw new ZigImportConfigError(`${where}: link_libc must be true or false (got "${value}")`);
          options.linkLibc = value === 'true';
          break;
        case 'c_sources':
          options.cSources.push(...values.map((v) => path.resolve(dir, v)));
          break;
        case 'include_paths':
          options.includePaths.push(...values.map((v) => path.resolve(dir, v)));
          break;
        case 'c_flags':
          options.cFlags.push(...values);
          break;
        case 'link_system':
          options.linkSystem.push(...values);
          break;
        case 'define':
          for (const v of values) {
            if (!DEFINE.test(v)) throw new ZigImportConfigError(`${where}: define takes name=value pairs for the build.zig hook's options (got "${v}")`);
          }
          options.defines.push(...values);
          break;
        default:
          throw new ZigImportConfigError(`${where}: unknown zigimport setting "${key}" (known: ${KEYS.join(', ')})`);
      }
    }
  }
  return options;
}

/** Reads and parses a module's in-source settings; a file that cannot be read has none. */
export function readModuleOptions(file: string): ModuleOptions {
  const source = readModuleSource(file);
  return source === undefined ? emptyModuleOptions() : parseModuleOptions(file, source);
}

/**
 * A module's text, or undefined when it cannot be read. `missing` is called (and its error thrown)
 * when there is no file at that path: the one read of an import tells "not found" too, with no
 * separate existence check.
 */
export function readModuleSource(file: string, missing?: () => Error): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (missing && (code === 'ENOENT' || code === 'ENOTDIR')) throw missing();
    return undefined;
  }
}
