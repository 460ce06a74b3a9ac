// Builds bench/native/calls.c into a Node-API addon with headers from node-api-headers.
// Compiler: `cc` if present, else `zig cc`; -O3, as node-gyp's Release builds use.
import * as path from 'node:path';
import { BENCH, hasCommand, requireRoot, run } from './env.mjs';

export function buildNativeAddon(outDir, zigPath) {
  const include = requireRoot('node-api-headers').include_dir;
  const src = path.join(BENCH, 'native', 'calls.c');
  const out = path.join(outDir, 'calls-c.node');
  const flags = ['-O3', '-shared', '-fPIC', '-I', include, '-o', out, src];
  const useCc = hasCommand('cc');
  // Node-API symbols stay undefined: the host process provides them at load time.
  if (process.platform === 'darwin') flags.unshift('-undefined', 'dynamic_lookup');
  if (useCc) run('cc', flags);
  else run(zigPath, ['cc', ...flags]);
  return { path: out, compiler: useCc ? 'cc -O3' : 'zig cc -O3' };
}
