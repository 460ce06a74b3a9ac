// Other JavaScript runtimes for the runtime tests (Bun, Deno, Jupyter), found through variables
// that .ci/run sets. In CI (CI=true) a missing one fails the test file; run locally without them,
// the tests skip and say why.
import * as fs from 'node:fs';

/**
 * The binary named by `variable`, or `{ skip }` with the reason when it is not set locally.
 * Throws under CI=true: CI installs every runtime, so a missing one is a broken CI, not a skip.
 */
export function runtimeBinary(variable, what) {
  const value = process.env[variable];
  if (value && fs.existsSync(value)) return { path: value };
  const reason = `${what} not found: set ${variable} (.ci/run installs it)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must run these tests`);
  return { skip: reason };
}
