/** Where the package's own files are, wherever it is installed. */
import * as path from 'node:path';

/** The package root (holds package.json, dist/ and zig/). */
export const PACKAGE_ROOT = path.resolve(__dirname, '..');

/** The Zig binding layer shipped with the package. */
export const BINDING_DIR = path.join(PACKAGE_ROOT, 'zig');
