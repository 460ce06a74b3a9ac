/**
 * TypeScript for the pointer kinds of the descriptor (issue 12, point 2): opaque handles are
 * branded objects, one brand per Zig opaque type, so that a handle of one kind does not type-check
 * where another is expected; a `ref` (a recursive struct pointer) names the struct it points to.
 */

/** The property that brands a handle type: never present at run time, so JS cannot forge one. */
export const HANDLE_BRAND = '__zigHandle';

/** `{ readonly __zigHandle: "m.Window" }`: the branded type of handles to the opaque type `name`. */
export function handleType(name: string): string {
  return `{ readonly ${HANDLE_BRAND}: ${JSON.stringify(name)} }`;
}

/**
 * The type of a `ref` to the struct `zig`: its declared name when the struct has one (the
 * declarations name every public struct), else `object` (an anonymous recursive struct).
 */
export function refType(named: { name: string; inputName: string | undefined } | undefined, dir: 'in' | 'out'): string {
  if (!named) return 'object';
  return dir === 'in' && named.inputName ? named.inputName : named.name;
}

/**
 * The Zig parameters that JavaScript passes: without the lengths of many-item pointers
 * (`lengths`, indexes into `params`), which JS gives as the pointer's array.
 */
export function withoutLengths<T>(params: T[], lengths: number[] | undefined): T[] {
  if (!lengths || lengths.length === 0) return params;
  const drop = new Set(lengths);
  return params.filter((_, i) => !drop.has(i));
}
