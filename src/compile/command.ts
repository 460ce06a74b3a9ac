/**
 * The `zig build-lib` command line for one module. No build.zig and no generated files: the
 * binding layer's static root imports the user's file as the module named "user".
 */
import * as path from 'node:path';
import type { OptimizeMode } from '../config/settings.js';
import { BINDING_DIR } from '../paths.js';

export interface CompileCommandInput {
  file: string;
  optimize: OptimizeMode;
  outFile: string;
  /** Zig's local cache, shared by every zigimport build. */
  zigCacheDir: string;
}

export function compileArgs(input: CompileCommandInput): string[] {
  const args = [
    'build-lib',
    '-dynamic',
    '-O', input.optimize,
    '--name', 'zigimport_addon',
    '--color', 'off',
    '--cache-dir', input.zigCacheDir,
    '-femit-bin=' + input.outFile,
  ];
  // Node-API symbols come from the host process at load time.
  if (process.platform === 'darwin') args.push('-fallow-shlib-undefined');
  args.push(
    '--dep', 'user', '--dep', 'zigimport', `-Mroot=${path.join(BINDING_DIR, 'root.zig')}`,
    '--dep', 'zigimport', `-Muser=${input.file}`,
    `-Mzigimport=${path.join(BINDING_DIR, 'zigimport.zig')}`,
  );
  return args;
}
