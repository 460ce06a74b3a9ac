/**
 * The ES module a `.zig` import turns into. It takes the exports the import hook loaded (one
 * instance per thread, shared with `require()` and `load()`) and re-exports each by name, so
 * `import { add } from './math.zig'` and `import math from './math.zig'` both work.
 */
import * as path from 'node:path';
import type { SettingsOverrides } from '../config/settings.js';
import type { Handoff } from './load.js';

// The loader alone, not the package index: an import needs nothing of the CLI-facing API.
const RUNTIME = path.join(__dirname, 'load.js');

/**
 * `handoff` is what the hook's load returned with the exports (see `importedExports`); `file`
 * and `overrides` load the module the whole way should the handed-off build fail to load.
 */
export function esmSource(file: string, overrides: SettingsOverrides, handoff: Handoff, names: string[]): string {
  const args = [handoff, file, overrides].map((a) => JSON.stringify(a)).join(', ');
  const lines = [
    `import { createRequire } from 'node:module';`,
    `const { importedExports } = createRequire(import.meta.url)(${JSON.stringify(RUNTIME)});`,
    `const mod = importedExports(${args});`,
    'export default mod;',
  ];
  names
    .filter((name) => name !== 'default')
    .forEach((name, i) => {
      // String export names allow any Zig identifier, including @"quoted" ones.
      lines.push(`const e${i} = mod[${JSON.stringify(name)}];`, `export { e${i} as ${JSON.stringify(name)} };`);
    });
  return `${lines.join('\n')}\n`;
}
