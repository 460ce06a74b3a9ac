// Bundles what `require('zigimport')` loads (the public API's static closure: the loader, the
// lookup, settings, the cache store) into one file, dist/hot-path.js, after tsc built dist/.
// Node 20 spends ~23 ms reading, wrapping and compiling those ~28 small CommonJS files and ~11 ms
// on the one bundle (issue 13): a cached import's whole process pays it.
//
// One instance of each module: every bundled file in dist/ is replaced by a stub that returns the
// bundle's instance of it, so the miss path (compile, lock, CLI...), which stays in separate files
// loaded on demand, and any user requiring a deep path share the same classes (`instanceof
// ZigImportError`), registries and memos. Each stub also lists its export names in the form Node's
// cjs-module-lexer reads, so ESM named imports (dist/esm/*.mjs) keep working.
// What `zigimport/register` loads stays out of the bundle: registering must not load the loader.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const DIST = path.join(ROOT, 'dist');
// hot-path.js runs hot-path-bundle.js with a V8 code cache (src/code-cache/run-bundle.ts).
const BUNDLE = 'hot-path.js';
const BUNDLE_BODY = 'hot-path-bundle.js';
// Used by the loader (hot-path.js, which runs before the bundle) and by the bundle: bundled into
// the loader, which puts it on its exports (under the name given here) for the bundle to take.
const NOT_BUNDLED = new Map([['cache/folder-trust.js', 'folderTrust']]);
const STUB_MARK = '// zigimport hot-path stub';

/** dist/-relative paths (with `/`) of the files `require(entry)` loads, and each one's export names. */
function closure(entry) {
  const code = `
    const before = new Set(Object.keys(require.cache));
    require(${JSON.stringify(path.join(DIST, entry))});
    const own = Object.keys(require.cache).filter((f) => !before.has(f) && f.startsWith(${JSON.stringify(DIST + path.sep)}));
    console.log(JSON.stringify(own.map((f) => [f.slice(${DIST.length + 1}).split(require('path').sep).join('/'), Object.keys(require.cache[f].exports)])));`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`listing what ${entry} loads failed:\n${r.stderr}`);
  return new Map(JSON.parse(r.stdout));
}

const api = closure('index.js');
const register = closure('register.js');
// Stateless (pure functions, no classes or registries): copied into the bundle, so the hot path
// does not load it as a separate CommonJS file (~0.3 ms), and kept as a file for the register hooks.
const COPIED = new Set(['loaders/zig-specifier-shape.js']);
const hot = new Map([...api].filter(([file]) => (!register.has(file) || COPIED.has(file)) && !NOT_BUNDLED.has(file)));
for (const file of hot.keys()) {
  if (fs.readFileSync(path.join(DIST, file), 'utf8').includes(STUB_MARK)) {
    throw new Error(`dist/${file} is already a stub: run tsc (npm run build) before bundling again`);
  }
}

/** What both bundles are: CommonJS for Node 20+, npm packages and built-ins left to `require`. */
const ESBUILD_COMMON = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning' };

// Names of the entry's modules map: one `require` each, evaluated in index.js's order.
const entry = `exports.modules = {\n${[...hot.keys()].map((f) => `  ${JSON.stringify(f)}: require(${JSON.stringify(`./${f}`)}),`).join('\n')}\n};\n`;
await esbuild.build({
  stdin: { contents: entry, resolveDir: DIST, sourcefile: 'hot-path-entry.js', loader: 'js' },
  ...ESBUILD_COMMON,
  outfile: path.join(DIST, BUNDLE_BODY),
  sourcemap: 'linked',
  plugins: [
    {
      name: 'only-the-hot-path',
      setup(build) {
        // Anything else (the lazily required miss path, the register hooks) stays its own file,
        // required from the bundle's folder (dist/) by its dist/-relative path.
        build.onResolve({ filter: /^\.\.?\// }, (args) => {
          const rel = path.relative(DIST, path.resolve(args.resolveDir, args.path)).split(path.sep).join('/');
          if (NOT_BUNDLED.has(rel)) return { path: rel, namespace: 'from-the-loader' };
          return hot.has(rel) ? undefined : { path: `./${rel}`, external: true };
        });
        // What the loader (hot-path.js) shares: its instance, set on its exports before the bundle runs.
        build.onLoad({ filter: /.*/, namespace: 'from-the-loader' }, (args) => ({
          contents: `module.exports = require("./${BUNDLE}")[${JSON.stringify(NOT_BUNDLED.get(args.path))}];`,
          resolveDir: DIST,
          loader: 'js',
        }));
      },
    },
  ],
});

