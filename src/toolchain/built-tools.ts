/**
 * Files zigimport builds once with Zig and then reuses from a cache: the declaration reader
 * (src/types/ast.ts) and the trace object (src/compile/trace-object.ts). Both are code the cache
 * runs or links, so each is used only after its SHA-256 matches the one recorded beside it
 * (`<file>.sha256`) when it was built: a truncated, altered or unrecorded file is rebuilt, never
 * used. A file is hashed again only when its identity (device, inode, size, times) is not the one
 * it had when it last matched (`isIntact`).
 *
 * They depend on nothing but Zig and zigimport's own sources (both part of their names), so they
 * are shared by every cache folder: built into `~/.zigimport/tools/`, or `<cacheDir>/tools/`
 * where that is not writable or not safe.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensurePrivateDir, makePrivate, sha256File, writeFileAtomic } from '../cache/files.js';
import { takeLock } from '../cache/lock.js';
import { trustedIdentities } from '../cache/verified.js';
import { ensureTrustedCacheDir, isPrivateFile } from '../cache/trust.js';
import { defaultCacheDir } from '../config/settings.js';
import type { Op } from '../effects.js';

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
 * `<tool>.identity`: the tool's file identity (device, inode, size, mtime, ctime) taken just before
 * its bytes last hashed to its record, with that hash. The record itself stays the bare hash that
 * older zigimports read.
 */
function identityPath(tool: string): string {
  return `${tool}.identity`;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * True when `tool` is a private regular file whose bytes hash to its record. The bytes are hashed
 * only when the file's identity differs from the one recorded when they last matched: every write
 * or replacement changes ctime (which user space cannot set back) or the inode, and an identity is
 * recorded only once its ctime is older than the racy margin (src/cache/verified.ts says why that
 * makes equal identities mean equal bytes). Checksum mode's stat-only hits rely on the same.
 */
function isIntact(tool: string): boolean {
  const st = fs.lstatSync(tool, { throwIfNoEntry: false });
  if (!st?.isFile() || !isPrivateFile(st)) return false;
  if (verified.get(tool) === identityOf(st)) return true;
  const recorded = readText(recordPath(tool));
  if (!recorded) return false;
  // Taken before the bytes are read: an edit after this changes the identity seen next time.
  const [trusted] = trustedIdentities([tool]);
  if (trusted && readText(identityPath(tool)) === `${trusted} ${recorded}`) {
    verified.set(tool, identityOf(st));
    return true;
  }
  if (sha256File(tool) !== recorded) return false;
  if (trusted) {
    try {
      writeFileAtomic(identityPath(tool), `${trusted} ${recorded}\n`);
    } catch {
      // Only saves hashing next time.
    }
  }
  verified.set(tool, identityOf(st));
  return true;
}

/**
 * The cache folders that may hold the tool, in order: the shared one, then the build dir. Each
 * must pass the ownership checks; the shared one is skipped (never used from) when it fails them
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

export interface ToolRecipe {
  /** The file name in `tools/`: it must change whenever what goes into the build changes. */
  fileName: string;
  /** Permissions of the published file. */
  mode: number;
  /** Builds the file at `out`; `tmp` is a private scratch folder (for Zig's local cache). Throws on failure. */
  build(out: string, tmp: string): Op<void>;
  /** The longest a build may take: a lock older than this is taken as abandoned. */
  timeoutMs: number;
}

/** Builds the tool into a scratch folder, then publishes it and its hash record (each an atomic rename). */
function* buildTool(tool: string, recipe: ToolRecipe): Op<void> {
  const tmp = path.join(path.dirname(tool), `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  ensurePrivateDir(tmp);
  try {
    const out = path.join(tmp, 'built');
    yield* recipe.build(out, tmp);
    makePrivate(out, recipe.mode);
    const hash = sha256File(out);
    if (hash === undefined) throw new Error(`Zig built nothing at ${out}`);
    // Tool first, record second: a crash in between leaves a tool without a record, rebuilt next time.
    fs.renameSync(out, tool);
    writeFileAtomic(recordPath(tool), `${hash}\n`);
    verified.set(tool, identityOf(fs.lstatSync(tool)));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The path of an intact tool, building it when it is missing or does not match its hash record.
 * Concurrent builders take turns on a lock beside the tool. An operation for either driver.
 */
export function* ensureBuiltTool(cacheDir: string, recipe: ToolRecipe): Op<string> {
  const homes = toolHomes(cacheDir);
  for (const home of homes) {
    const tool = path.join(home, 'tools', recipe.fileName);
    if (isIntact(tool)) return tool;
  }
  const home =
    homes.find((h) => {
      ensurePrivateDir(path.join(h, 'tools'));
      return isWritable(path.join(h, 'tools'));
    }) ?? homes[homes.length - 1]!;
  const tool = path.join(home, 'tools', recipe.fileName);
  const lock = yield* takeLock(`${tool}.lock`, { maxAgeMs: recipe.timeoutMs + 30_000, waitMs: recipe.timeoutMs + 60_000 });
  try {
    // Another process may have built it while this one waited.
    if (!isIntact(tool)) yield* buildTool(tool, recipe);
  } finally {
    lock.release();
  }
  return tool;
}
