/**
 * In-thread, synchronous hooks for `module.registerHooks` (Node 22.15+, 23.5+, 24+). The
 * module is built and loaded right here, so the generated source knows its export names.
 */
import { pipeline, resolveBareZig, zigUrlTarget } from './hook-common.js';

type Next<A extends unknown[], R> = (...args: A) => R;

export function resolve(specifier: string, context: { parentURL?: string | undefined }, next: Next<[string, unknown], unknown>): unknown {
  try {
    return next(specifier, context);
  } catch (err) {
    const url = resolveBareZig(specifier, context.parentURL);
    if (url) return { url, shortCircuit: true };
    throw err;
  }
}

export function load(url: string, context: unknown, next: Next<[string, unknown], unknown>): unknown {
  const target = zigUrlTarget(url);
  if (!target) return next(url, context);
  const { load: loader, esm } = pipeline();
  const { exports, handoff } = loader.loadForImportSync(target.file, target.overrides);
  return { format: 'module', shortCircuit: true, source: esm.esmSource(target.file, target.overrides, handoff, Object.keys(exports)) };
}
