/**
 * zigimport's fallback for projects that do not generate declarations: every
 * `import ... from './x.zig'` type-checks, and everything imported is `any` (nothing about a Zig
 * module's exports is known without building it, and TypeScript cannot declare "any named
 * export" otherwise). Generated `x.d.zig.ts` files (written on each build while developing, by
 * `zigimport types` and by `zigimport build`) take precedence over this fallback and give exact
 * types.
 *
 * Reference it once, from tsconfig.json (`"files": ["node_modules/zigimport/zig-modules.d.ts"]`
 * or an `include` entry) or from a declaration file of your project:
 *   /// <reference path="../node_modules/zigimport/zig-modules.d.ts" />
 */
declare module '*.zig';
