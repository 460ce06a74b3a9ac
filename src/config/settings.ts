/**
 * Configuration: every setting, where it may come from, and how its text is parsed.
 * Precedence (highest first): per-import query or `load()` options, environment variables,
 * the module's own `//! zigimport:` lines (optimize), the `zigimport` field of the nearest
 * package.json, defaults.
 */
import * as path from 'node:path';
import { ZigImportConfigError } from '../errors.js';
import { findPackageConfig } from './package-json.js';
import { emptyModuleOptions, parseModuleOptions, readModuleOptions, type ModuleOptions } from './module-options.js';

import { OPTIMIZE_MODES, type OptimizeMode } from './optimize.js';
import type { Environment } from '../portable-types.js';

export { OPTIMIZE_MODES, type OptimizeMode };

/** The resolved configuration for one module. */
export interface Settings {
  /** Zig optimize mode. */
  optimize: OptimizeMode;
  /** Skip source hashing and load the last build recorded for the path. */
  releaseMode: boolean;
  /** Print each step and its time to stderr. */
  verbose: boolean;
  /** Rebuild even when a valid cached build exists. */
  forceRebuild: boolean;
  /** Cache directory (absolute). */
  cacheDir: string;
  /** Explicit Zig executable, or undefined to search. */
  zig: string | undefined;
  /** Folders searched for bare specifiers such as `'simple_math.zig'` (absolute). */
  includePaths: string[];
  /** Compiler time limit in seconds. */
  timeout: number;
  /** Write TypeScript declarations (`x.d.zig.ts` beside `x.zig`) after each fresh build. */
  types: boolean;
  /** Size bound of the cache in bytes; least recently used builds are evicted past it. */
  cacheMax: number;
  /**
   * Base URL of a shared HTTP build cache (Bazel's remote-cache protocol), or undefined for none.
   * May hold Basic-auth userinfo: shown only redacted. The token is read from
   * `ZIGIMPORT_REMOTE_CACHE_TOKEN` alone, never from here.
   */
  remoteCache: string | undefined;
  /** `readwrite` uploads after local compiles; `read` only downloads (untrusted CI). */
  remoteCacheMode: RemoteCacheMode;
  /** Seconds a remote lookup may take in total per import before the import compiles locally. */
  remoteTimeout: number;
  /** What an import builds and loads: `native` (a Node-API addon for this process) or `wasm` (WebAssembly). */
  target: TargetSetting;
}

export type TargetSetting = 'native' | 'wasm';
const TARGET_SETTINGS: TargetSetting[] = ['native', 'wasm'];

function parseTarget(text: string, where: string): TargetSetting {
  const found = TARGET_SETTINGS.find((t) => t === text.trim().toLowerCase());
  if (!found) throw new ZigImportConfigError(`${where} must be one of ${TARGET_SETTINGS.join(', ')} (got ${JSON.stringify(text)})`);
  return found;
}

export type RemoteCacheMode = 'readwrite' | 'read';
const REMOTE_CACHE_MODES: RemoteCacheMode[] = ['readwrite', 'read'];

/** Where a setting's value came from (`module`: a `//! zigimport:` line of the module itself). */
export type SettingSource = 'default' | 'package.json' | 'module' | 'env' | 'query' | 'option';

/** Settings that may be given per import (query string or `load()` options). */
export type SettingsOverrides = Partial<{ [K in keyof Settings]: Settings[K] | string }> & {
  /** Older name of `cacheDir`, still accepted (in `load()` options, queries and package.json). */
  buildDir?: string;
};

/** Older setting names still accepted, and the setting each stands for. */
const ALIASES: Record<string, keyof Settings> = { buildDir: 'cacheDir' };

