/**
 * `zigimport/register`: after this runs, `import` and `require` of `.zig` files work.
 * Uses `module.registerHooks` where Node has it, `module.register` only where it does not,
 * never the deprecated `--loader`. Safe to run more than once.
 */
import Module from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { installRequireHook } from './cjs.js';
import * as syncHooks from './hooks-sync.js';

const REGISTERED = Symbol.for('zigimport.registered');

interface HookApi {
  registerHooks?: (hooks: { resolve: typeof syncHooks.resolve; load: typeof syncHooks.load }) => unknown;
  register?: (specifier: string, parentURL?: string) => void;
}

/** How `.zig` imports are hooked in this process. */
export type HookKind = 'registerHooks' | 'register';

export function registerZigImport(): HookKind {
  const state = globalThis as { [REGISTERED]?: HookKind };
  if (state[REGISTERED]) return state[REGISTERED];
  installRequireHook();
  const api = Module as unknown as HookApi;
  let kind: HookKind;
  if (typeof api.registerHooks === 'function') {
    api.registerHooks({ resolve: syncHooks.resolve, load: syncHooks.load });
    kind = 'registerHooks';
  } else if (typeof api.register === 'function') {
    api.register(pathToFileURL(path.join(__dirname, 'hooks-async.js')).href);
    kind = 'register';
  } else {
    throw new Error('zigimport needs Node.js 20.6 or later (module.register or module.registerHooks).');
  }
  state[REGISTERED] = kind;
  return kind;
}

registerZigImport();
