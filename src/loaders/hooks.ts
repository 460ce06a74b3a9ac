/**
 * Installing the `.zig` import hooks, and undoing that. `zigimport/register` (`src/register.ts`,
 * `src/esm/register.mts`) installs them once per process; `installImportHooks` is also public,
 * for tests and tools that need the hooks only for a while. No side effect on import.
 */
import Module from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { installRequireHook } from './cjs.js';
import * as syncHooks from './hooks-sync.js';
import type * as BunPluginModule from './bun-plugin.js';

interface HookApi {
  registerHooks?: (hooks: { resolve: typeof syncHooks.resolve; load: typeof syncHooks.load }) => { deregister?: () => void } | undefined;
  register?: (specifier: string, parentURL?: string) => void;
}

/** How `.zig` imports are hooked in this process. */
export type HookKind = 'registerHooks' | 'register' | 'bun-plugin';

/** What `installImportHooks()` did, and how to undo it. */
export interface InstalledHooks {
  /**
   * `registerHooks`: in-thread hooks (Node 22.15+, 23.5+, 24+); `register`: off-thread hooks (Node
   * 20, older 22); `bun-plugin`: a `Bun.plugin` (Bun ignores Node's hooks; it serves `import` and `require`).
   */
  kind: HookKind;
  /**
   * Removes the hooks: `import` and `require` of `.zig` files fail again (modules already loaded
   * stay loaded). With `kind === 'register'` only the `require` handler can be removed: Node's
   * `module.register` has no way to remove hooks, so `import` of `.zig` keeps working.
   */
  uninstall(): void;
}

/**
 * Hooks `import` and `require` of `.zig` files: `module.registerHooks` where Node has it,
 * `module.register` only where it does not, never the deprecated `--loader`.
 */
export function installImportHooks(): InstalledHooks {
  if (typeof process.versions.bun === 'string') {
    // Required here only: Node processes never load the Bun plugin's module.
    (require('./bun-plugin.js') as typeof BunPluginModule).installBunPlugin();
    // Bun has no way to remove one plugin (only all of them, `Bun.plugin.clearAll()`).
    return { kind: 'bun-plugin', uninstall: () => {} };
  }
  const api = Module as unknown as HookApi;
  if (typeof api.registerHooks !== 'function' && typeof api.register !== 'function') {
    throw new Error('zigimport needs Node.js 20.6 or later (module.register or module.registerHooks).');
  }
  const uninstallRequire = installRequireHook();
  if (typeof api.registerHooks === 'function') {
    const handle = api.registerHooks({ resolve: syncHooks.resolve, load: syncHooks.load });
    return {
      kind: 'registerHooks',
      uninstall: () => {
        handle?.deregister?.();
        uninstallRequire();
      },
    };
  }
  // hooks-async.mjs: hooks-async.ts bundled into one ES module (scripts/bundle-register.mjs).
  api.register!(pathToFileURL(path.join(__dirname, 'hooks-async.mjs')).href);
  return { kind: 'register', uninstall: uninstallRequire };
}

const REGISTERED = Symbol.for('zigimport.registered');

/** What `zigimport/register` runs: installs the hooks unless this process has them already. */
export function registerZigImport(): HookKind {
  const state = globalThis as { [REGISTERED]?: HookKind };
  if (state[REGISTERED]) return state[REGISTERED];
  const { kind } = installImportHooks();
  state[REGISTERED] = kind;
  return kind;
}