/** `record` with aliases renamed to their setting; both names at once is an error. */
function canonicalNames<T>(record: Record<string, T>, where: string): Record<string, T> {
  if (!Object.keys(record).some((k) => k in ALIASES)) return record;
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(record)) {
    const name = ALIASES[key] ?? key;
    if (name in out) {
      const alias = Object.keys(record).find((k) => ALIASES[k] === name);
      throw new ZigImportConfigError(`${where}: "${alias}" and "${name}" are the same setting; give one`);
    }
    out[name] = value;
  }
  return out;
}

interface SettingSpec<K extends keyof Settings> {
  env: string;
  parse(text: string, where: string): Settings[K];
  fallback(): Settings[K];
}

const BOOLEAN_WORDS: Record<string, boolean> = {
  true: true,
  '1': true,
  yes: true,
  false: false,
  '0': false,
  no: false,
};

function parseBoolean(text: string, where: string): boolean {
  const value = BOOLEAN_WORDS[text.trim().toLowerCase()];
  if (value === undefined) {
    throw new ZigImportConfigError(`${where} must be one of true/false, 1/0, yes/no (got ${JSON.stringify(text)})`);
  }
  return value;
}

function parseOptimize(text: string, where: string): OptimizeMode {
  const found = OPTIMIZE_MODES.find((m) => m.toLowerCase() === text.trim().toLowerCase());
  if (!found) {
    throw new ZigImportConfigError(`${where} must be one of ${OPTIMIZE_MODES.join(', ')} (got ${JSON.stringify(text)})`);
  }
  return found;
}

function parseSeconds(text: string, where: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ZigImportConfigError(`${where} must be a positive number of seconds (got ${JSON.stringify(text)})`);
  }
  return value;
}

/**
 * Size suffixes as ccache reads them: k/M/G/T are powers of 1000, Ki/Mi/Gi/Ti powers of 1024;
 * a trailing `B` is optional (`500MB`, `2GiB`, `100M`, `1048576`).
 */
const SIZE_UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  m: 1e6,
  g: 1e9,
  t: 1e12,
  ki: 2 ** 10,
  mi: 2 ** 20,
  gi: 2 ** 30,
  ti: 2 ** 40,
};

/** The default size bound of the cache: 2 GiB, about 180 Debug builds. */
export const DEFAULT_CACHE_MAX = 2 * 2 ** 30;

function parseSize(text: string, where: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?)?b?\s*$/i.exec(text);
  const unit = m ? SIZE_UNITS[(m[2] ?? '').toLowerCase()] : undefined;
  const bytes = m && unit ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new ZigImportConfigError(`${where} must be a positive size such as 2GiB, 500MB, 100M or a number of bytes (got ${JSON.stringify(text)})`);
  }
  return bytes;
}

/** An http(s) URL; the error never repeats the text, which may hold credentials. */
function parseRemoteCache(text: string, where: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text.trim());
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ZigImportConfigError(`${where} must be an http:// or https:// URL of a remote cache (e.g. https://cache.example.com/zigimport)`);
  }
  return url.href;
}

function parseRemoteMode(text: string, where: string): RemoteCacheMode {
  const mode = REMOTE_CACHE_MODES.find((m) => m === text.trim().toLowerCase());
  if (!mode) throw new ZigImportConfigError(`${where} must be one of ${REMOTE_CACHE_MODES.join(', ')} (got ${JSON.stringify(text)})`);
  return mode;
}

function parsePathList(text: string): string[] {
  return text
    .split(path.delimiter)
    .filter((p) => p.length > 0)
    .map((p) => path.resolve(p));
}

