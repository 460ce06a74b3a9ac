/**
 * Runs the Zig compiler for one module into a private temporary folder. The caller publishes
 * the result into the store; a compile that fails, times out or is killed leaves only its
 * temporary folder, which nothing ever loads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Settings } from '../config/settings.js';
import type { ZigToolchain } from '../toolchain/find.js';
import { ZigCompileError, ZigImportError, ZigTimeoutError } from '../errors.js';
import { ensurePrivateDir } from '../cache/files.js';
import { compileArgs } from './command.js';
import { formatCompileMessage, parseZigOutput } from './diagnostics.js';

export interface CompileRequest {
  file: string;
  key: string;
  settings: Pick<Settings, 'optimize' | 'buildDir' | 'timeout'>;
  zig: ZigToolchain;
}

export interface CompiledArtifact {
  /** The built library, inside `tmpDir`. */
  builtFile: string;
  tmpDir: string;
  durationMs: number;
  /** Removes the temporary folder. */
  cleanup(): void;
}

interface Prepared {
  args: string[];
  tmpDir: string;
  builtFile: string;
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

function prepare(req: CompileRequest): Prepared {
  removeAbandoned(path.join(req.settings.buildDir, 'tmp'));
  const tmpDir = path.join(req.settings.buildDir, 'tmp', `${req.key.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  ensurePrivateDir(tmpDir);
  const builtFile = path.join(tmpDir, 'addon.node');
  const args = compileArgs({
    file: req.file,
    optimize: req.settings.optimize,
    outFile: builtFile,
    zigCacheDir: path.join(req.settings.buildDir, 'zig-cache'),
  });
  return { args, tmpDir, builtFile };
}

function finish(req: CompileRequest, p: Prepared, started: number, outcome: Outcome): CompiledArtifact {
  const cleanup = () => fs.rmSync(p.tmpDir, { recursive: true, force: true });
  if (outcome.timedOut) {
    cleanup();
    throw new ZigTimeoutError(req.file, req.settings.timeout);
  }
  if (outcome.spawnError) {
    cleanup();
    throw new ZigImportError('ZIGIMPORT_ZIG_BROKEN', `Could not run ${req.zig.path}: ${outcome.spawnError.message}`);
  }
  if (outcome.code !== 0 || !fs.existsSync(p.builtFile)) {
    cleanup();
    const parsed = parseZigOutput(outcome.stderr, p.tmpDir);
    const fallback = outcome.stderr || `zig exited with ${outcome.code ?? outcome.signal}`;
    throw new ZigCompileError(req.file, parsed.diagnostics, outcome.stderr, formatCompileMessage(req.file, parsed, fallback));
  }
  return { builtFile: p.builtFile, tmpDir: p.tmpDir, durationMs: Date.now() - started, cleanup };
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  timedOut: boolean;
  spawnError?: Error;
}

/** Compiles, blocking the thread (used by `require()` and the synchronous hooks). */
export function compileModuleSync(req: CompileRequest): CompiledArtifact {
  const p = prepare(req);
  const started = Date.now();
  const r = spawnSync(req.zig.path, p.args, {
    cwd: p.tmpDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: req.settings.timeout * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return finish(req, p, started, {
    code: r.status,
    signal: r.signal,
    stderr: `${r.stderr ?? ''}${r.stdout ?? ''}`,
    timedOut,
    ...(r.error && !timedOut ? { spawnError: r.error } : {}),
  });
}

/** Compiles without blocking the event loop. */
export function compileModule(req: CompileRequest): Promise<CompiledArtifact> {
  const p = prepare(req);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(req.zig.path, p.args, { cwd: p.tmpDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let timedOut = false;
    let spawnError: Error | undefined;
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, req.settings.timeout * 1000);
    child.on('error', (err) => (spawnError = err));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        resolve(finish(req, p, started, { code, signal, stderr: output, timedOut, ...(spawnError ? { spawnError } : {}) }));
      } catch (err) {
        reject(err);
      }
    });
  });
}
