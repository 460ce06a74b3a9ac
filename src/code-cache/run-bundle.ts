/**
 * Runs dist/hot-path-bundle.js (the bundled hot path, scripts/bundle-hot-path.mjs) the way Node's
 * CommonJS loader would, but through `vm.Script` with a V8 code cache, so that a process
 * importing a cached Zig module compiles nothing of zigimport: V8 compiles a function's bytecode
 * on its first call, and a cache made by `script.createCachedData()` at exit, after an import,
 * holds the bytecode of every function the import ran (~3 ms on Node 20 for a release-mode hit).
 *
 * The cache is used only under Node (Bun and Deno accept `cachedData` and ignore it: see README),
 * only when `ZIGIMPORT_CODE_CACHE` is not `0`, and only when store.ts finds it trusted and intact.
 * Without it the bundle is simply `require`d. Never fatal: any failure here falls back to that.
 * Node built-ins only: it runs before the hot path exists. scripts/bundle-hot-path.mjs bundles it
 * (with store.ts and folder-trust.ts) into the loader, dist/hot-path.js: one file to load, where
 * three separate CommonJS files cost a fresh process ~1 ms. `ZIGIMPORT_VERBOSE` shows what it did
 * (`[zigimport] code cache: ...`).
 */
import fs = require('node:fs');
import { createRequire } from 'node:module';
import path = require('node:path');
import vm = require('node:vm');
import { type CodeCacheSlot, isTrusted, type ReadStatus, readCodeCache, writeCodeCache } from './store.js';

/** Node's CommonJS wrapper: the bundle sees the same free variables as when it is `require`d. */
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_END = '\n});';
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

type CommonJsBody = (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;

function verbose(text: string): void {
  const v = process.env.ZIGIMPORT_VERBOSE?.trim().toLowerCase();
  if (v && !FALSE_WORDS.has(v)) process.stderr.write(`[zigimport] code cache: ${text}\n`);
}

/** Off where it cannot help: Bun and Deno, a Node without `createCachedData`, or the opt-out. */
function codeCacheWanted(): boolean {
  const setting = process.env.ZIGIMPORT_CODE_CACHE?.trim().toLowerCase();
  if (setting && FALSE_WORDS.has(setting)) return false;
  if (process.versions.bun || process.versions.deno) return false;
  return typeof vm.Script.prototype.createCachedData === 'function';
}

/**
 * The cache root as the environment chooses it (settings.ts's `cacheDir` before any package.json).
 * `$HOME` is what `os.homedir()` returns on POSIX when it is set, without loading `node:os`.
 */
function cacheRoot(): string {
  const dir = process.env.ZIGIMPORT_BUILD_DIR;
  if (dir) return path.resolve(dir);
  const home = process.platform !== 'win32' && process.env.HOME ? process.env.HOME : (require('node:os') as typeof import('node:os')).homedir();
  return path.join(home, '.zigimport');
}

/** FNV-1a, 32 bits, as 8 hex digits: names a flag set in a file name (collisions only share a file). */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Options that take a script's text (`node -e '…'`): the text is no flag, so it names no slot. */
const SCRIPT_TEXT_OPTIONS = new Set(['-e', '--eval', '-p', '--print', '-pe']);

/** `execArgv` without the text of `-e`/`-p` scripts, so that every such script shares one slot. */
function withoutScriptText(execArgv: string[]): string[] {
  const kept: string[] = [];
  let scriptText = false;
  for (const arg of execArgv) {
    if (scriptText) scriptText = false;
    else if (SCRIPT_TEXT_OPTIONS.has(arg)) scriptText = true;
    else if (!arg.startsWith('--eval=') && !arg.startsWith('--print=')) kept.push(arg);
  }
  return kept;
}

/**
 * Everything V8's cached code depends on besides the source: Node, V8, its flags, the bundle file.
 * The flags are in the name too, so that processes started with other flags (`--inspect`, a
 * preload) keep their own cache instead of replacing each other's at every exit.
 */
function slotFor(bundleFile: string, bundleHash: string, bundle: fs.Stats): CodeCacheSlot {
  const flags = JSON.stringify([withoutScriptText(process.execArgv), process.env.NODE_OPTIONS ?? '']);
  const key = JSON.stringify({
    node: process.version,
    v8: process.versions.v8,
    arch: process.arch,
    flags,
    bundle: bundleHash,
    file: bundleFile,
    size: bundle.size,
    mtimeMs: bundle.mtimeMs,
  });
  return { root: cacheRoot(), name: `${process.version}-${process.arch}-${bundleHash.slice(0, 16)}-${shortHash(flags)}`, key };
}

/**
 * True when a used cache lacks a kind of hit this process ran. A cache written by a miss covers
 * no hit, so the first hit after it writes it again (once); a hashing and a stat-only hit are
 * the same kind ('checksum'), so whether a process writes never depends on the sources' 2 s
 * racy margin, only on the kinds of hit run so far.
 */
function lacksKind(covers: string[], kinds: string[]): boolean {
  return kinds.some((k) => !covers.includes(k));
}

/**
 * The bundle's `module.exports`, run with a code cache when one is usable. `ran(exports)` says what
 * this process ran: nothing (no import: empty) or an import and the kinds of hit it ran. At exit
 * a cache is written when there was none (or V8 rejected it) and an import ran, or when the used
 * one lacks a kind of hit this process ran (`lacksKind`): V8's `createCachedData()` then holds the functions
 * deserialized from the old cache and those compiled here, so the cache covers both kinds.
 */
export function runBundle(bundleFile: string, bundleHash: string, ran: (exports: unknown) => string[]): unknown {
  if (!codeCacheWanted()) return require(bundleFile);
  let source: string;
  let slot: CodeCacheSlot;
  let status: ReadStatus | 'rejected' = 'untrusted';
  let cachedData: Buffer | undefined;
  let covers: string[] = [];
  try {
    source = fs.readFileSync(bundleFile, 'utf8');
    slot = slotFor(bundleFile, bundleHash, fs.statSync(bundleFile));
    if (!fs.existsSync(slot.root)) status = 'none';
    else if (isTrusted(slot.root)) ({ status, data: cachedData, covers = [] } = readCodeCache(slot));
  } catch {
    return require(bundleFile);
  }
  const script = new vm.Script(WRAPPER_START + source + WRAPPER_END, { filename: bundleFile, ...(cachedData && { cachedData }) });
  if (cachedData && script.cachedDataRejected) status = 'rejected';
  verbose(status === 'used' ? `used ${path.join(slot.root, 'code-cache', `${slot.name}.v8`)}` : status);
  const module = { exports: {} as unknown };
  (script.runInThisContext() as CommonJsBody).call(module.exports, module.exports, createRequire(bundleFile), module, bundleFile, path.dirname(bundleFile));
  if (status !== 'untrusted') {
    process.once('exit', () => {
      const kinds = ran(module.exports);
      if (kinds.length === 0 || (status === 'used' && !lacksKind(covers, kinds))) return;
      const union = [...new Set([...covers, ...kinds])].sort();
      try {
        if (writeCodeCache(slot, script.createCachedData(), union)) verbose(`written for the next process (${slot.name}: ${union.join(', ')})`);
      } catch (e) {
        verbose(`not written: ${(e as Error).message}`);
      }
    });
  }
  return module.exports;
}
