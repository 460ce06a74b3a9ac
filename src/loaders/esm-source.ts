/**
 * The ES module a `.zig` import turns into. It asks the CommonJS loader (one instance per
 * thread, shared with `require()` and `load()`) for the exports and re-exports each by name, so
 * `import { add } from './math.zig'` and `import math from './math.zig'` both work.
 */
import * as path from 'node:path';
import type { SettingsOverrides } from '../config/settings.js';

// The loader alone, not the package index: an import needs nothing of the CLI-facing API.
const RUNTIME = path.join(__dirname, 'load.js');

export function esmSource(file: string, overrides: SettingsOverrides, names: string[]): string {
  const lines = [
    `import { createRequire } from 'node:module';`,
    `const { loadSync } = createRequire(import.meta.url)(${JSON.stringify(RUNTIME)});`,
    `const mod = loadSync(${JSON.stringify(file)}, ${JSON.stringify(overrides)});`,
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
