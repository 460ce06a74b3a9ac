/**
 * Bun: `.zig` imports through a Bun plugin. Bun ignores Node's module hooks for ESM (a `.zig`
 * import would become a file asset whose default export is its path), but it runs plugins, at
 * run time (`Bun.plugin`, from a preload) and at bundle time (`Bun.build({ plugins })`). One
 * plugin serves both: Bun passes a bundle-time `setup` a `config`, a run-time one none.
 *
 * - run time: the module is loaded with the same pipeline as Node's hooks (same cache, same
 *   registry, same declarations) and handed to Bun as an exports object;
 * - bundle time: the module is built (never kept loaded for the bundle's sake: the one load
 *   gives the export names) and becomes a small module that imports the build's `.node` file,
 *   which Bun's bundler copies next to the output and loads with `process.dlopen` at run time.
 */
import { pathToFileURL } from 'node:url';
import type { SettingsOverrides } from '../config/settings.js';
import { pipeline, zigUrlTarget } from './hook-common.js';
import { ZigImportError } from '../errors.js';

/** What `onLoad` receives: the resolved path (Bun keeps an import's query in it, when there is one). */
interface OnLoadArgs {
  path: string;
}

/** The part of Bun's `PluginBuilder` this plugin uses (typed here: no dependency on `bun-types`). */
export interface BunPluginBuilder {
  /** Present at bundle time (`Bun.build`), absent at run time (`Bun.plugin`). */
  config?: { target?: string } | undefined;
  onLoad(constraints: { filter: RegExp }, callback: (args: OnLoadArgs) => unknown): unknown;
}

/** A Bun plugin (`Bun.plugin(p)` or `Bun.build({ plugins: [p] })`), typed structurally. */
export interface ZigBunPlugin {
  name: string;
  setup(build: BunPluginBuilder): void;
}

// A `.zig` path, with the per-import settings query Bun leaves on it (`./m.zig?optimize=ReleaseFast`).
const ZIG_PATH = /\.zig(\?.*)?$/;

/** The file and its per-import settings, `options` first and the import's query over them. */
function target(bunPath: string, options: SettingsOverrides): { file: string; overrides: SettingsOverrides } {
  const query = bunPath.indexOf('?');
  const file = query < 0 ? bunPath : bunPath.slice(0, query);
  const fromQuery = zigUrlTarget(pathToFileURL(file).href + (query < 0 ? '' : bunPath.slice(query)));
  return { file, overrides: { ...options, ...fromQuery?.overrides } };
}

/** Bun's `object` loader: named exports from the object's keys, and the whole object as default. */
function runtimeModule(bunPath: string, options: SettingsOverrides): { exports: Record<string, unknown>; loader: 'object' } {
  const { file, overrides } = target(bunPath, options);
  const exports = pipeline().load.loadSync(file, overrides);
  return { exports: { ...exports, default: exports }, loader: 'object' };
}

/** The module a bundle gets instead of the `.zig` file: it imports the build's `.node` artifact. */
export function bundledModuleSource(artifact: string, names: string[]): string {
  const lines = [`import mod from ${JSON.stringify(artifact)};`, 'export default mod;'];
  names
    .filter((name) => name !== 'default')
    .forEach((name, i) => {
      lines.push(`const e${i} = mod[${JSON.stringify(name)}];`, `export { e${i} as ${JSON.stringify(name)} };`);
    });
  return `${lines.join('\n')}\n`;
}

function bundledModule(bunPath: string, options: SettingsOverrides, bundleTarget: string | undefined): { contents: string; loader: 'js' } {
  if (bundleTarget === 'browser') {
    throw new ZigImportError('ZIGIMPORT_TARGET_UNSUPPORTED', `${bunPath}: a Node-API build cannot run in a browser bundle; build with target 'bun' or 'node'.`);
  }
  const { file, overrides } = target(bunPath, options);
  const { exports, handoff } = pipeline().load.loadForImportSync(file, overrides);
  return { contents: bundledModuleSource(handoff.artifact, Object.keys(exports)), loader: 'js' };
}

/**
 * The Bun plugin for `.zig` files: `Bun.plugin(zigimportBunPlugin())` in a preload (what
 * `zigimport/register` does under Bun), or `Bun.build({ plugins: [zigimportBunPlugin()] })`
 * (targets `bun` and `node`). `options` are settings for every `.zig` module it loads.
 */
export function zigimportBunPlugin(options: SettingsOverrides = {}): ZigBunPlugin {
  if (options === null || typeof options !== 'object') throw new TypeError('zigimportBunPlugin(options): options must be an object');
  return {
    name: 'zigimport',
    setup(build) {
      const bundling = build.config !== undefined;
      build.onLoad({ filter: ZIG_PATH }, (args) => (bundling ? bundledModule(args.path, options, build.config?.target) : runtimeModule(args.path, options)));
    },
  };
}

interface BunGlobal {
  plugin(plugin: ZigBunPlugin): unknown;
}

/** Installs the run-time plugin (`zigimport/register` under Bun). Bun cannot remove one plugin. */
export function installBunPlugin(): void {
  (globalThis as unknown as { Bun: BunGlobal }).Bun.plugin(zigimportBunPlugin());
}
