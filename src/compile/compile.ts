/**
 * Runs the Zig compiler for one module in a private temporary folder; the caller publishes the
 * library into the store. A compile that fails, times out or is killed leaves only its temporary
 * folder, which nothing ever loads.
 *
 * Every compile gets a fresh Zig local cache (`--cache-dir`) inside that folder, removed with it.
 * Zig's cache trusts a file whose size, inode and mtime are unchanged, so a shared one answers a
 * same-length in-place edit with a restored mtime (`touch -r`, `cp -p`, npm's pinned mtimes) with
 * the old build. A private one has nothing to answer from; zigimport's own store, keyed by
 * content, is the only cache. Measured on Zig 0.17.1, 2 cores: an edited plain module compiles
 * in the same time either way (type_matrix.zig Debug 1.1–1.2 s, ReleaseFast 3.1–3.2 s: the
 * standard library, compiler_rt and libc live in Zig's global cache). A project module pays for
 * compiling its build runner again (examples/zig_package: 2.1 s instead of 0.8 s), as a cache
 * keyed by the content of every input would on each edit too.
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
import { removeAbandonedTmp } from '../cache/live.js';
import { findProject, type ZigProject } from '../project/find.js';
import { writeProject } from '../project/generate.js';
import { configureCommand, findCompileCommand, type ConfigureCommand } from '../project/configure.js';
import { configureHeader, defineHint, packageHints } from '../project/hints.js';
import { runZig, type Outcome } from './run.js';
import { SlotPool, takeSlot, type Op } from '../effects.js';
import { artifactExtension, requireNodeApi, type BuildTarget } from '../target.js';
import { needsLlvmBackend } from '../toolchain/versions.js';
import { bindingNeedsLibc, compileArgs, emittedLibrary, LIBRARY_NAME, type CompileCommandInput } from './command.js';
import { formatCompileMessage, parseZigOutput } from './diagnostics.js';
import { traceObjectFor } from './trace-object.js';
import type { StepLog } from '../log.js';
import { clientMessages, decodeServerOutput, type ServerResult } from './server.js';

export interface CompileRequest {
  file: string;
  /** Names the temporary folder. */
  label: string;
  settings: Pick<Settings, 'optimize' | 'cacheDir' | 'timeout'>;
  zig: ZigToolchain;
  module: ModuleOptions;
  target: BuildTarget;
  /** Where the trace object's steps are logged. */
  log?: StepLog;
}

export interface CompiledArtifact {
  /** The built library, inside `tmpDir`. */
  builtFile: string;
  tmpDir: string;
  durationMs: number;
  /** Wall-clock ms (comparable with ctimes) when the compiler started: inputs changed after this may not be in the build. */
  startedAt: number;
  /** A project's manifests and hook (also in `inputs`), read when `zig build` started. */
  graphInputs: string[];
  /** Wall-clock ms when `zig build` started (the compile itself when there is no project). */
  graphStartedAt: number;
  /** Absolute paths of the files the compiler read, outside Zig's own library and global cache. */
  inputs: string[];
  /** Removes the temporary folder. */
  cleanup(): void;
}

interface Workspace {
  tmpDir: string;
  zigCacheDir: string;
}

interface Prepared extends Workspace {
  /** `build-lib ...` arguments. */
  args: string[];
  /** Where the compiler runs: relative paths in `args` and in its reports start here. */
  cwd: string;
  /** Files that shape the build but that the compiler does not report (a project's manifests and hook). */
  graphInputs: string[];
  /** The trace object linked in, if any: not an input to record (its name carries what built it). */
  traceObject?: string | undefined;
  project?: ZigProject;
}

/** A project module's `zig build` step, to run before the compile. */
interface PendingConfigure {
  ws: Workspace;
  command: ConfigureCommand;
  project: ZigProject;
}

/** A plain module's compile, before the trace object is known (trace-object.ts). */
interface PendingPlain {
  ws: Workspace;
  input: CompileCommandInput;
}

type Setup = { plain: PendingPlain; configure?: undefined } | { configure: PendingConfigure; plain?: undefined };

