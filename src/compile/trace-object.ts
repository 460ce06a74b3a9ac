/**
 * The trace object: std.debug's stack trace machinery (panic traces naming the user's file:line,
 * stack overflow reports), compiled once per Zig version, mode and binding layer into an object
 * file (zig/traces_object.zig) that Debug and ReleaseSafe addons link, instead of compiling it
 * into every addon. Measured on Zig 0.17.1 (x86_64 Debug, simple_math.zig): it was about 0.5 s
 * of each compile's 0.7 s of CPU time. The object is built once (about 0.5 s of CPU) into
 * `tools/` beside the declaration reader and, like it, hash-checked before use
 * (src/toolchain/built-tools.ts).
 *
 * Host Linux addons only: they are the ones whose traces come from it (zig/panic.zig,
 * zig/signals.zig). Builds for other targets, shipped builds (which must not depend on an object
 * built on this machine) and Zig projects (their own build.zig) compile the machinery in, as
 * before; so does any build when making the object fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OptimizeMode } from '../config/settings.js';
import type { ZigToolchain } from '../toolchain/find.js';
import { PRIVATE_FILE_MODE } from '../cache/files.js';
import { bindingLayerHash } from '../cache/key.js';
import { BINDING_DIR } from '../paths.js';
import { needsLlvmBackend } from '../toolchain/versions.js';
import { ensureBuiltTool } from '../toolchain/built-tools.js';
import type { Op } from '../effects.js';
import type { BuildTarget } from '../target.js';
import type { StepLog } from '../log.js';
import { runZig } from './run.js';

export const TRACES_ROOT = path.join(BINDING_DIR, 'traces_object.zig');

/**
 * Whether a build of `optimize` for `target` links the trace object: the modes with panic traces
 * (those that link libc for them, see command.ts), on the host, on Linux.
 */
export function usesTraceObject(optimize: OptimizeMode, target: BuildTarget): boolean {
  if (target.kind !== 'node-api' || !target.host || target.shipped || target.os !== 'linux') return false;
  return optimize === 'Debug' || optimize === 'ReleaseSafe';
}

/**
 * `build-obj` flags. The CPU is the baseline one: the object may be shared by machines with one
 * home folder, and the code only runs when a program has already failed. The backend is the one
 * the addon gets (an object and the addon it is linked into must agree on thread-locals).
 */
function objectArgs(optimize: OptimizeMode, zig: ZigToolchain, cpu: string): string[] {
  const args = ['build-obj', TRACES_ROOT, '-O', optimize, '-mcpu=baseline', '-fPIC', '-lc', '--name', 'zigimport_traces', '--color', 'off'];
  if (needsLlvmBackend(zig.version, optimize, cpu)) args.push('-fllvm');
  return args;
}

function* buildObject(out: string, tmp: string, args: string[], zig: ZigToolchain, timeoutMs: number): Op<void> {
  const r = yield* runZig(zig.path, [...args, '--cache-dir', path.join(tmp, 'zig-cache'), `-femit-bin=${out}`], { cwd: tmp, timeoutMs });
  if (r.code !== 0 || r.timedOut || r.spawnError || !fs.existsSync(out)) {
    throw new Error(r.timedOut ? 'timed out' : (r.spawnError?.message ?? (r.stderr.trim() || `exit ${r.code ?? r.signal}`)));
  }
}

/**
 * The trace object for this build, built on first use; undefined when the build does not use one
 * or it cannot be built (then the addon compiles the machinery in, and the log says why).
 */
export function* traceObjectFor(
  cacheDir: string,
  zig: ZigToolchain,
  optimize: OptimizeMode,
  target: BuildTarget,
  log: StepLog | undefined,
  timeoutMs: number,
): Op<string | undefined> {
  if (!usesTraceObject(optimize, target) || target.kind !== 'node-api') return undefined;
  const args = objectArgs(optimize, zig, target.cpu);
  // The binding layer's hash covers the object's sources; the flags and Zig's version the rest.
  const name = `zigimport-traces-${zig.version}-${optimize}-${bindingLayerHash().slice(0, 16)}${args.includes('-fllvm') ? '-llvm' : ''}.o`;
  const started = performance.now();
  try {
    const file = yield* ensureBuiltTool(cacheDir, {
      fileName: name,
      mode: PRIVATE_FILE_MODE,
      timeoutMs,
      build: (out, tmp) => buildObject(out, tmp, args, zig, timeoutMs),
    });
    log?.step('trace object', performance.now() - started, path.basename(file));
    return file;
  } catch (err) {
    log?.info(`trace object unavailable, compiling the trace machinery into the addon: ${(err as Error).message}`);
    return undefined;
  }
}
