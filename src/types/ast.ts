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
import { execFileSync } from 'node:child_process';
import { BINDING_DIR } from '../paths.js';
import { runZig } from '../compile/run.js';
import { PRIVATE_EXE_MODE, sha256 } from '../cache/files.js';
import { performSync, type Op } from '../effects.js';
import { ensureBuiltTool } from '../toolchain/built-tools.js';
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

/** Compiles the tool: a private Zig cache, like every compile's, and the parent guard of run.ts. */
function* buildTool(out: string, tmp: string, zig: ZigToolchain, timeoutMs: number): Op<void> {
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
  const r = yield* runZig(zig.path, args, { cwd: tmp, timeoutMs });
  if (r.code !== 0 || r.timedOut || r.spawnError) {
    const why = r.timedOut ? `timed out after ${Math.round(timeoutMs / 1000)} s` : (r.spawnError?.message ?? (r.stderr || `exit ${r.code ?? r.signal}`));
    throw new ZigImportError('ZIGIMPORT_TYPES_FAILED', `Building zigimport's Zig source reader with Zig ${zig.version} failed: ${why}`);
  }
  if (!fs.existsSync(out)) throw new ZigImportError('ZIGIMPORT_TYPES_FAILED', `Zig built no source reader at ${out}`);
}

/**
 * Returns the path of an intact tool for this Zig, building it when it is missing or does not
 * match its hash record (src/toolchain/built-tools.ts).
 */
export function ensureAstTool(cacheDir: string, zig: ZigToolchain, timeoutMs = 300_000): string {
  return performSync(
    ensureBuiltTool(cacheDir, {
      fileName: toolName(zig),
      mode: PRIVATE_EXE_MODE,
      timeoutMs,
      build: (out, tmp) => buildTool(out, tmp, zig, timeoutMs),
    }),
  );
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
