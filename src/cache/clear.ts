/** `zigimport clear-cache`: removes builds, manifests, locks and Zig's local cache; keeps toolchains. */
import * as fs from 'node:fs';
import * as path from 'node:path';

const CACHE_PARTS = ['builds', 'entries', 'latest', 'locks', 'tmp', 'zig-cache', 'toolchains.json'];

export function clearCache(cacheDir: string): { removedBytes: number } {
  let removedBytes = 0;
  const measure = (p: string) => {
    const st = fs.lstatSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) measure(path.join(p, e));
    else removedBytes += st.size;
  };
  for (const part of CACHE_PARTS) {
    const p = path.join(cacheDir, part);
    measure(p);
    fs.rmSync(p, { recursive: true, force: true });
  }
  return { removedBytes };
}
