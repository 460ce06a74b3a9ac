/**
 * Names and doc comments from the Zig source, read with Zig's own parser: zig/ast/main.zig is
 * built once per Zig version (and per version of that program) and run once per file. It prints
 * JSON (`ZigDocs`). The tool depends on nothing else, so it is shared by every cache folder: it is
 * built into `~/.zigimport/tools/` (or `<cacheDir>/tools/` where that is not writable or not
 * safe). It is an executable in a cache, so it is run only after its SHA-256 matches the one
 * recorded when it was built.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { BINDING_DIR } from '../paths.js';
import { runSync } from '../compile/run.js';
import { ensurePrivateDir, makePrivate, PRIVATE_EXE_MODE, sha256, sha256File, writeFileAtomic } from '../cache/files.js';
import { acquireLockSync } from '../cache/lock.js';
import { ensureTrustedCacheDir, isPrivateFile } from '../cache/trust.js';
import { defaultCacheDir } from '../config/settings.js';
import { ZigImportError } from '../errors.js';
import type { ZigToolchain } from '../toolchain/find.js';
import type { ZigDocs } from './generate.js';

export const AST_TOOL_SOURCE = path.join(BINDING_DIR, 'ast', 'main.zig');

const EXE = process.platform === 'win32' ? '.exe' : '';
let sourceHash: string | undefined;

/**
 * How the tool is built. Stripped: the unstripped Debug build is 17.9 MB, which the per-process
 * integrity check hashed in ~29 ms and the kernel mapped in ~6.5 ms per run, on every cache
 * miss; stripped it is 4.3 MB (5.9 ms to hash, 2.2 ms to run), built in the same 0.6 s. Release
 * modes would be smaller still but take 7-13 s to build once per Zig version. Part of the name,
 * so a tool built with other flags is not picked up.
 */
const TOOL_FLAGS = ['-O', 'Debug', '-fstrip'];

function toolName(zig: ZigToolchain): string {
  sourceHash ??= sha256(`${fs.readFileSync(AST_TOOL_SOURCE, 'utf8')}\0${TOOL_FLAGS.join(' ')}`).slice(0, 16);
  return `zigimport-ast-${zig.version}-${sourceHash}${EXE}`;
}

/** The tool's SHA-256, recorded when it was built: `<tool>.sha256`. */
function recordPath(tool: string): string {
  return `${tool}.sha256`;
}

/** Tools whose hash matched their record in this process, with the file identity then. */
const verified = new Map<string, string>();

function identityOf(st: fs.Stats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

/**
 * True when `tool` is a private regular file whose bytes hash to its record. A truncated or
 * altered copy, or one without a record (from an older zigimport), is rebuilt, never run. It is
 * hashed once per process (the tool runs only on cache misses, so that is affordable).
 */
function isIntact(tool: string): boolean {
  const st = fs.lstatSync(tool, { throwIfNoEntry: false });
  if (!st?.isFile() || !isPrivateFile(st)) return false;
  if (verified.get(tool) === identityOf(st)) return true;
  let recorded: string;
  try {
    recorded = fs.readFileSync(recordPath(tool), 'utf8').trim();
  } catch {
    return false;
  }
  if (sha256File(tool) !== recorded) return false;
  verified.set(tool, identityOf(st));
  return true;
}

/**
 * The cache folders that may hold the tool, in order: the shared one, then the build dir. Each
 * must pass the ownership checks; the shared one is skipped (never run from) when it fails them
 * while the build dir is another folder, and when it cannot be created (read-only home).
 */
function toolHomes(cacheDir: string): string[] {
  const own = path.resolve(cacheDir);
  const shared = path.resolve(defaultCacheDir());
  const homes: string[] = [];
  if (shared !== own) {
    try {
      ensureTrustedCacheDir(shared);
      homes.push(shared);
    } catch {
      // Unsafe or not creatable: the build dir's own tools folder serves instead.
    }
  }
  ensureTrustedCacheDir(own);
  homes.push(own);
  return homes;
}

function isWritable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Compiles the tool, then publishes it and its hash record (each an atomic rename). */
function buildTool(tool: string, zig: ZigToolchain, timeoutMs: number): void {
  const tmp = path.join(path.dirname(tool), `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  ensurePrivateDir(tmp);
  try {
    const out = path.join(tmp, `ast${EXE}`);
    // A private Zig cache, like every compile's (std and compiler_rt stay in Zig's global cache),
    // and the parent guard of run.ts, so the compiler ends if this process dies.
    const args = [
      'build-exe',
      AST_TOOL_SOURCE,
      ...TOOL_FLAGS,
      '--name',
      'ast',
      '--color',
      'off',
      '--cache-dir',
      path.join(tmp, 'zig-cache'),
      `-femit-bin=${out}`,
    ];
    const r = runSync(zig.path, args, { cwd: tmp, timeoutMs });
    if (r.code !== 0 || r.timedOut || r.spawnError) {
      const why = r.timedOut ? `timed out after ${Math.round(timeoutMs / 1000)} s` : (r.spawnError?.message ?? (r.stderr || `exit ${r.code ?? r.signal}`));
      throw new ZigImportError('ZIGIMPORT_TYPES_FAILED', `Building zigimport's Zig source reader with Zig ${zig.version} failed: ${why}`);
    }
    makePrivate(out, PRIVATE_EXE_MODE);
    const hash = sha256File(out);
    if (hash === undefined) throw new ZigImportError('ZIGIMPORT_TYPES_FAILED', `Zig built no source reader at ${out}`);
    // Tool first, record second: a crash in between leaves a tool without a record, rebuilt next time.
    fs.renameSync(out, tool);
    writeFileAtomic(recordPath(tool), `${hash}\n`);
    verified.set(tool, identityOf(fs.lstatSync(tool)));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Returns the path of an intact tool for this Zig, building it when it is missing or does not
 * match its hash record. Concurrent builders take turns on a lock beside the tool.
 */
export function ensureAstTool(cacheDir: string, zig: ZigToolchain, timeoutMs = 300_000): string {
  const homes = toolHomes(cacheDir);
  for (const home of homes) {
    const tool = path.join(home, 'tools', toolName(zig));
    if (isIntact(tool)) return tool;
  }
  const home =
    homes.find((h) => {
      ensurePrivateDir(path.join(h, 'tools'));
      return isWritable(path.join(h, 'tools'));
    }) ?? homes[homes.length - 1]!;
  const tool = path.join(home, 'tools', toolName(zig));
  const lock = acquireLockSync(`${tool}.lock`, { maxAgeMs: timeoutMs + 30_000, waitMs: timeoutMs + 60_000 });
  try {
    // Another process may have built it while this one waited.
    if (!isIntact(tool)) buildTool(tool, zig, timeoutMs);
  } finally {
    lock.release();
  }
  return tool;
}

/** Parameter names and doc comments of `file`'s declarations. */
export function readZigDocs(file: string, cacheDir: string, zig: ZigToolchain): ZigDocs {
  const tool = ensureAstTool(cacheDir, zig);
  let text: string;
  try {
    text = execFileSync(tool, [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new ZigImportError('ZIGIMPORT_TYPES_FAILED', `Reading ${file} with zigimport's Zig source reader failed: ${stderr || (err as Error).message}`);
  }
  return JSON.parse(text) as ZigDocs;
}