const SPECS: { [K in keyof Settings]: SettingSpec<K> } = {
  optimize: { env: 'ZIGIMPORT_OPTIMIZE', parse: parseOptimize, fallback: () => 'Debug' },
  releaseMode: { env: 'ZIGIMPORT_RELEASE_MODE', parse: parseBoolean, fallback: () => false },
  verbose: { env: 'ZIGIMPORT_VERBOSE', parse: parseBoolean, fallback: () => false },
  forceRebuild: { env: 'ZIGIMPORT_FORCE_REBUILD', parse: parseBoolean, fallback: () => false },
  cacheDir: { env: 'ZIGIMPORT_BUILD_DIR', parse: (t) => path.resolve(t), fallback: defaultCacheDir },
  zig: { env: 'ZIGIMPORT_ZIG', parse: (t) => t, fallback: () => undefined },
  includePaths: { env: 'ZIGIMPORT_INCLUDE_PATHS', parse: parsePathList, fallback: () => [] },
  timeout: { env: 'ZIGIMPORT_TIMEOUT', parse: parseSeconds, fallback: () => 300 },
  types: { env: 'ZIGIMPORT_TYPES', parse: parseBoolean, fallback: () => true },
  cacheMax: { env: 'ZIGIMPORT_CACHE_MAX', parse: parseSize, fallback: () => DEFAULT_CACHE_MAX },
  remoteCache: { env: 'ZIGIMPORT_REMOTE_CACHE', parse: parseRemoteCache, fallback: () => undefined },
  remoteCacheMode: { env: 'ZIGIMPORT_REMOTE_CACHE_MODE', parse: parseRemoteMode, fallback: () => 'readwrite' },
  remoteTimeout: { env: 'ZIGIMPORT_REMOTE_TIMEOUT', parse: parseSeconds, fallback: () => 2 },
  target: { env: 'ZIGIMPORT_TARGET', parse: parseTarget, fallback: () => 'native' },
};

/** The names of all settings, in a stable order. */
export const SETTING_NAMES = Object.keys(SPECS) as (keyof Settings)[];

/** The environment variable behind each setting. */
export function envName(name: keyof Settings): string {
  return SPECS[name].env;
}

/**
 * The default cache directory: `~/.zigimport`. On POSIX `os.homedir()` is `$HOME` when it is set
 * (libuv reads it first), so a cached import takes it from the environment: loading `node:os`
 * costs a fresh process ~0.2 ms (issue 13). The code cache's loader (src/code-cache/run-bundle.ts)
 * finds the same folder the same way.
 */
export function defaultCacheDir(): string {
  const home = process.platform !== 'win32' && process.env.HOME ? process.env.HOME : (require('node:os') as typeof import('node:os')).homedir();
  return path.join(home, '.zigimport');
}

function coerce<K extends keyof Settings>(name: K, value: unknown, where: string): Settings[K] {
  const spec = SPECS[name];
  if (typeof value === 'string') return spec.parse(value, where);
  // package.json and `load()` options may hold typed values: check they match the setting.
  if (name === 'includePaths' && Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return value.map((p) => path.resolve(p)) as Settings[K];
  }
  if (typeof value === 'boolean' && typeof spec.fallback() === 'boolean') return value as Settings[K];
  if (typeof value === 'number' && (name === 'timeout' || name === 'cacheMax' || name === 'remoteTimeout')) return spec.parse(String(value), where);
  const shown = name === 'remoteCache' ? '(not a string)' : JSON.stringify(value);
  throw new ZigImportConfigError(`${where} has an invalid value ${shown}`);
}

/** A package.json `zigimport` key that is not an import setting: the prebuild command's own. */
const PACKAGE_ONLY_KEY = 'prebuild';

function checkKnown(keys: Iterable<string>, where: string): void {
  for (const key of keys) {
    if (!(SETTING_NAMES as string[]).includes(key)) {
      throw new ZigImportConfigError(`${where}: unknown setting "${key}" (known: ${SETTING_NAMES.join(', ')})`);
    }
  }
}

/** Reads per-import settings from a query string such as `optimize=ReleaseFast`. */
export function overridesFromQuery(query: string): SettingsOverrides {
  const params = new URLSearchParams(query);
  const where = `import query "?${query}"`;
  const overrides = canonicalNames(Object.fromEntries(params.entries()), where);
  checkKnown(Object.keys(overrides), where);
  return overrides as SettingsOverrides;
}

