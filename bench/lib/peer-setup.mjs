// Installs the peer, node-zigar, and the Zig release it requires, under bench/results/.peer
// (gitignored; reused by later runs). Zig comes from PyPI's `ziglang` package.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESULTS, run } from './env.mjs';

export const ZIGAR_VERSION = '0.14.0';
// node-zigar 0.14.x builds only with Zig 0.14.x (zigar-compiler's build.zig: `minor != 14` is a
// compile error); 0.14.1 is the newest 0.14 on PyPI.
export const ZIGAR_ZIG = '0.14.1';
// node-zigar 0.14.0 depends on ^0.14.0 of both; npm picks node-zigar-addon 0.14.3, whose
// buildAddon() no longer reads the options node-zigar 0.14.0 passes (it fails with "Module not
// found: .../undefined.undefined.node"). Pinning the siblings to 0.14.0 makes the set consistent.
const OVERRIDES = { 'node-zigar-addon': ZIGAR_VERSION, 'zigar-compiler': ZIGAR_VERSION };

export function setupPeer(log) {
  const dir = path.join(RESULTS, '.peer');
  fs.mkdirSync(dir, { recursive: true });
  const zigDir = path.join(dir, `zig-${ZIGAR_ZIG}`);
  const zig = path.join(zigDir, 'ziglang', process.platform === 'win32' ? 'zig.exe' : 'zig');
  if (!fs.existsSync(zig)) {
    log(`  installing Zig ${ZIGAR_ZIG} for node-zigar (pip install --target ... ziglang==${ZIGAR_ZIG})`);
    const python = process.env.PYTHON ?? 'python3';
    run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', zigDir, `ziglang==${ZIGAR_ZIG}`], { timeoutMs: 600_000 });
  }
  const pkg = { name: 'zigimport-bench-peer', private: true, dependencies: { 'node-zigar': ZIGAR_VERSION }, overrides: OVERRIDES };
  const pkgFile = path.join(dir, 'package.json');
  const want = JSON.stringify(pkg, null, 2);
  const installed = path.join(dir, 'node_modules', 'node-zigar', 'package.json');
  if (!fs.existsSync(installed) || fs.readFileSync(pkgFile, 'utf8') !== want) {
    log(`  installing node-zigar ${ZIGAR_VERSION} from npm`);
    fs.writeFileSync(pkgFile, want);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, timeoutMs: 600_000 });
  }
  const version = JSON.parse(fs.readFileSync(installed, 'utf8')).version;
  return { dir, zig, zigVersion: ZIGAR_ZIG, version };
}
