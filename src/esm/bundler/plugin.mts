// The bundler plugin, one for all bundlers through unplugin: `import { add } from './math.zig'`
// in browser code becomes a small glue module that instantiates the module's WebAssembly build
// (inlined as base64, or emitted as an asset). The build is zigimport's own (src/bundler/build.ts:
// the same cache as Node imports, keyed by target), and every file the compiler read is watched.
// ES module, since unplugin is one; the entries beside it pick each bundler's plugin.
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createUnplugin } from 'unplugin';
import bundlerBuild from '../../bundler/build.js';
import type { ZigImportPluginOptions } from '../../bundler/build.js';

export type { ZigImportPluginOptions };

const { buildForBundler, compileErrorLocation, glueModule, inlineSource, urlSource } = bundlerBuild;

const require = createRequire(import.meta.url);
/** dist/ (this file is dist/esm/bundler/plugin.mjs). */
const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The glue's runtime import, resolved here so that no bundler needs to find it. */
const RUNTIME_ID = 'zigimport/wasm';
const RUNTIME = path.join(DIST, 'wasm-esm', 'runtime.js');
/** emnapi's plain ES module builds: no `process.env` for bundlers to define, no CommonJS. */
const ESM_BUILDS: Record<string, string> = {
  '@emnapi/core': 'dist/emnapi-core.mjs',
  '@emnapi/runtime': 'dist/emnapi.mjs',
  '@emnapi/wasi-threads': 'dist/wasi-threads.mjs',
};

function esmBuild(id: string, importer: string | undefined): string | undefined {
  const file = ESM_BUILDS[id];
  if (!file) return undefined;
  let main: string;
  try {
    main = createRequire(importer ?? RUNTIME).resolve(id);
  } catch {
    main = require.resolve(id);
  }
  // The package folder: its main file is inside it (emnapi's packages export no package.json).
  const marker = `${path.sep}node_modules${path.sep}${id.split('/').join(path.sep)}${path.sep}`;
  const at = main.lastIndexOf(marker);
  return at < 0 ? undefined : path.join(main.slice(0, at + marker.length), file);
}

const ZIG = /\.zig(?:\?.*)?$/;

/** A compile error as bundlers show it: message plus `id`/`loc` (Vite's overlay prints file:line). */
function bundlerError(err: unknown): Error {
  const loc = compileErrorLocation(err);
  if (!loc) return err as Error;
  return Object.assign(new Error((err as Error).message), {
    id: loc.file,
    loc: { file: loc.file, line: loc.line, column: loc.column },
    plugin: 'zigimport',
    code: (err as { code?: string }).code,
  });
}

export const zigImport = createUnplugin<ZigImportPluginOptions | undefined>((options = {}, meta) => {
  let dev = false;
  let production = meta.framework !== 'esbuild';
  /** Input file → the .zig modules built from it (for Vite's hot update). */
  const dependents = new Map<string, Set<string>>();
  return {
    name: 'zigimport',
    enforce: 'pre',
    resolveId(id, importer) {
      // esbuild resolves packages itself (and unplugin would put a path resolved here in the
      // plugin's namespace, which esbuild then cannot read).
      if (meta.framework === 'esbuild') return undefined;
      if (id === RUNTIME_ID) return RUNTIME;
      return esmBuild(id, importer);
    },
    loadInclude: (id) => ZIG.test(id),
    async load(id) {
      const file = id.replace(/\?.*$/, '');
      let build: Awaited<ReturnType<typeof buildForBundler>>;
      try {
        build = await buildForBundler(file, options, production && !dev);
      } catch (err) {
        throw bundlerError(err);
      }
      for (const input of build.inputs) {
        this.addWatchFile(input);
        const set = dependents.get(input) ?? new Set<string>();
        set.add(id);
        dependents.set(input, set);
      }
      const inline = options.inline ?? (dev || meta.framework === 'esbuild');
      let source: string;
      if (inline) {
        source = inlineSource(build.bytes);
      } else if (meta.framework === 'rollup' || meta.framework === 'vite') {
        const ref = this.emitFile({ type: 'asset', name: `${path.basename(file, '.zig')}.wasm`, source: build.bytes });
        source = urlSource(`import.meta.ROLLUP_FILE_URL_${ref}`);
      } else {
        // webpack and Rspack emit what `new URL(path, import.meta.url)` names as an asset.
        source = urlSource(`new URL(${JSON.stringify(build.artifact)}, import.meta.url)`);
      }
      return { code: glueModule({ names: build.names, runtime: RUNTIME_ID, source, init: options.init ?? 'await' }), map: null };
    },
    vite: {
      config(config) {
        // The runtime lives in this package, which a linked or hoisted install puts outside the
        // project: let the dev server read it (the project root stays allowed).
        const root = path.resolve(config.root ?? process.cwd());
        return { server: { fs: { allow: [root, path.dirname(DIST)] } }, optimizeDeps: { exclude: ['zigimport'] } };
      },
      configResolved(config) {
        dev = config.command === 'serve';
        production = config.isProduction;
      },
      handleHotUpdate(ctx) {
        const ids = dependents.get(ctx.file);
        if (!ids) return undefined;
        const modules = [...ids].flatMap((id) => [...(ctx.server.moduleGraph.getModulesByFile(id.replace(/\?.*$/, '')) ?? [])]);
        for (const m of modules) ctx.server.moduleGraph.invalidateModule(m);
        ctx.server.ws.send({ type: 'full-reload' });
        return [];
      },
    },
    webpack(compiler) {
      production = compiler.options.mode !== 'development';
      dev = Boolean(compiler.options.watch);
    },
    rspack(compiler) {
      production = compiler.options.mode !== 'development';
      dev = Boolean(compiler.options.watch);
    },
  };
});
