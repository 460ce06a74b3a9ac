// Concurrent load() calls of different modules compile in parallel, up to the number of cores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { childEnv, runNode, tempDir, writeSource, ZIG, ROOT } from './helpers.mjs';

test('concurrent load() of different modules compiles in parallel, never more than the cores at once', async () => {
  const dir = tempDir('par-');
  const log = path.join(dir, 'compiles.log');
  // A zig that records when each compile starts and ends (version queries pass straight through).
  const wrapper = path.join(dir, 'zig');
  fs.writeFileSync(
    wrapper,
    `#!/bin/sh\ncase "$1" in build-lib) echo "start $(date +%s%N)" >> ${log};; esac\n"${ZIG}" "$@"\nrc=$?\ncase "$1" in build-lib) echo "end $(date +%s%N)" >> ${log};; esac\nexit $rc\n`,
    { mode: 0o755 },
  );
  const files = [1, 2, 3, 4, 5].map((n) => {
    const file = path.join(dir, `m${n}.zig`);
    writeSource(file, `pub fn value() i32 {\n    return ${n};\n}\n`);
    return file;
  });
  const script = `const { load } = require(${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))});
    Promise.all(${JSON.stringify(files)}.map((f) => load(f))).then((ms) => console.log(ms.map((m) => m.value()).join(',')));`;
  const r = await runNode(['-e', script], { env: childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('cache-'), ZIGIMPORT_ZIG: wrapper, ZIGIMPORT_TYPES: '0' }) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '1,2,3,4,5');

  const events = fs
    .readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .map(([kind, t]) => ({ kind, t: BigInt(t) }));
  events.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  let running = 0;
  let most = 0;
  for (const e of events) {
    running += e.kind === 'start' ? 1 : -1;
    most = Math.max(most, running);
  }
  assert.equal(events.filter((e) => e.kind === 'start').length, 5);
  assert.ok(most <= os.availableParallelism(), `at most ${os.availableParallelism()} at once, saw ${most}`);
  assert.ok(most >= Math.min(2, os.availableParallelism()), `compiles overlapped (saw ${most} at once)`);
});
