/**
 * What Zig's own parser reads from a module's source for its declarations (zig/ast/main.zig):
 * names and doc comments, and the helpers that turn them into JSDoc.
 */

/** What zig/ast/main.zig prints for one file. */
export interface ZigDocs {
  format: 1;
  /** The parser reported syntax errors (the rest may be partial). */
  errors: boolean;
  /** The module's `//!` doc comment. */
  doc: string | null;
  module: ZigContainerDocs;
}

export interface ZigContainerDocs {
  decls: Record<string, ZigDeclDocs>;
  fields: Record<string, { doc: string | null }>;
}

export type ZigDeclDocs =
  | { kind: 'fn'; doc: string | null; params: ZigParamDocs[] }
  | { kind: 'const' | 'var'; doc: string | null; container?: ZigContainerDocs };

export interface ZigParamDocs {
  name: string | null;
  comptime: boolean;
  allocator: boolean;
  doc: string | null;
}

/** A JSDoc block (indented), or nothing when there is nothing to say. */
export function jsdoc(lines: string[], indent: string): string[] {
  const body = lines.flatMap((l) => l.split('\n')).map((l) => l.replace(/\*\//g, '*\\/'));
  while (body.length > 0 && body[body.length - 1] === '') body.pop();
  if (body.length === 0) return [];
  if (body.length === 1) return [`${indent}/** ${body[0]} */`];
  return [`${indent}/**`, ...body.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`];
}

/** The docs of the declaration behind a Zig type name such as `user.geometry.Point`. */
export function findTypeDocs(docs: ZigDocs, zig: string): { doc: string | null; container?: ZigContainerDocs | undefined } | undefined {
  const parts = zig.split('.');
  // The leading segments name the module (its root file); try the longest path that resolves.
  for (let start = 0; start < parts.length; start++) {
    let c: ZigContainerDocs | undefined = docs.module;
    let d: ZigDeclDocs | undefined;
    for (const p of parts.slice(start)) {
      d = c?.decls[p];
      c = d && d.kind !== 'fn' ? d.container : undefined;
      if (!d) break;
    }
    if (d && d.kind !== 'fn') return { doc: d.doc, container: d.container };
  }
  return undefined;
}
