/**
 * What a WebAssembly build cannot have, refused before the compiler runs with the setting named:
 * wasm32-freestanding has no C library and no system libraries to link.
 */
import { ZigImportError } from '../errors.js';
import type { ModuleOptions } from '../config/module-options.js';

export function checkWasmModuleOptions(file: string, m: ModuleOptions): void {
  const refused = [...(m.linkLibc ? ['link_libc=true'] : []), ...(m.linkSystem.length > 0 ? [`link_system=${m.linkSystem.join(' ')}`] : [])];
  if (refused.length === 0) return;
  throw new ZigImportError(
    'ZIGIMPORT_WASM_UNSUPPORTED',
    `${file}: its "//! zigimport: ${refused.join(', ')}" cannot be built for WebAssembly (wasm32-freestanding has no C library or system libraries). Build this module for the native target, or remove the setting and the code that needs it.`,
  );
}
