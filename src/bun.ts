/**
 * `zigimport/bun`: the Bun plugin for `.zig` files, for `Bun.build({ plugins: [...] })` (and for
 * `Bun.plugin(...)`, though `zigimport/register` already does that under Bun).
 */
export { zigimportBunPlugin, type ZigBunPlugin, type BunPluginBuilder } from './loaders/bun-plugin.js';
