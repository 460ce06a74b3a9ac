/**
 * `require('zigimport/register')`: after this runs, `import` and `require` of `.zig` files work.
 * Safe to run more than once: the hooks are installed once per process.
 */
import { registerZigImport } from './loaders/hooks.js';

registerZigImport();
