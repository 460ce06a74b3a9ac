// `import 'zigimport/register'` and `node --import zigimport/register`: the same hooks as
// `require('zigimport/register')`, installed once per process.
import hooks from '../loaders/hooks.js';

hooks.registerZigImport();
