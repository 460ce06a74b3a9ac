/**
 * The two cheap tests every hook runs on every specifier: is it a `.zig` file, and is it bare.
 * Kept in a module with no imports so that `zigimport/register` in a process that imports no Zig
 * loads nothing else (the resolver, the errors, the loader stay unloaded until a `.zig` shows up).
 */

/** A `.zig` path or URL, with or without a query and a fragment (`./m.js?x=.zig` is not one). */
const ZIG_SPECIFIER = /^[^?#]*\.zig(\?[^#]*)?(#.*)?$/;

/** True for `.zig` paths and URLs, with or without a query. */
export function isZigSpecifier(specifier: string): boolean {
  // Nearly every specifier of an app is not `.zig`: a substring test settles those, so a process
  // that imports no Zig never runs (nor has V8 compile) the regular expression.
  return specifier.includes('.zig') && ZIG_SPECIFIER.test(specifier);
}

/** True for specifiers that are neither relative, absolute nor URLs: searched in include paths. */
export function isBareSpecifier(specifier: string): boolean {
  return !/^(\.{1,2}[\\/]|\/|[a-zA-Z]:[\\/]|[a-zA-Z][a-zA-Z0-9+.-]*:)/.test(specifier);
}
