/**
 * `require('./x.zig')`: a handler for the `.zig` extension (works on every Node version and is
 * what Node calls for require even when module hooks are registered), plus a fallback that finds
 * bare `require('name.zig')` in ZIGIMPORT_INCLUDE_PATHS.
 */
import Module from 'node:module';
import * as path from 'node:path';
import { findInIncludePaths, isBareSpecifier, isZigSpecifier } from './specifier.js';
import { pipeline } from './hook-common.js';

interface InternalModule {
  exports: unknown;
  filename: string;
}

interface ModuleInternals {
  _extensions: Record<string, (module: InternalModule, filename: string) => void>;
  _resolveFilename: (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string;
}

export function installRequireHook(): void {
  const internals = Module as unknown as ModuleInternals;
  internals._extensions['.zig'] = (module, filename) => {
    module.exports = pipeline().load.loadSync(filename);
  };
  const original = internals._resolveFilename;
  internals._resolveFilename = function resolveZigFilename(request, parent, ...rest) {
    try {
      return original.call(this, request, parent, ...rest);
    } catch (err) {
      if (!isZigSpecifier(request) || !isBareSpecifier(request)) throw err;
      const from = parent?.filename ? path.dirname(parent.filename) : process.cwd();
      const found = findInIncludePaths(request, pipeline().settings.resolveSettings({ file: path.join(from, 'x') }).settings.includePaths);
      if (!found) throw err;
      return found;
    }
  };
}
