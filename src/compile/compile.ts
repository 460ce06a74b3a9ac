/**
 * Runs the Zig compiler for one module and copies the library into a private temporary folder;
 * the caller publishes it into the store. A compile that fails, times out or is killed leaves
 * only its temporary folder, which nothing ever loads.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Settings } from '../config/settings.js';
import type { ModuleOptions } from '../config/module-options.js';
import type { ZigToolchain } from '../toolchain/find.js';
import { ZigCompileError, ZigImportError, ZigTimeoutError } from '../errors.js';
import { ensurePrivateDir } from '../cache/files.js';
import { childProcess } from '../lazy.js';
import { compileArgs, emittedLibrary } from './command.js';
import { formatCompileMessage, parseZigOutput } from './diagnostics.js';
import { clientMessages, decodeServerOutput, type ServerResult } from './server.js';

export interface CompileRequest {
  file: string;
  /** Names the temporary folder. */
  label: string;
  settings: Pick<Settings, 'optimize' | 'buildDir' | 'timeout' | 'forceRebuild'>;
  zig: ZigToolchain;
  module: ModuleOptions;
}

export interface CompiledArtifact {
  /** The built library, inside `tmpDir`. */
  builtFile: string;
  tmpDir: string;
  durationMs: number;
  /** When the compiler started: inputs modified after this may not be in the build. */
  startedAt: number;
  /** Absolute paths of the files the compiler read, outside Zig's own library and global cache. */
  inputs: string[];
  /** Zig's own cache already had this build. */
  zigCacheHit: boolean;
  /** Removes the temporary folder. */
  cleanup(): void;
}

/** Temporary folders older than this were left by killed builds. */
const ABANDONED_MS = 60 * 60 * 1000;

/** Removes what killed builds left in `<buildDir>/tmp`; runs only on a cache miss. */
function removeAbandoned(tmpRoot: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(tmpRoot);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of entries) {
    const dir = path.join(tmpRoot, name);
    try {
      if (now - fs.statSync(dir).mtimeMs > ABANDONED_MS) fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Removed by someone else meanwhile.
    }
  }
}

interface Prepared {
  args: string[];
  tmpDir: string;
  zigCacheDir: string;
}

function prepare(req: CompileRequest): Prepared {
  removeAbandoned(path.join(req.settings.buildDir, 'tmp'));
  const tmpDir = path.join(req.settings.buildDir, 'tmp', `${req.label.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  ensurePrivateDir(tmpDir);
  // A forced rebuild must really compile: Zig's shared cache would answer from the last build.
  const zigCacheDir = req.settings.forceRebuild ? path.join(tmpDir, 'zig-cache') : path.join(req.settings.buildDir, 'zig-cache');
  return { args: compileArgs({ file: req.file, optimize: req.settings.optimize, zigCacheDir, module: req.module }), tmpDir, zigCacheDir };
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
  spawnError?: Error;
}

/** Inputs that can change between builds with the same Zig: not Zig's library, not the global cache. */
function userInputs(server: ServerResult, p: Prepared): string[] {
  const files = new Set<string>();
  for (const input of server.inputs) {
    // 0.17 reports files under the working directory relative to "build_root", which is the same folder here.
    if (input.prefix === 'cwd' || input.prefix === 'build_root') files.add(path.resolve(p.tmpDir, input.subPath));
    else if (input.prefix === 'local_cache') files.add(path.resolve(p.zigCacheDir, input.subPath));
  }
  return [...files].sort();
}

function finish(req: CompileRequest, p: Prepared, startedAt: number, outcome: Outcome): CompiledArtifact {
  const cleanup = () => fs.rmSync(p.tmpDir, { recursive: true, force: true });
  if (outcome.timedOut) {
    cleanup();
    throw new ZigTimeoutError(req.file, req.settings.timeout);
  }
  if (outcome.spawnError) {
    cleanup();
    throw new ZigImportError('ZIGIMPORT_ZIG_BROKEN', `Could not run ${req.zig.path}: ${outcome.spawnError.message}`);
  }
  const server = decodeServerOutput(outcome.stdout, req.zig.version, p.tmpDir);
  const failed = server.diagnostics.some((d) => d.severity === 'error') || !server.digest || outcome.code !== 0;
  const library = server.digest ? emittedLibrary(p.zigCacheDir, server.digest) : '';
  if (failed || !fs.existsSync(library)) {
    cleanup();
    const fromText = parseZigOutput(outcome.stderr, p.tmpDir);
    const parsed = server.diagnostics.length > 0
      ? { diagnostics: server.diagnostics, excerpts: server.excerpts, general: fromText.general }
      : fromText;
    const fallback = outcome.stderr || `zig exited with ${outcome.code ?? outcome.signal} and reported no error`;
    throw new ZigCompileError(req.file, parsed.diagnostics, outcome.stderr, formatCompileMessage(req.file, parsed, fallback));
  }
  // Copy out of Zig's cache: Zig owns that file and may replace it.
  const builtFile = path.join(p.tmpDir, 'addon.node');
  fs.copyFileSync(library, builtFile);
  return {
    builtFile,
    tmpDir: p.tmpDir,
    durationMs: performance.timeOrigin + performance.now() - startedAt,
    startedAt,
    inputs: userInputs(server, p),
    zigCacheHit: server.cacheHit,
    cleanup,
  };
}

/** Compiles, blocking the thread (used by `require()` and the synchronous hooks). */
export function compileModuleSync(req: CompileRequest): CompiledArtifact {
  const p = prepare(req);
  const startedAt = performance.timeOrigin + performance.now();
  const r = childProcess().spawnSync(req.zig.path, p.args, {
    cwd: p.tmpDir,
    input: clientMessages(),
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: req.settings.timeout * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024 * 1024,
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return finish(req, p, startedAt, {
    code: r.status,
    signal: r.signal,
    stdout: r.stdout ?? Buffer.alloc(0),
    stderr: r.stderr?.toString() ?? '',
    timedOut,
    ...(r.error && !timedOut ? { spawnError: r.error } : {}),
  });
}

/**
 * Asynchronous compiles running at once in this process are limited to the number of cores:
 * concurrent `load()` calls of many modules then compile in parallel without oversubscribing
 * the machine (each compile is mostly one busy thread).
 */
const slots = { free: os.availableParallelism(), waiting: [] as (() => void)[] };

async function withSlot<T>(run: () => Promise<T>): Promise<T> {
  if (slots.free > 0) slots.free--;
  else await new Promise<void>((resolve) => slots.waiting.push(resolve));
  try {
    return await run();
  } finally {
    const next = slots.waiting.shift();
    if (next) next();
    else slots.free++;
  }
}

/** Compiles without blocking the event loop. */
export function compileModule(req: CompileRequest): Promise<CompiledArtifact> {
  return withSlot(() => spawnCompile(req));
}

function spawnCompile(req: CompileRequest): Promise<CompiledArtifact> {
  const p = prepare(req);
  const startedAt = performance.timeOrigin + performance.now();
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn(req.zig.path, p.args, { cwd: p.tmpDir, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    let spawnError: Error | undefined;
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.on('error', () => {}); // The compiler may exit before reading (bad flags): its stderr says why.
    child.stdin.end(clientMessages());
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, req.settings.timeout * 1000);
    child.on('error', (err) => (spawnError = err));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        resolve(finish(req, p, startedAt, { code, signal, stdout: Buffer.concat(stdout), stderr, timedOut, ...(spawnError ? { spawnError } : {}) }));
      } catch (err) {
        reject(err);
      }
    });
  });
}
