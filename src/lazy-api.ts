/**
 * The public functions that a cached import never calls, each loading its module on first call:
 * `require('zigimport')` would otherwise load the hooks, the build and watch pipelines, the
 * toolchain installer and the cache cleaner (and what they import) in every process that only
 * loads a cached `.zig` file. `api.ts` re-exports these under their documented names; each has
 * its implementation's exact signature.
 */
import type * as hooks from './loaders/hooks.js';
import type * as cjs from './loaders/cjs.js';
import type * as many from './pipeline/many.js';
import type * as watch from './pipeline/watch.js';
import type * as find from './toolchain/find.js';
import type * as install from './toolchain/install.js';
import type * as clear from './cache/clear.js';

export function installImportHooks(...args: Parameters<typeof hooks.installImportHooks>): ReturnType<typeof hooks.installImportHooks> {
  return (require('./loaders/hooks.js') as typeof hooks).installImportHooks(...args);
}

export function installRequireHook(...args: Parameters<typeof cjs.installRequireHook>): ReturnType<typeof cjs.installRequireHook> {
  return (require('./loaders/cjs.js') as typeof cjs).installRequireHook(...args);
}

export function buildModules(...args: Parameters<typeof many.buildModules>): ReturnType<typeof many.buildModules> {
  return (require('./pipeline/many.js') as typeof many).buildModules(...args);
}

export function watchModules(...args: Parameters<typeof watch.watchModules>): ReturnType<typeof watch.watchModules> {
  return (require('./pipeline/watch.js') as typeof watch).watchModules(...args);
}

export function findZig(...args: Parameters<typeof find.findZig>): ReturnType<typeof find.findZig> {
  return (require('./toolchain/find.js') as typeof find).findZig(...args);
}

export function installToolchain(...args: Parameters<typeof install.installToolchain>): ReturnType<typeof install.installToolchain> {
  return (require('./toolchain/install.js') as typeof install).installToolchain(...args);
}

export function clearCache(...args: Parameters<typeof clear.clearCache>): ReturnType<typeof clear.clearCache> {
  return (require('./cache/clear.js') as typeof clear).clearCache(...args);
}
