/**
 * Writes `<name>.d.zig.ts` beside `<name>.zig`: TypeScript's arbitrary-extension convention, so
 * `import { f } from './name.zig'` is typed by it (moduleResolution node16/nodenext/bundler with
 * `allowArbitraryExtensions`). The file is rewritten only when its content changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempNameFor } from '../cache/files.js';
import { ZigImportError } from '../errors.js';
import { findZig } from '../toolchain/find.js';
import { DESCRIPTOR_FORMAT, type ModuleDesc } from './descriptor.js';
import { generateDeclarations, type ZigDocs } from './generate.js';
import { readZigDocs } from './ast.js';
import { loadArtifact, type BuildTarget } from '../target.js';

/** `dir/geometry.zig` → `dir/geometry.d.zig.ts`. */
export function declarationPath(file: string): string {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const stem = base.endsWith('.zig') ? base.slice(0, -4) : base;
  return path.join(dir, `${stem}.d.zig.ts`);
}

/** The binding layer's description of a loaded module's exports. */
export function describeExports(exports: object, file: string): ModuleDesc {
  const describe = (exports as { __zigimport_describe?: unknown }).__zigimport_describe;
  if (typeof describe !== 'function') {
    throw new ZigImportError('ZIGIMPORT_TYPES_FAILED', `${file}: this build has no __zigimport_describe() (binding layer too old); rebuild it`);
  }
  const desc = JSON.parse(String(describe())) as ModuleDesc;
  if (desc.format !== DESCRIPTOR_FORMAT) {
    throw new ZigImportError('ZIGIMPORT_TYPES_FAILED', `${file}: descriptor format ${String(desc.format)}, expected ${DESCRIPTOR_FORMAT}`);
  }
  return desc;
}

export interface DeclarationInput {
  /** The Zig source (absolute). */
  file: string;
  /** The loaded module's exports (for `__zigimport_describe()`). */
  exports: object;
  cacheDir: string;
  zig: string | undefined;
}

/** The declaration text for a loaded module. */
export function declarationsFor(input: DeclarationInput): string {
  const desc = describeExports(input.exports, input.file);
  const toolchain = findZig({ zig: input.zig, cacheDir: input.cacheDir });
  const docs: ZigDocs = readZigDocs(input.file, input.cacheDir, toolchain);
  return generateDeclarations(desc, { sourceName: path.basename(input.file), docs });
}

/** Writes `text` to `target` unless it already holds exactly that; returns whether it wrote. */
export function writeIfChanged(target: string, text: string): boolean {
  try {
    if (fs.readFileSync(target, 'utf8') === text) return false;
  } catch {
    // Missing: write it.
  }
  // Atomic, with the usual permissions of a source file (umask applies).
  const tmp = tempNameFor(target);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return true;
}

/** Generates and writes the declarations of a loaded module; returns the path and whether it changed. */
export function writeDeclarations(input: DeclarationInput): { path: string; written: boolean } {
  const target = declarationPath(input.file);
  return { path: target, written: writeIfChanged(target, declarationsFor(input)) };
}

/** Loads a build (for the CLI, which builds without loading) and writes its declarations. */
export function writeDeclarationsForArtifact(
  file: string,
  build: { artifact: string; target: BuildTarget },
  settings: { cacheDir: string; zig: string | undefined },
): { path: string; written: boolean } {
  return writeDeclarations(artifactInput(file, build, settings));
}

function artifactInput(
  file: string,
  build: { artifact: string; target: BuildTarget },
  settings: { cacheDir: string; zig: string | undefined },
): DeclarationInput {
  const mod = { exports: {} as object };
  loadArtifact(build.target, mod, build.artifact);
  return { file, exports: mod.exports, cacheDir: settings.cacheDir, zig: settings.zig };
}

/** How a declaration file on disk compares with what its module's build declares. */
export type DeclarationState = 'current' | 'stale' | 'missing';

/** `zigimport types --check`: compares the declaration file with what would be written; writes nothing. */
export function checkDeclarationsForArtifact(
  file: string,
  build: { artifact: string; target: BuildTarget },
  settings: { cacheDir: string; zig: string | undefined },
): { path: string; state: DeclarationState } {
  const target = declarationPath(file);
  const expected = declarationsFor(artifactInput(file, build, settings));
  let actual: string;
  try {
    actual = fs.readFileSync(target, 'utf8');
  } catch {
    return { path: target, state: 'missing' };
  }
  // A checkout on Windows may have turned the newlines into CRLF: the same declarations.
  return { path: target, state: actual.replaceAll('\r\n', '\n') === expected ? 'current' : 'stale' };
}
