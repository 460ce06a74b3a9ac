/**
 * Names and doc comments from the Zig source, read with Zig's own parser: zig/ast/main.zig is
 * built once per Zig version (and per version of that program) and run once per file. It prints
 * JSON (`ZigDocs`). The tool depends on nothing else, so it is shared by every cache folder: it is
 * built into `~/.zigimport/tools/` (or `<buildDir>/tools/` where that is not writable).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { BINDING_DIR } from '../paths.js';
import { ensurePrivateDir, sha256 } from '../cache/files.js';
import { defaultBuildDir } from '../config/settings.js';
import { ZigImportError } from '../errors.js';
import type { ZigToolchain } from '../toolchain/find.js';
import type { ZigDocs } from './generate.js';

export const AST_TOOL_SOURCE = path.join(BINDING_DIR, 'ast', 'main.zig');

const EXE = process.platform === 'win32' ? '.exe' : '';
let sourceHash: string | undefined;

/** Where the tool for this Zig lives (built or not), in the shared folder or the build dir's. */
export function astToolPath(buildDir: string, zig: ZigToolchain, shared = true): string {
  sourceHash ??= sha256(fs.readFileSync(AST_TOOL_SOURCE)).slice(0, 16);
  return path.join(shared ? defaultBuildDir() : buildDir, 'tools', `zigimport-ast-${zig.version}-${sourceHash}${EXE}`);
}

/** The folder to build the tool into: the shared one if it can be created, else the build dir's. */
function writableToolsDir(buildDir: string, zig: ZigToolchain): string {
  const shared = path.dirname(astToolPath(buildDir, zig, true));
  try {
    ensurePrivateDir(shared);
    fs.accessSync(shared, fs.constants.W_OK);
    return shared;
  } catch {
    const own = path.dirname(astToolPath(buildDir, zig, false));
    ensurePrivateDir(own);
    return own;
  }
}

/** Builds the tool unless it is there already; returns its path. Safe with concurrent builders. */
export function ensureAstTool(buildDir: string, zig: ZigToolchain, timeoutMs = 300_000): string {
  for (const shared of [true, false]) {
    const existing = astToolPath(buildDir, zig, shared);
    if (fs.existsSync(existing)) return existing;
  }
  const toolsDir = writableToolsDir(buildDir, zig);
  const tool = path.join(toolsDir, path.basename(astToolPath(buildDir, zig)));
  const tmp = path.join(toolsDir, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  ensurePrivateDir(tmp);
  try {
    const out = path.join(tmp, `ast${EXE}`);
    try {
      execFileSync(
        zig.path,
        ['build-exe', AST_TOOL_SOURCE, '-O', 'Debug', '--name', 'ast', '--color', 'off', '--cache-dir', path.join(buildDir, 'zig-cache'), `-femit-bin=${out}`],
        { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, encoding: 'utf8' },
      );
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? '';
      throw new ZigImportError('ZIGIMPORT_TYPES_FAILED', `Building zigimport's Zig source reader with Zig ${zig.version} failed: ${stderr || (err as Error).message}`);
    }
    // Atomic: a concurrent builder's identical result may already be in place; either wins
    // (where a running executable cannot be replaced, as on Windows, keep the one in place).
    try {
      fs.renameSync(out, tool);
    } catch (err) {
      if (!fs.existsSync(tool)) throw err;
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return tool;
}

/** Parameter names and doc comments of `file`'s declarations. */
export function readZigDocs(file: string, buildDir: string, zig: ZigToolchain): ZigDocs {
  const tool = ensureAstTool(buildDir, zig);
  let text: string;
  try {
    text = execFileSync(tool, [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new ZigImportError('ZIGIMPORT_TYPES_FAILED', `Reading ${file} with zigimport's Zig source reader failed: ${stderr || (err as Error).message}`);
  }
  return JSON.parse(text) as ZigDocs;
}
