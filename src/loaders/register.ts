/**
 * `zigimport/register`: after this runs, `import` and `require` of `.zig` files work.
 * Safe to run more than once: the hooks are installed once per process.
 */
import { installImportHooks, type HookKind } from './install-hooks.js';

const REGISTERED = Symbol.for('zigimport.registered');

export type { HookKind };

export function registerZigImport(): HookKind {
  const state = globalThis as { [REGISTERED]?: HookKind };
  if (state[REGISTERED]) return state[REGISTERED];
  const { kind } = installImportHooks();
  state[REGISTERED] = kind;
  return kind;
}

registerZigImport();
