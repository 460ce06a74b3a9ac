/**
 * What the bundler plugins (src/esm/bundler/) ask of zigimport: a `.zig` module built as
 * WebAssembly through the ordinary pipeline (the same cache, keyed by target), the names it
 * exports, every file the compiler read (for the bundler to watch), and the glue module that
 * instantiates it in the browser. The plugins themselves only adapt this to each bundler.
 */
import * as fs from 'node:fs';
import { resolveSettings, type OptimizeMode } from '../config/settings.js';
import { ensureBuild } from '../pipeline/ensure.js';
import { loadArtifact, wasmTarget } from '../target.js';
import { createLog } from '../log.js';
import { ZigCompileError } from '../errors.js';

/** The plugin's options (typed for each bundler's entry). */
export interface ZigImportPluginOptions {
  /**
   * Put the `.wasm` into the JavaScript as base64 (`true`) or emit it as an asset fetched at run
   * time (`false`). Default: inline in dev servers and for esbuild, emitted in production builds.
   */
  inline?: boolean;
  /** Zig optimize mode. Default: ReleaseSmall for production builds, Debug otherwise. */
  optimize?: OptimizeMode;
  /**
   * `'await'` (default): the module instantiates itself with top-level `await`, so named imports
   * are ready when imported. `'manual'`: it exports `init()`, which must be awaited before use
   * (for targets without top-level await); the named exports are live bindings filled by it.
   */
  init?: 'await' | 'manual';
  /** The Zig to use (default: as for imports in Node: ZIGIMPORT_ZIG, PATH, installed toolchains). */
  zig?: string;
  /** The build cache (default: as for imports in Node, `~/.zigimport`). */
  cacheDir?: string;
}

export interface BundlerBuild {
  /** The `.wasm` bytes. */
  bytes: Buffer;
  /** The module's export names (functions, classes, constants, variables, namespaces). */
  names: string[];
  /** Absolute paths of every file the compiler read: the bundler watches them all. */
  inputs: string[];
  /** The artifact in the cache. */
  artifact: string;
}

/** Where a compile error points: the first diagnostic in the user's files. */
export interface BuildErrorLocation {
  file: string;
  line: number;
  column: number;
}

export function compileErrorLocation(err: unknown): BuildErrorLocation | undefined {
  if (!(err instanceof ZigCompileError)) return undefined;
  const d = err.diagnostics.find((x) => x.severity === 'error') ?? err.diagnostics[0];
  return d && { file: d.file, line: d.line, column: d.column };
}

/** Builds `file` as WebAssembly for a bundler; a fresh build also writes `x.d.zig.ts` beside it. */
export async function buildForBundler(file: string, options: ZigImportPluginOptions, production: boolean): Promise<BundlerBuild> {
  const overrides = {
    target: 'wasm' as const,
    optimize: options.optimize ?? (production ? 'ReleaseSmall' : 'Debug'),
    ...(options.zig ? { zig: options.zig } : {}),
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
  };
  const { settings, module } = resolveSettings({ file, overrides, overridesSource: 'option' });
  const log = createLog(settings.verbose, file);
  const build = await ensureBuild(file, settings, module, log, wasmTarget());
  const mod = { exports: {} as Record<string, unknown> };
  loadArtifact(build.target, mod, build.artifact);
  if (!build.cached && settings.types) {
    (require('../types/after-build.js') as typeof import('../types/after-build.js')).writeTypesAfterBuild(file, mod.exports, settings, log);
  }
  return {
    bytes: fs.readFileSync(build.artifact),
    names: Object.keys(mod.exports),
    inputs: build.manifest.inputs.map((i) => i.path),
    artifact: build.artifact,
  };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export interface GlueInput {
  names: string[];
  /** The runtime module's specifier (`zigimport/wasm`, or a path). */
  runtime: string;
  /** An expression for the wasm source: `wasmBytesFromBase64("...")`, or a URL expression. */
  source: string;
  init: 'await' | 'manual';
}

/** The JavaScript module that stands for the `.zig` file in the bundle. */
export function glueModule(g: GlueInput): string {
  const names = g.names.filter((n) => IDENTIFIER.test(n) && n !== 'default' && n !== 'init');
  const head = `import { instantiateZigWasm, wasmBytesFromBase64, wasmSourceFromUrl } from ${JSON.stringify(g.runtime)};\n`;
  const load = `() => instantiateZigWasm(${g.source})`;
  if (g.init === 'await') {
    return `${head}const __zig = await (${load})();\nexport default __zig;\n${names.map((n) => `export const ${n} = __zig.${n};`).join('\n')}\n`;
  }
  return `${head}let __zig;\n${names.map((n) => `export let ${n};`).join('\n')}\nexport default function init() {\n  return (__zig ??= (${load})().then((m) => {\n${names.map((n) => `    ${n} = m.${n};`).join('\n')}\n    return m;\n  }));\n}\nexport { init };\n`;
}

/** The source expression for inlined bytes. */
export function inlineSource(bytes: Buffer): string {
  return `wasmBytesFromBase64(${JSON.stringify(bytes.toString('base64'))})`;
}

/** The source expression for an emitted asset at URL expression `url`. */
export function urlSource(url: string): string {
  return `wasmSourceFromUrl(${url})`;
}
