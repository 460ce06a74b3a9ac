// `import 'zigimport/register'` and `node --import zigimport/register`.
import '../loaders/register.js';
