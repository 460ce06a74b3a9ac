/**
 * In-thread, synchronous hooks for `module.registerHooks` (Node 22.15+, 23.5+, 24+). The
 * module is built and loaded right here, so the generated source knows its export names.
 */
import type * as HookCommonModule from './hook-common.js';
import { isZigSpecifier } from './zig-specifier-shape.js';

/** The resolver and the loader's door, required on the first `.zig` specifier only. */
const common = () => require('./hook-common.js') as typeof HookCommonModule;

type Next<A extends unknown[], R> = (...args: A) => R;

export function resolve(specifier: string, context: { parentURL?: string | undefined }, next: Next<[string, unknown], unknown>): unknown {
  try {
    return next(specifier, context);
  } catch (err) {
    // Every specifier of the process passes here: only a failed `.zig` one loads anything.
    if (!isZigSpecifier(specifier)) throw err;
    const url = common().resolveBareZig(specifier, context.parentURL);
    if (url) return { url, shortCircuit: true };
    throw err;
  }
}

export function load(url: string, context: unknown, next: Next<[string, unknown], unknown>): unknown {
  if (!isZigSpecifier(url)) return next(url, context);
  const target = common().zigUrlTarget(url);
  if (!target) return next(url, context);
  const { load: loader, esm } = common().pipeline();
  const { exports, handoff } = loader.loadForImportSync(target.file, target.overrides);
  return { format: 'module', shortCircuit: true, source: esm.esmSource(target.file, target.overrides, handoff, Object.keys(exports)) };
}
