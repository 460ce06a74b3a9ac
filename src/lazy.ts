/**
 * Modules needed only off the cached-import path, loaded on first use. Each costs a few
 * milliseconds at startup, which every process that imports a cached `.zig` file would pay.
 */
import type * as ChildProcess from 'node:child_process';
import type Picocolors from 'picocolors';

/** `node:child_process`: only a compile or a toolchain lookup starts a process. */
export function childProcess(): typeof ChildProcess {
  return require('node:child_process') as typeof ChildProcess;
}

/** `picocolors`: only verbose output is coloured on the import path. */
export function colors(): typeof Picocolors {
  return require('picocolors') as typeof Picocolors;
}
