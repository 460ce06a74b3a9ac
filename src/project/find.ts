/**
 * Finds what makes a module part of a Zig project: the `build.zig.zon` it belongs to (in its
 * folder or a parent, up to the nearest package.json or the filesystem root), a `build.zig`
 * hook (`pub fn zigimport`) beside it or at the package root, and the lazy dependencies its
 * own files import. A module with none of these is built by the plain `zig build-lib` path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ZigImportConfigError } from '../errors.js';
import type { ModuleOptions } from '../config/module-options.js';
import { collectInputs, stripComments } from '../cache/inputs.js';
import { isZonStruct, parseZon, type ZonValue } from './zon.js';

export interface PackageDependency {
  /** The name under which `build.zig.zon` declares it, and the module name it is imported as. */
  name: string;
  lazy: boolean;
  /** For `.path` dependencies: the absolute folder. */
  path?: string;
  /** The declaration as written, for copying into the generated manifest. */
  declaration: { [field: string]: ZonValue };
}

export interface ZigProject {
  /** The `build.zig.zon` the module belongs to, if any. */
  manifest?: string;
  /** Its parsed top-level fields (only when `manifest` is set). */
  manifestFields?: { [field: string]: ZonValue };
  dependencies: PackageDependency[];
  /** A `build.zig` that declares `pub fn zigimport(...)`, if any. */
  hook?: string;
  /** Lazy dependencies that the module's own files `@import`: the only ones fetched. */
  usedLazy: string[];
  /** `-D` options for the build (`define=` in-source setting). */
  defines: string[];
  /**
   * Files that shape the build graph but that the compiler does not read: the manifest, the
   * hook, and the `build.zig`/`build.zig.zon` of `.path` dependencies. They join the inputs.
   */
  graphInputs: string[];
}

const HOOK = /\bpub\s+fn\s+zigimport\s*\(/;
const MODULE_IMPORT = /@import\s*\(\s*"((?:[^"\\\n]|\\.)*)"\s*\)/g;
const BUILTIN_MODULES = new Set(['std', 'builtin', 'root', 'zigimport']);

/** The nearest `build.zig.zon` from `dir` upwards, stopping after a folder with a package.json. */
export function findManifest(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const candidate = path.join(d, 'build.zig.zon');
    if (fs.existsSync(candidate)) return candidate;
    if (fs.existsSync(path.join(d, 'package.json')) || path.dirname(d) === d) return undefined;
  }
}

function findHook(dirs: string[]): string | undefined {
  for (const dir of dirs) {
    const candidate = path.join(dir, 'build.zig');
    try {
      if (HOOK.test(stripComments(fs.readFileSync(candidate, 'utf8')))) return candidate;
    } catch {
      // No build.zig here.
    }
  }
  return undefined;
}

/** Names of modules (not files) that the module's own `.zig` files import. */
export function importedModuleNames(file: string): Set<string> {
  const names = new Set<string>();
  for (const input of collectInputs(file)) {
    if (!input.path.endsWith('.zig') || input.sha256 === 'missing') continue;
    for (const m of stripComments(fs.readFileSync(input.path, 'utf8')).matchAll(MODULE_IMPORT)) {
      const name = m[1]!;
      if (!name.endsWith('.zig') && !name.endsWith('.zon') && !BUILTIN_MODULES.has(name)) names.add(name);
    }
  }
  return names;
}

function readDependencies(manifest: string, fields: { [field: string]: ZonValue }): PackageDependency[] {
  const declared = fields.dependencies ?? [];
  // `.dependencies = .{}` reads as an empty tuple.
  if (Array.isArray(declared) && declared.length === 0) return [];
  if (!isZonStruct(declared)) throw new ZigImportConfigError(`${manifest}: .dependencies must be a struct of dependencies`);
  return Object.entries(declared).map(([name, decl]) => {
    if (!isZonStruct(decl)) throw new ZigImportConfigError(`${manifest}: dependency '${name}' must be a struct with .url and .hash, or .path`);
    const lazy = decl.lazy === true;
    if (typeof decl.path === 'string') {
      return { name, lazy, path: path.resolve(path.dirname(manifest), decl.path), declaration: decl };
    }
    if (typeof decl.url !== 'string') {
      throw new ZigImportConfigError(`${manifest}: dependency '${name}' needs .path, or .url with .hash (run \`zig fetch --save <url>\` to add one)`);
    }
    return { name, lazy, declaration: decl };
  });
}

/** The folders of a manifest's `.path` dependencies (package sources, not modules). */
export function pathDependencies(manifest: string): string[] {
  const parsed = parseZon(fs.readFileSync(manifest, 'utf8'), manifest);
  if (!isZonStruct(parsed)) return [];
  return readDependencies(manifest, parsed).flatMap((d) => (d.path ? [d.path] : []));
}

/** The module's project, or undefined when it is a plain single-folder module. */
export function findProject(file: string, module: ModuleOptions): ZigProject | undefined {
  const dir = path.dirname(file);
  const manifest = findManifest(dir);
  const hook = findHook(manifest && path.dirname(manifest) !== dir ? [dir, path.dirname(manifest)] : [dir]);
  if (!manifest && !hook && module.defines.length === 0) return undefined;
  let manifestFields: { [field: string]: ZonValue } | undefined;
  let dependencies: PackageDependency[] = [];
  const graphInputs: string[] = [];
  if (manifest) {
    const parsed = parseZon(fs.readFileSync(manifest, 'utf8'), manifest);
    if (!isZonStruct(parsed)) throw new ZigImportConfigError(`${manifest}: expected a struct (.{ .name = ..., .dependencies = ... })`);
    manifestFields = parsed;
    dependencies = readDependencies(manifest, parsed);
    graphInputs.push(manifest);
    for (const dep of dependencies) {
      if (dep.path) graphInputs.push(path.join(dep.path, 'build.zig'), path.join(dep.path, 'build.zig.zon'));
    }
  }
  if (hook) graphInputs.push(hook);
  const imported = dependencies.some((d) => d.lazy) ? importedModuleNames(file) : new Set<string>();
  return {
    ...(manifest ? { manifest, manifestFields } : {}),
    dependencies,
    ...(hook ? { hook } : {}),
    usedLazy: dependencies.filter((d) => d.lazy && imported.has(d.name)).map((d) => d.name),
    defines: module.defines,
    graphInputs,
  };
}
