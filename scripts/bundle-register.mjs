// Bundles `import 'zigimport/register'` / `node --import zigimport/register` into one ES module,
// dist/esm/register.mjs (issue 13): every process started with the flag pays for what it loads,
// whether or not it imports Zig. tsc's entry imported the CommonJS hooks, which brought Node's
// CommonJS translator, a package.json lookup and four more files (hooks, require hook, sync hooks,
// the `.zig` test); the bundle is the one file Node reads, built from the TypeScript sources.
//
// Only what registering runs is bundled (the static imports). What the hooks `require()` lazily,
// on the first `.zig` specifier (the resolver, the loader's door, the Bun plugin), stays in
// dist/loaders/ and is required from there: the same instances the rest of zigimport uses.
// The banner gives the bundle the two CommonJS names the sources use, anchored at dist/loaders/.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const SRC_LOADERS = path.join(ROOT, 'src', 'loaders');

/** The banner: the two CommonJS names the sources use, for an output file `loaders` away from dist/loaders/. */
const banner = (loaders) =>
  [
    '// Bundled by scripts/bundle-register.mjs; lazily required modules come from dist/loaders/.',
    "import { createRequire as __zigimportCreateRequire } from 'node:module';",
    "import { fileURLToPath as __zigimportFileURLToPath } from 'node:url';",
    `const __zigimportLoaders = new URL(${JSON.stringify(loaders)}, import.meta.url);`,
    'const __dirname = __zigimportFileURLToPath(__zigimportLoaders);',
    // Made on the first `.zig` specifier only: registering requires nothing.
    'let __zigimportRequire;',
    'const require = (id) => (__zigimportRequire ??= __zigimportCreateRequire(__zigimportLoaders))(id);',
  ].join('\n');

/** Bundles `entry` (under src/) into the ES module `outfile` (under dist/); lazy requires stay external. */
async function bundle(entry, outfile) {
  const out = path.join(ROOT, 'dist', outfile);
  const loaders = path
    .relative(path.dirname(out), path.join(ROOT, 'dist', 'loaders'))
    .split(path.sep)
    .join('/');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src', entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    sourcemap: 'linked',
    logLevel: 'warning',
    banner: { js: banner(loaders ? `${loaders}/` : './') },
    plugins: [
      {
        name: 'lazy-requires-stay-in-dist-loaders',
        setup(build) {
          build.onResolve({ filter: /^\.\.?\// }, (args) => {
            if (args.kind !== 'require-call') return undefined;
            const target = path.resolve(args.resolveDir, args.path);
            if (path.dirname(target) !== SRC_LOADERS) throw new Error(`${args.importer}: lazy require outside src/loaders/: ${args.path}`);
            return { path: `./${path.basename(target)}`, external: true };
          });
        },
      },
    ],
  });
}

// The entry of `--import zigimport/register` (main thread).
await bundle(path.join('esm', 'register.mts'), path.join('esm', 'register.mjs'));
// Node 20's `module.register` hooks, loaded on Node's loader thread: one ES module there too, so
// that thread does not start Node's CommonJS loader to read two small files.
await bundle(path.join('loaders', 'hooks-async.ts'), path.join('loaders', 'hooks-async.mjs'));
