/**
 * Loads a built `.wasm` into this process (Node, Bun, Deno): the WebAssembly side of
 * `loadArtifact` (src/target.ts). Compiled modules are kept per file, since a content-addressed
 * artifact never changes; each load is a new instance with its own memory, as each `dlopen` of
 * a native addon gets its own globals per thread.
 */
import * as fs from 'node:fs';
import { instantiateZigWasmSync } from './runtime.js';

const compiled = new Map<string, WebAssembly.Module>();

export function loadWasmArtifact(mod: { exports: unknown }, file: string): void {
  let wasm = compiled.get(file);
  if (!wasm) {
    try {
      wasm = new WebAssembly.Module(fs.readFileSync(file));
    } catch (err) {
      // Reported as the dynamic loader's refusal is, so a damaged cached build is rebuilt once.
      throw Object.assign(new Error(`${file} cannot be loaded as WebAssembly: ${(err as Error).message}`), { code: 'ERR_DLOPEN_FAILED', cause: err });
    }
    compiled.set(file, wasm);
  }
  mod.exports = instantiateZigWasmSync(wasm);
}
