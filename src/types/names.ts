/** TypeScript names for Zig names: properties, parameters, and identifiers free of reserved words. */

export const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with yield let static ' +
    'implements interface package private protected public await arguments eval'
  ).split(' '),
);

export const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function isPlainIdentifier(name: string): boolean {
  return IDENT.test(name) && !RESERVED.has(name);
}

export function propName(name: string): string {
  return IDENT.test(name) ? name : JSON.stringify(name);
}

export function paramName(name: string | null | undefined, i: number, used: Set<string>): string {
  let n = name && IDENT.test(name) ? name : name ? name.replace(/[^A-Za-z0-9_$]/g, '_').replace(/^(?=[0-9])/, '_') : `arg${i}`;
  if (RESERVED.has(n)) n = `_${n}`;
  while (used.has(n)) n = `_${n}`;
  used.add(n);
  return n;
}
