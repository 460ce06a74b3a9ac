/**
 * The system C library for a native build that links libc (every Debug and ReleaseSafe addon:
 * panic traces symbolize through it, zig/panic.zig), found once instead of on every compile.
 * Without `--libc`, Zig searches for it on every compile by running the C compiler several
 * times (`cc -print-file-name=crt1.o`, ...): 0.15–0.5 s of a 1.5–2.5 s Debug compile, measured
 * on 2 busy cores. `zig libc` prints what that search finds, in the format `--libc <file>`
 * reads back, so the file is written once per Zig into the cache's private `tools/` folder.
 *
 * It is used only while every folder it names exists and it is less than a day old, so a C
 * compiler or libc upgraded in place is found again within a day (and at once if its old
 * folders are gone). Only for glibc Linux hosts: Zig builds musl from its own sources, macOS
 * takes its SDK from `xcrun`, and Windows has no such search. Any failure (no C compiler: Zig
 * then uses its own glibc stubs) leaves the compile as it was, without `--libc`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ZigToolchain } from '../toolchain/find.js';
import { ensurePrivateDir, sha256, writeFileAtomic } from '../cache/files.js';
import { runZig } from './run.js';
import type { Op } from '../effects.js';

const MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** The entries of `zig libc` output that name folders the compile reads. */
const FOLDER_KEYS = ['include_dir', 'sys_include_dir', 'crt_dir'];

let glibcHost: boolean | undefined;

/** True on Linux with glibc (Node reports the glibc it runs on; musl has none). */
function isGlibcLinux(): boolean {
  if (glibcHost === undefined) {
    const header =
      process.platform === 'linux' ? (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header : undefined;
    glibcHost = Boolean(header?.glibcVersionRuntime);
  }
  return glibcHost;
}

/** Whether a `zig libc` file can still be used as it is. */
export function isUsableLibcFile(text: string, ageMs: number): boolean {
  if (ageMs > MAX_AGE_MS || ageMs < 0) return false;
  const entries = new Map(
    text
      .split('\n')
      .filter((l) => l.includes('=') && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()] as const),
  );
  if (!FOLDER_KEYS.every((k) => entries.get(k))) return false;
  return FOLDER_KEYS.every((k) => fs.statSync(entries.get(k)!, { throwIfNoEntry: false })?.isDirectory() === true);
}

/** The `--libc` file for a native glibc build with `zig`, made if needed; undefined where none is used. */
export function* nativeLibcFile(zig: ZigToolchain, cacheDir: string): Op<string | undefined> {
  if (!isGlibcLinux()) return undefined;
  const tools = path.join(cacheDir, 'tools');
  const file = path.join(tools, `native-libc-${zig.version}-${sha256(zig.path).slice(0, 8)}.txt`);
  try {
    const st = fs.lstatSync(file, { throwIfNoEntry: false });
    if (st?.isFile() && isUsableLibcFile(fs.readFileSync(file, 'utf8'), Date.now() - st.mtimeMs)) return file;
  } catch {
    // Unreadable: made again below.
  }
  const out = yield* runZig(zig.path, ['libc'], { cwd: cacheDir, timeoutMs: 30_000 });
  const text = out.stdout.toString('utf8');
  if (out.code !== 0 || out.spawnError || !isUsableLibcFile(text, 0)) return undefined;
  try {
    ensurePrivateDir(tools);
    writeFileAtomic(file, text);
  } catch {
    return undefined;
  }
  return file;
}
