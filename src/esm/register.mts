// `import 'zigimport/register'` and `node --import zigimport/register`: the same hooks as
// `require('zigimport/register')`, installed once per process. `npm run build` bundles this entry
// and the hooks it installs into one file (scripts/bundle-register.mjs).
import { registerZigImport } from '../loaders/hooks.js';

registerZigImport();
