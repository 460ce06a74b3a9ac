// A module of a Zig project (built through `zig build`, whose printed compile command zigimport
// reads back) in a folder whose name has non-ASCII letters and a space, with such a cache folder
// too: Zig escapes those bytes in the command it prints, and they must come back as the same path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { childEnv, runNode, tempDir, FIXTURES, ROOT } from './helpers.mjs';

const PROBE = path.join(ROOT, 'test', 'support', 'probe.cjs');

test('a build.zig-hooked module under "été dir/" with a cache under "cache é x/" builds and runs', async () => {
  const base = tempDir('paths-');
  const project = path.join(base, 'été dir', 'hooked');
  fs.cpSync(path.join(FIXTURES, 'projects', 'hooked'), project, { recursive: true });
  const cache = path.join(base, 'cache é x');
  const r = await runNode([PROBE, path.join(project, 'hooked.zig')], { env: childEnv({ ZIGIMPORT_BUILD_DIR: cache }) });
  const out = JSON.parse(r.stdout.trim() || '{}');
  // mul_factor(2) from the hook's C source, + level=5 from the //! define, + extra.bonus.
  assert.equal(out.ok, true, out.message ?? r.stderr);
  assert.equal(out.value, 1019);
  assert.ok(fs.readdirSync(path.join(cache, 'builds')).length > 0, 'the build was stored in the cache folder');
});
