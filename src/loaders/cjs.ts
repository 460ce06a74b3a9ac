/**
 * `require('./x.zig')`: a handler for the `.zig` extension (works on every Node version and is
 * what Node calls for require even when module hooks are registered), plus a fallback that finds
 * bare `require('name.zig')` in ZIGIMPORT_INCLUDE_PATHS.
 */
import Module from 'node:module';
import * as path from 'node:path';
import { isBareSpecifier, isZigSpecifier } from './zig-specifier-shape.js';
import type * as SpecifierModule from './specifier.js';
import type * as HookCommonModule from './hook-common.js';

/** The loader's door, required on the first `.zig` file: registering loads nothing of it. */
const pipeline = () => (require('./hook-common.js') as typeof HookCommonModule).pipeline();

interface InternalModule {
  exports: unknown;
  filename: string;
}

type ExtensionHandler = (module: InternalModule, filename: string) => void;
type ResolveFilename = (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string;

interface ModuleInternals {
  _extensions: Record<string, ExtensionHandler | undefined>;
  _resolveFilename: ResolveFilename;
}

/**
 * Makes `require()` of `.zig` files work in this process and returns a function that undoes
 * it: afterwards `require('./x.zig')` fails again as it did before (modules already loaded stay
 * loaded). Calling the undo function twice does nothing the second time.
 */
export function installRequireHook(): () => void {
  const internals = Module as unknown as ModuleInternals;
  const previousHandler = internals._extensions['.zig'];
  let installed = true;
  const handler: ExtensionHandler = (module, filename) => {
    // Still reached after undo when someone wrapped this handler since: behave as if never installed.
    if (!installed) return (previousHandler ?? internals._extensions['.js']!)(module, filename);
    module.exports = pipeline().load.loadSync(filename);
  };
  internals._extensions['.zig'] = handler;
  const original = internals._resolveFilename;
  const resolveZigFilename: ResolveFilename = function (this: unknown, request, parent, ...rest) {
    try {
      return original.call(this, request, parent, ...rest);
    } catch (err) {
      if (!installed || !isZigSpecifier(request) || !isBareSpecifier(request)) throw err;
      const from = parent?.filename ? path.dirname(parent.filename) : process.cwd();
      const found = (require('./specifier.js') as typeof SpecifierModule).findInIncludePaths(request, pipeline().load.includePathsFor(from));
      if (!found) throw err;
      return found;
    }
  };
  internals._resolveFilename = resolveZigFilename;
  return () => {
    if (!installed) return;
    installed = false;
    // Put back what was there, unless someone wrapped ours since: then only ours goes quiet.
    if (internals._extensions['.zig'] === handler) {
      if (previousHandler) internals._extensions['.zig'] = previousHandler;
      else delete internals._extensions['.zig'];
    }
    if (internals._resolveFilename === resolveZigFilename) internals._resolveFilename = original;
  };
}