function workspace(req: CompileRequest): Workspace {
  // What killed compiles left: runs only on a cache miss.
  removeAbandonedTmp(path.join(req.settings.cacheDir, 'tmp'));
  const tmpDir = path.join(req.settings.cacheDir, 'tmp', `${req.label.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  ensurePrivateDir(tmpDir);
  return { tmpDir, zigCacheDir: path.join(tmpDir, 'zig-cache') };
}

/** The plain `build-lib` command, or, for a module in a Zig project, the `zig build` to run first. */
function setup(req: CompileRequest): Setup {
  const ws = workspace(req);
  let project: ZigProject | undefined;
  try {
    project = findProject(req.file, req.module);
  } catch (err) {
    fs.rmSync(ws.tmpDir, { recursive: true, force: true });
    throw err;
  }
  if (!project) {
    const input = {
      file: req.file,
      optimize: req.settings.optimize,
      zigCacheDir: ws.zigCacheDir,
      module: req.module,
      zigVersion: req.zig.version,
      target: req.target,
    };
    return { plain: { ws, input } };
  }
  const nodeApi = requireNodeApi(req.target, `${req.file} is in a Zig package (build.zig.zon), which`);
  const buildFile = writeProject(path.join(req.settings.cacheDir, 'projects', req.label.slice(0, 32)), {
    file: req.file,
    project,
    optimize: req.settings.optimize,
    module: req.module,
    traces: bindingNeedsLibc(req.settings.optimize),
    llvm: needsLlvmBackend(req.zig.version, req.settings.optimize, nodeApi.cpu),
    libraryName: LIBRARY_NAME,
    target: nodeApi,
  });
  return { configure: { ws, project, command: configureCommand(buildFile, ws.zigCacheDir, project.defines, req.zig.version, req.settings.cacheDir) } };
}

function failRun(req: CompileRequest, ws: Workspace, outcome: Outcome): void {
  if (outcome.timedOut) {
    fs.rmSync(ws.tmpDir, { recursive: true, force: true });
    throw new ZigTimeoutError(req.file, req.settings.timeout);
  }
  if (outcome.spawnError) {
    fs.rmSync(ws.tmpDir, { recursive: true, force: true });
    throw new ZigImportError('ZIGIMPORT_ZIG_BROKEN', `Could not run ${req.zig.path}: ${outcome.spawnError.message}`);
  }
}

/** After `zig build`: the compile command it ran, or its own errors (manifest, fetch, hook). */
function configured(req: CompileRequest, pending: PendingConfigure, outcome: Outcome): Prepared {
  failRun(req, pending.ws, outcome);
  const found = findCompileCommand(outcome.stderr, LIBRARY_NAME, pending.command.cwd);
  if (!found) {
    fs.rmSync(pending.ws.tmpDir, { recursive: true, force: true });
    const parsed = parseZigOutput(outcome.stderr, pending.command.cwd);
    const fallback = outcome.stderr || `zig build exited with ${outcome.code ?? outcome.signal} and reported no error`;
    const message = formatCompileMessage(req.file, parsed, fallback).replace(/^.*\n/, `${configureHeader(req.file, pending.project)}\n`);
    const hints = [...defineHint(outcome.stderr, pending.project), ...packageHints(req.file, parsed.diagnostics, pending.project)];
    throw new ZigCompileError(req.file, parsed.diagnostics, outcome.stderr, [message, ...hints].join('\n\n'));
  }
  return {
    tmpDir: pending.ws.tmpDir,
    zigCacheDir: found.zigCacheDir,
    args: found.args,
    cwd: found.cwd,
    graphInputs: pending.project.graphInputs,
    project: pending.project,
  };
}

/** A plain module's command, linking the trace object when the build uses one (built once, on first use). */
function* withTraceObject(req: CompileRequest, plain: PendingPlain): Op<Prepared> {
  const traceObject = yield* traceObjectFor(req.settings.cacheDir, req.zig, req.settings.optimize, req.target, req.log, timeoutMs(req));
  return { ...plain.ws, args: compileArgs({ ...plain.input, traceObject }), cwd: plain.ws.tmpDir, graphInputs: [], traceObject };
}

/** Wall clock, as file ctimes are: the race check compares the two. */
function now(): number {
  return Date.now();
}

function timeoutMs(req: CompileRequest): number {
  return req.settings.timeout * 1000;
}

/**
 * Inputs that can change between builds with the same Zig: not Zig's library, not the global
 * cache, and not files that `zig build` steps generated into this compile's private cache (they
 * are made from the project's graph inputs, which are recorded, and are gone after the publish),
 * and not the trace object (trace-object.ts: its name says what built it, and the key has that).
 */
function userInputs(server: ServerResult, p: Prepared): string[] {
  const files = new Set<string>(p.graphInputs);
  const own = p.tmpDir + path.sep;
  for (const input of server.inputs) {
    // 0.17 reports files under the working directory relative to "build_root", which is the same folder here.
    const file = input.prefix === 'cwd' || input.prefix === 'build_root' ? path.resolve(p.cwd, input.subPath) : undefined;
    if (file && !file.startsWith(own) && file !== p.traceObject) files.add(file);
  }
  return [...files].sort();
}

function finish(req: CompileRequest, p: Prepared, times: { graph: number; compile: number }, outcome: Outcome): CompiledArtifact {
  const cleanup = () => fs.rmSync(p.tmpDir, { recursive: true, force: true });
  failRun(req, p, outcome);
  const server = decodeServerOutput(outcome.stdout, req.zig.version, p.cwd);
  const failed = server.diagnostics.some((d) => d.severity === 'error') || !server.digest || outcome.code !== 0;
  const library = server.digest ? emittedLibrary(p.zigCacheDir, server.digest, req.target) : '';
  if (failed || !fs.existsSync(library)) {
    cleanup();
    const fromText = parseZigOutput(outcome.stderr, p.cwd);
    const parsed =
      server.diagnostics.length > 0
        ? { diagnostics: server.diagnostics, excerpts: server.excerpts, general: fromText.general, compileLog: server.compileLog }
        : fromText;
    const fallback = outcome.stderr || `zig exited with ${outcome.code ?? outcome.signal} and reported no error`;
    const hints = packageHints(req.file, parsed.diagnostics, p.project);
    throw new ZigCompileError(req.file, parsed.diagnostics, outcome.stderr, [formatCompileMessage(req.file, parsed, fallback), ...hints].join('\n\n'));
  }
  // Zig's cache is private to this compile, so the library can be moved out rather than copied.
  const builtFile = path.join(p.tmpDir, `addon${artifactExtension(req.target)}`);
  try {
    fs.renameSync(library, builtFile);
  } catch (err) {
    cleanup();
    throw err;
  }
  return {
    builtFile,
    tmpDir: p.tmpDir,
    durationMs: now() - times.graph,
    // Files `zig build` wrote meanwhile (fetched packages) are not edits: only the compile's own
    // start counts for what the compiler read.
    startedAt: times.compile,
    graphInputs: p.graphInputs,
    graphStartedAt: times.graph,
    inputs: userInputs(server, p),
    cleanup,
  };
}

/**
 * Non-blocking compiles running at once in this process are limited to the number of cores:
 * concurrent `load()` calls of many modules then compile in parallel without oversubscribing
 * the machine (each compile is mostly one busy thread). A blocking compile takes no slot: it
 * holds the whole thread (see SlotPool).
 */
const compileSlots = new SlotPool(os.availableParallelism());

/** Compiles one module: an operation for either driver (src/effects.ts). */
export function* compileModule(req: CompileRequest): Op<CompiledArtifact> {
  const slot = yield* takeSlot(compileSlots);
  try {
    const graph = now();
    const s = setup(req);
    const p = s.configure
      ? configured(req, s.configure, yield* runZig(req.zig.path, s.configure.command.args, { cwd: s.configure.command.cwd, timeoutMs: timeoutMs(req) }))
      : yield* withTraceObject(req, s.plain);
    const compile = now();
    return finish(req, p, { graph, compile }, yield* runZig(req.zig.path, p.args, { cwd: p.cwd, input: clientMessages(), timeoutMs: timeoutMs(req) }));
  } finally {
    if (slot) compileSlots.release();
  }
}
