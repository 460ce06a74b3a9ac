// Builds dist/wasm-esm/: the WebAssembly runtime (src/wasm/runtime.ts and what it imports) as ES
// modules, for bundlers (package export `zigimport/wasm`, `import` condition). The rest of dist/
// is CommonJS; this folder's package.json says its .js files are modules.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const r = spawnSync(process.execPath, [TSC, '-p', path.join(ROOT, 'tsconfig.wasm-esm.json')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
fs.writeFileSync(path.join(ROOT, 'dist', 'wasm-esm', 'package.json'), '{ "type": "module" }\n');
