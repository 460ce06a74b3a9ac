// What differs between Zig releases, as the TypeScript side knows it: the capability table in
// src/toolchain/versions.ts, and a check that no other compile or project code tests versions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const versions = require('../../dist/toolchain/versions.js');

// [version, file_system_inputs tag, --pkg-dir, -fllvm for x86_64 Debug]
const CAPABILITIES = [
  ['0.15.1', 5, false, true],
  ['0.15.2', 5, false, true],
  ['0.16.0', 6, false, false],
  ['0.16.0-dev.1484+d0ba6642b', 6, false, false],
  ['0.17.0', 6, true, false],
  ['0.17.1', 6, true, false],
];

for (const [version, tag, pkgDir, llvm] of CAPABILITIES) {
  test(`capabilities of Zig ${version}`, () => {
    assert.equal(versions.isSupportedZig(version), true);
    assert.equal(versions.fileSystemInputsTag(version), tag);
    assert.equal(versions.hasPackageDirOption(version), pkgDir);
    assert.equal(versions.needsLlvmBackend(version, 'Debug', 'x86_64'), llvm);
  });
}

const LLVM_CASES = [
  ['only Debug', '0.15.2', 'ReleaseSafe', 'x86_64', false],
  ['only x86_64 (a cross-build for aarch64 has no self-hosted default)', '0.15.2', 'Debug', 'aarch64', false],
  ['Debug x86_64 on 0.15', '0.15.2', 'Debug', 'x86_64', true],
];
for (const [name, version, optimize, cpu, expected] of LLVM_CASES) {
  test(`needsLlvmBackend: ${name}`, () => {
    assert.equal(versions.needsLlvmBackend(version, optimize, cpu), expected);
  });
}

for (const version of ['0.14.1', '0.18.0', '0.150.0', '1.0.0', '']) {
  test(`Zig "${version}" is not supported`, () => {
    assert.equal(versions.isSupportedZig(version), false);
  });
}

test('supported lines are described for error messages', () => {
  assert.equal(versions.describeSupported(), '0.15.x, 0.16.x, 0.17.x');
});

const ORDER = ['0.15.0', '0.15.2', '0.16.0-dev.1+abc', '0.16.0', '0.17.0', '0.17.1', '0.17.10'];
test('compareVersions orders releases numerically, pre-releases first', () => {
  const shuffled = [...ORDER].reverse();
  assert.deepEqual(shuffled.sort(versions.compareVersions), ORDER);
});

test('no code in src/compile or src/project tests a Zig version itself', () => {
  const checks = [/startsWith\(['"`]0\./, /\/\^?0\\\.1/, /['"`]0\.1[0-9]\.['"`]/, /compareVersions\(/];
  for (const dir of ['compile', 'project']) {
    for (const name of fs.readdirSync(path.join(ROOT, 'src', dir)).filter((f) => f.endsWith('.ts'))) {
      const code = fs
        .readFileSync(path.join(ROOT, 'src', dir, name), 'utf8')
        .split('\n')
        .filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l));
      for (const line of code) for (const check of checks) assert.doesNotMatch(line, check, `src/${dir}/${name}`);
    }
  }
});
