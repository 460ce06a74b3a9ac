/**
 * Names and doc comments from the Zig source, read with Zig's own parser: zig/ast/main.zig is
 * built once per Zig version (and per version of that program) into `<buildDir>/tools/` and run
 * once per file. It prints JSON (`ZigDocs`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { BINDING_DIR } from '../paths.js';
import { ensurePrivateDir, sha256 } from '../cache/files.js';
import { ZigImportError } from '../errors.js';
import type { ZigToolchain } from '../toolchain/find.js';
import type { ZigDocs } from './generate.js';

export const AST_TOOL_SOURCE = path.join(BINDING_DIR, 'ast', 'main.zig');

const EXE = process.platform === 'win32' ? '.exe' : '';
let sourceHash: string | undefined;

/** Where the tool for this Zig lives (built or not). */
export function astToolPath(buildDir: string, zig: ZigToolchain): string {
  sourceHash ??= sha256(fs.readFileSync(AST_TOOL_SOURCE)).slice(0, 16);
  return path.join(buildDir, 'tools', `zigimport-ast-${zig.version}-${sourceHash}${EXE}`);
}

/** Builds the tool unless it is there already; returns its path. Safe with concurrent builders. */
export function ensureAstTool(buildDir: string, zig: ZigToolchain, timeoutMs = 300_000): string {
  const tool = astToolPath(buildDir, zig);
  if (fs.existsSync(tool)) return tool;
  const toolsDir = path.dirname(tool);
  ensurePrivateDir(toolsDir);
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
