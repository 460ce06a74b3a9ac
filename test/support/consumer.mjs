// A TypeScript consumer of the published package: zigimport as npm would install it (the files
// of package.json's "files" field, no node_modules of its own, no @types/node anywhere).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, tempDir } from '../helpers.mjs';

/** The README's tsconfig.json, made strict about libraries: nothing skipped, no @types listed. */
export const CONSUMER_TSCONFIG = {
  compilerOptions: {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    allowArbitraryExtensions: true,
    strict: true,
    skipLibCheck: false,
    noEmit: true,
  },
};

/** A project folder with the package installed (copied, as `npm install` would) and `files` written. */
export function consumerProject(files, tsconfig = CONSUMER_TSCONFIG) {
  const dir = tempDir('consumer-');
  const pkg = path.join(dir, 'node_modules', 'zigimport');
  fs.mkdirSync(pkg, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
  for (const entry of manifest.files) fs.cpSync(path.join(ROOT, entry), path.join(pkg, entry), { recursive: true });
  // Its dependencies and theirs (emnapi's, for WebAssembly), as npm would install them beside it
  // (runtimes other than Node run it from here).
  const pending = Object.keys(manifest.dependencies ?? {});
  const copied = new Set();
  while (pending.length > 0) {
    const dep = pending.pop();
    if (copied.has(dep)) continue;
    copied.add(dep);
    fs.cpSync(path.join(ROOT, 'node_modules', dep), path.join(dir, 'node_modules', dep), { recursive: true });
    pending.push(...Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', dep, 'package.json'), 'utf8')).dependencies ?? {}));
  }
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}
