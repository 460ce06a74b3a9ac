// A bundler test project: the browser fixture (test/fixtures/browser) copied into a temp folder,
// with zigimport and the bundlers linked into its node_modules, plus the builds the tests run and a
// static file server on loopback. Shared by test/bundlers.test.mjs and test/browser.test.mjs.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { FIXTURES, ROOT, runNode, childEnv, tempDir } from '../helpers.mjs';

const LINKED = ['zigimport', 'vite', 'rollup', 'webpack', 'esbuild', '@rspack'];

/** A fresh project folder with the fixture and the packages; returns its path. */
export function bundlerProject() {
  const dir = tempDir('bundler-');
  fs.cpSync(path.join(FIXTURES, 'browser'), dir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'node_modules'));
  for (const name of LINKED) {
    const target = name === 'zigimport' ? ROOT : path.join(ROOT, 'node_modules', name);
    fs.symlinkSync(target, path.join(dir, 'node_modules', name), 'dir');
  }
  return dir;
}

/** Build scripts, one per bundler: each bundles `entry` into `out/<name>/` with the plugin. */
const SCRIPTS = {
  vite: (entry, options) => `import { build } from 'vite';
import zig from 'zigimport/vite';
await build({ logLevel: 'warn', configFile: false, plugins: [zig(${options})], build: { outDir: 'out/vite', emptyOutDir: true${entry === 'index.html' ? '' : `, ssr: '${entry}'`} } });
`,
  rollup: (entry, options) => `import { rollup } from 'rollup';
import zig from 'zigimport/rollup';
const b = await rollup({ input: '${entry}', plugins: [zig(${options})] });
await b.write({ dir: 'out/rollup', format: 'es' });
console.log(JSON.stringify({ watchFiles: b.watchFiles }));
`,
  esbuild: (entry, options) => `import * as esbuild from 'esbuild';
import zig from 'zigimport/esbuild';
await esbuild.build({ entryPoints: ['${entry}'], bundle: true, format: 'esm', platform: 'neutral', outfile: 'out/esbuild/main.mjs', plugins: [zig(${options})], logLevel: 'warning' });
`,
  webpack: (entry, options, target) =>
    webpackLike('webpack', `import webpack from 'webpack';\nimport zig from 'zigimport/webpack';\nconst bundler = webpack;`, entry, options, target),
  rspack: (entry, options, target) =>
    webpackLike('rspack', `import { rspack } from '@rspack/core';\nimport zig from 'zigimport/rspack';\nconst bundler = rspack;`, entry, options, target),
};

function webpackLike(name, head, entry, options, target) {
  const output =
    target === 'web'
      ? `{ path: out, filename: 'main.js' }`
      : `{ path: out, filename: 'main.mjs', module: true, chunkFormat: 'module' }, experiments: { outputModule: true }`;
  return `${head}
import * as fs from 'node:fs';
import * as path from 'node:path';
const out = path.resolve('out/${name}');
const compiler = bundler({ mode: 'production', context: process.cwd(), entry: './${entry}', target: '${target}', output: ${output}, plugins: [zig(${options})] });
compiler.run((err, stats) => {
  if (err || stats.hasErrors()) { console.error(String(err ?? stats.toString('errors-only'))); process.exit(1); }
  ${target === 'web' ? `fs.writeFileSync(path.join(out, 'index.html'), '<!doctype html><meta charset="utf-8"><script src="main.js"></script>');` : ''}
  compiler.close(() => {});
});
`;
}

/**
 * Runs bundler `name` on `entry` in `dir` (`target`: `node` or `web`, for webpack and Rspack).
 * Resolves the child's { code, stdout, stderr }.
 */
export function bundle(dir, name, { entry = 'main.mjs', options = '', target = 'node', env = {} } = {}) {
  fs.rmSync(path.join(dir, 'out', name), { recursive: true, force: true });
  const script = path.join(dir, `build-${name}.mjs`);
  fs.writeFileSync(script, SCRIPTS[name](entry, options, target));
  return runNode([script], { cwd: dir, env: childEnv(env) });
}

const UTF8 = '; charset=utf-8';
const TYPES = { '.html': `text/html${UTF8}`, '.js': `text/javascript${UTF8}`, '.mjs': `text/javascript${UTF8}`, '.wasm': 'application/wasm' };

/** Serves folder `root` on 127.0.0.1; resolves { url, close }. */
export async function serveStatic(root) {
  const server = http.createServer((req, res) => {
    let file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!file.startsWith(root) || !fs.existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** What the fixture's page (page.mjs) publishes, for the fixture as shipped. */
export const EXPECTED_PAGE = {
  add: 0.75,
  addInts: -2147483648,
  shout: 'HéLLO!',
  scaled: [2, 4, 6],
  sum: 4,
  midpoint: { x: 1, y: 2 },
  bump: 42,
  isCounter: true,
  error: { message: 'checkedDiv() failed: error.DivisionByZero', code: 'DivisionByZero' },
  typeError: 'TypeError: add(): argument 1 must be a number, got string',
  helper: 1,
};