export interface ResolveSettingsInput {
  /** The module being imported: its nearest package.json is consulted. */
  file?: string;
  /** The text of `file` when the caller already read it (its `//!` lines are parsed from it). */
  source?: string;
  /** Without `file`: the folder whose nearest package.json is consulted (default: the working directory). */
  folder?: string;
  /** Per-import settings (from a query string or `load()` options). */
  overrides?: SettingsOverrides;
  /** Which layer the overrides come from, for `sources`. */
  overridesSource?: 'query' | 'option';
  env?: Environment;
}

export interface ResolvedSettings {
  settings: Settings;
  sources: { [K in keyof Settings]: SettingSource };
  /** The package.json that contributed settings, if any. */
  packageJson: string | undefined;
  /** The module's own `//! zigimport:` settings (empty without a file); read once, here. */
  module: ModuleOptions;
}

/** Merges defaults, package.json, environment and overrides into one `Settings`. */
export function resolveSettings(input: ResolveSettingsInput = {}): ResolvedSettings {
  const env = input.env ?? process.env;
  const pkg = findPackageConfig(input.file ? path.dirname(input.file) : (input.folder ?? process.cwd()));
  const pkgWhere = pkg && `"zigimport" field of ${pkg.file}`;
  const pkgConfig = pkg ? canonicalNames(pkg.config, pkgWhere!) : undefined;
  // `prebuild` configures the `zigimport prebuild` command (src/prebuild/build.ts), not imports.
  if (pkgConfig)
    checkKnown(
      Object.keys(pkgConfig).filter((k) => k !== PACKAGE_ONLY_KEY),
      pkgWhere!,
    );
  const overridesWhere = input.overridesSource === 'query' ? 'import query' : 'load() options';
  const overrides = canonicalNames(input.overrides ?? {}, overridesWhere) as SettingsOverrides;
  checkKnown(Object.keys(overrides), overridesWhere);

  // The module's own `//! zigimport: optimize=...` sits between the environment and package.json.
  const inSource = input.file ? (input.source === undefined ? readModuleOptions(input.file) : parseModuleOptions(input.file, input.source)) : undefined;
  const settings = {} as Record<keyof Settings, unknown>;
  const sources = {} as Record<keyof Settings, SettingSource>;
  for (const name of SETTING_NAMES) {
    const spec = SPECS[name];
    const fromOverride = overrides[name as keyof SettingsOverrides];
    const fromEnv = env[spec.env];
    const fromPkg = pkgConfig?.[name];
    if (fromOverride !== undefined) {
      settings[name] = coerce(name, fromOverride, `setting "${name}"`);
      sources[name] = input.overridesSource ?? 'option';
    } else if (fromEnv !== undefined && fromEnv !== '') {
      settings[name] = coerce(name, fromEnv, spec.env);
      sources[name] = 'env';
    } else if (name === 'optimize' && inSource?.optimize) {
      settings[name] = inSource.optimize;
      sources[name] = 'module';
    } else if (fromPkg !== undefined) {
      const where = `"zigimport.${name}" in ${pkg!.file}`;
      // Relative paths in package.json are relative to that file, not to the working directory.
      const base = path.dirname(pkg!.file);
      const value =
        name === 'cacheDir' && typeof fromPkg === 'string'
          ? path.resolve(base, fromPkg)
          : name === 'includePaths' && Array.isArray(fromPkg)
            ? fromPkg.map((p) => path.resolve(base, String(p)))
            : fromPkg;
      settings[name] = coerce(name, value, where);
      sources[name] = 'package.json';
    } else {
      settings[name] = spec.fallback();
      sources[name] = 'default';
    }
  }
  return { settings: settings as unknown as Settings, sources, packageJson: pkg?.file, module: inSource ?? emptyModuleOptions() };
}
