/**
 * The two cheap tests every hook runs on every specifier: is it a `.zig` file, and is it bare.
 * Kept in a module with no imports so that `zigimport/register` in a process that imports no Zig
 * loads nothing else (the resolver, the errors, the loader stay unloaded until a `.zig` shows up).
 */

/** True for `.zig` paths and URLs, with or without a query. */
export function isZigSpecifier(specifier: string): boolean {
  return /\.zig(\?[^#]*)?(#.*)?$/.test(specifier);
}

/** True for specifiers that are neither relative, absolute nor URLs: searched in include paths. */
export function isBareSpecifier(specifier: string): boolean {
  return !/^(\.{1,2}[\\/]|\/|[a-zA-Z]:[\\/]|[a-zA-Z][a-zA-Z0-9+.-]*:)/.test(specifier);
}
