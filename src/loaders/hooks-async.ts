/**
 * Off-thread hooks for `module.register` (Node 20.6+ and 22 before 22.15, where
 * `registerHooks` is missing). This file runs on Node's loader thread: it builds the module
 * there (without blocking the main thread) and loads it once to learn its export names; the
 * generated source then loads the cached build on the main thread. `npm run build` bundles it
 * with the `.zig` test into one ES module, dist/loaders/hooks-async.mjs (scripts/bundle-register.mjs):
 * that is the file `module.register` gets.
 */
import type * as HookCommonModule from './hook-common.js';
import { isZigSpecifier } from './zig-specifier-shape.js';

/** The resolver and the loader's door, required on the first `.zig` specifier only. */
const common = () => require('./hook-common.js') as typeof HookCommonModule;

type Next<R> = (url: string, context: unknown) => Promise<R>;

export async function resolve(specifier: string, context: { parentURL?: string | undefined }, next: Next<unknown>): Promise<unknown> {
  try {
    return await next(specifier, context);
  } catch (err) {
    // Every specifier of the process passes here: only a failed `.zig` one loads anything.
    if (!isZigSpecifier(specifier)) throw err;
    const url = common().resolveBareZig(specifier, context.parentURL);
    if (url) return { url, shortCircuit: true };
    throw err;
  }
}

export async function load(url: string, context: unknown, next: Next<unknown>): Promise<unknown> {
  if (!isZigSpecifier(url)) return next(url, context);
  const target = common().zigUrlTarget(url);
  if (!target) return next(url, context);
  const { load: loader, esm } = common().pipeline();
  const { exports, handoff } = await loader.loadForImport(target.file, target.overrides);
  return { format: 'module', shortCircuit: true, source: esm.esmSource(target.file, target.overrides, handoff, Object.keys(exports)) };
}