// tsc's `import * as fs from 'node:fs'` becomes `__importStar(require("node:fs"))`, which copies
// every export of the built-in into a new object of getters: ~3000 property definitions for the
// 29 such imports, ~1.4 ms of a fresh process (Node 20, measured). A built-in is a plain object
// that already has every name the code reads (`fs.readFileSync`), so the bundle uses it directly.
// (Only columns of those lines move: the source map's lines stay right.)
const bundlePath = path.join(DIST, BUNDLE_BODY);
fs.writeFileSync(bundlePath, fs.readFileSync(bundlePath, 'utf8').replace(/__importStar\((require\("node:[a-z_/]+"\))\)/g, '$1'));

// The bundle's identity, part of its code cache's key (with the file's size and mtime, read at
// run time, so an edited copy in node_modules never matches a cache made for the original).
const bundleHash = createHash('sha256')
  .update(fs.readFileSync(path.join(DIST, BUNDLE_BODY)))
  .digest('hex');
// The loader, dist/hot-path.js, is one bundle too (src/code-cache/ and what it shares with the hot
// path): each separate CommonJS file costs a fresh process ~0.3 ms (Node 24: resolve, read, compile).
const loaderEntry =
  `"use strict";\n` +
  [...NOT_BUNDLED].map(([file, name]) => `exports.${name} = require(${JSON.stringify(`./${file}`)});\n`).join('') +
  `exports.modules = require("./code-cache/run-bundle.js").runBundle(require("node:path").join(__dirname, ${JSON.stringify(BUNDLE_BODY)}), ${JSON.stringify(bundleHash)},\n` +
  // Written at exit only after an import ran the hot path's functions.
  `  (bundle) => bundle.modules["target.js"].loadedArtifactCount() > 0 ? ["import", ...bundle.modules["pipeline/lookup.js"].hitKinds()] : []).modules;\n`;
await esbuild.build({
  stdin: { contents: loaderEntry, resolveDir: DIST, sourcefile: 'hot-path-loader.js', loader: 'js' },
  ...ESBUILD_COMMON,
  outfile: path.join(DIST, BUNDLE),
  banner: { js: `// The bundled hot path (${BUNDLE_BODY}) run with a V8 code cache: src/code-cache/run-bundle.ts.` },
});
fs.rmSync(path.join(DIST, 'code-cache'), { recursive: true, force: true });
for (const [file, name] of NOT_BUNDLED) {
  fs.writeFileSync(
    path.join(DIST, file),
    `"use strict";\n${STUB_MARK}: this module is bundled in ${BUNDLE} (scripts/bundle-hot-path.mjs); this path returns that one instance.\n` +
      `module.exports = require(${JSON.stringify(path.posix.relative(path.posix.dirname(file), BUNDLE))}).${name};\n`,
  );
  fs.rmSync(path.join(DIST, `${file}.map`), { force: true });
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
for (const [file, names] of hot) {
  if (COPIED.has(file)) continue;
  const fromStub = path.posix.relative(path.posix.dirname(file), BUNDLE);
  const bad = names.filter((n) => !IDENTIFIER.test(n));
  if (bad.length) throw new Error(`dist/${file} exports names a stub cannot list: ${bad.join(', ')}`);
  fs.writeFileSync(
    path.join(DIST, file),
    `"use strict";\n${STUB_MARK}: this module is bundled in ${BUNDLE} (scripts/bundle-hot-path.mjs); this path returns that one instance.\n` +
      `module.exports = require(${JSON.stringify(fromStub.startsWith('.') ? fromStub : `./${fromStub}`)}).modules[${JSON.stringify(file)}];\n` +
      // Never runs: the export names, for cjs-module-lexer (ESM named imports of this file).
      `0 && (module.exports = { ${names.join(', ')} });\n`,
  );
  fs.rmSync(path.join(DIST, `${file}.map`), { force: true });
}
process.stderr.write(`bundle-hot-path: ${hot.size} modules in dist/${BUNDLE_BODY}\n`);
