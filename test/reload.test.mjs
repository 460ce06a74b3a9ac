// reload(): after an edit, the new code in the same process; the old exports keep working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { tempDir, writeSource, zigimport, ZIG, SHARED_BUILD_DIR } from './helpers.mjs';

const { loadSync, load, reload } = zigimport;
process.env.ZIGIMPORT_BUILD_DIR = SHARED_BUILD_DIR;
process.env.ZIGIMPORT_ZIG = ZIG;

const source = (n) => `pub fn value() i32 {\n    return ${n};\n}\n`;

test('edit then reload returns the new code; unchanged reload returns the same object', async () => {
  const file = path.join(tempDir('reload-'), 'live.zig');
  writeSource(file, source(1));
  const v1 = loadSync(file);
  assert.equal(v1.value(), 1);
  assert.equal(loadSync(file), v1, 'loading again returns the same exports');
  assert.equal(await load(file), v1);

  writeSource(file, source(2));
  const v2 = await reload(v1);
  assert.notEqual(v2, v1);
  assert.equal(v2.value(), 2);
  assert.equal(v1.value(), 1, 'the old build stays loaded and usable');
  assert.equal(loadSync(file), v2, 'later loads see the reloaded module');

  assert.equal(await reload(v2), v2, 'nothing changed: same object, no rebuild');
  await assert.rejects(reload({}), /reload\(\) takes the exports object/);
});
