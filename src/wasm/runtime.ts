/**
 * Instantiates a zigimport WebAssembly module: the binding layer compiled to wasm32 against
 * emnapi, a JavaScript implementation of Node-API. The same exports object the Node-API addon
 * gives (classes, callbacks, `pub var`, errors, the descriptor), in Node, Bun, Deno and browsers:
 * this file uses no Node module, so bundlers ship it as the `.zig` import's glue.
 *
 * emnapi keeps a JavaScript ArrayBuffer apart from wasm memory: a data pointer it hands out points
 * at a copy made once and cached, which Zig's writes never leave and later JavaScript writes never
 * reach. The binding layer borrows typed arrays and fills new ArrayBuffers through such pointers,
 * so `memory-sync` gives them call-scoped copies instead (see `MemorySync`).
 */
import { instantiateNapiModule, instantiateNapiModuleSync } from '@emnapi/core';
import { getDefaultContext } from '@emnapi/runtime';
import { MemorySync, type NapiFunctions, type WasmExports } from './memory-sync.js';
import { lastErrorInfoImport } from './last-error.js';
import { installFastPaths } from './fast-path.js';
import { createFunctionAnyName } from './function-names.js';

/** What a zigimport module exports: its functions, classes, constants and the descriptor. */
export type WasmModuleExports = Record<string, unknown>;

type Imports = Record<string, Record<string, unknown>>;

/** One instantiation's options for emnapi, with the memory-sync layer wired in. */
function napiOptions(sync: MemorySync) {
  const context = getDefaultContext();
  return {
    context,
    // The binding layer declares Node-API functions as plain `extern fn`: wasm imports from `env`.
    overwriteImports(imports: Imports): Imports {
      const napi = imports.napi as NapiFunctions;
      // emnapi files its internal `_emnapi_*` helpers under `env`.
      const lastError = lastErrorInfoImport(imports.env as NapiFunctions, () => sync.wasm);
      imports.env = {
        ...imports.env,
        ...napi,
        ...imports.emnapi,
        ...sync.imports(napi),
        ...bigintStatusFixes(napi, imports.env as NapiFunctions),
        ...createFunctionAnyName(napi, context, () => sync.wasm),
        napi_get_last_error_info: lastError,
      };
      return imports;
    },
    getTable: (exports: WasmExports) => sync.table(exports),
    beforeInit: ({ instance }: { instance: WebAssembly.Instance }) => sync.attach(instance.exports as WasmExports),
  };
}

const NUMBER_EXPECTED = 6;
const BIGINT_EXPECTED = 17;

/**
 * emnapi answers `napi_number_expected` where Node answers `napi_bigint_expected` (a number given
 * for a 64-bit integer): the binding layer reads such numbers after that status, as in Node.
 */
function bigintStatusFixes(napi: NapiFunctions, internals: NapiFunctions): NapiFunctions {
  const fix =
    (name: string) =>
    (env: number, ...rest: unknown[]): number => {
      const status = napi[name]!(env, ...rest);
      if (status !== NUMBER_EXPECTED) return status;
      internals.napi_set_last_error!(env, BIGINT_EXPECTED, 0, 0);
      return BIGINT_EXPECTED;
    };
  return { napi_get_value_bigint_int64: fix('napi_get_value_bigint_int64'), napi_get_value_bigint_uint64: fix('napi_get_value_bigint_uint64') };
}

/** After registration: the copies it made settled, the fast paths installed. */
function ready(exports: WasmModuleExports, sync: MemorySync): WasmModuleExports {
  sync.settle();
  installFastPaths(exports, sync.wasm, sync);
  return exports;
}

/** Instantiates `bytes` (or a compiled module) synchronously: for Node's `require`. */
export function instantiateZigWasmSync(bytes: BufferSource | WebAssembly.Module): WasmModuleExports {
  const sync = new MemorySync();
  const { napiModule } = instantiateNapiModuleSync(bytes, napiOptions(sync) as never);
  return ready(napiModule.exports as WasmModuleExports, sync);
}

/** Instantiates `bytes`, a compiled module or a fetched `Response` (browsers compile it off-thread). */
export async function instantiateZigWasm(source: BufferSource | WebAssembly.Module | Response | PromiseLike<Response>): Promise<WasmModuleExports> {
  const sync = new MemorySync();
  const resolved = await source;
  const input = isResponse(resolved) ? await compileResponse(resolved) : resolved;
  const { napiModule } = await instantiateNapiModule(input, napiOptions(sync) as never);
  return ready(napiModule.exports as WasmModuleExports, sync);
}

function isResponse(v: unknown): v is Response {
  return typeof Response !== 'undefined' && v instanceof Response;
}

async function compileResponse(res: Response): Promise<WebAssembly.Module> {
  if (!res.ok) throw new Error(`zigimport: fetching ${res.url} failed: HTTP ${res.status}`);
  // Servers that send another type make compileStreaming throw: fall back to the bytes.
  if (res.headers.get('content-type')?.startsWith('application/wasm')) return WebAssembly.compileStreaming(res);
  return WebAssembly.compile(await res.arrayBuffer());
}

/** Decodes a base64 `.wasm` inlined by a bundler plugin. */
export function wasmBytesFromBase64(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * The wasm source for an emitted asset's URL: fetched (browsers, Deno, Bun), or read from disk
 * when the bundle runs in Node from a file: URL (Node's fetch does not read files).
 */
export async function wasmSourceFromUrl(url: string | URL): Promise<BufferSource | Response> {
  const u = new URL(String(url), typeof location === 'undefined' ? undefined : location.href);
  if (u.protocol === 'file:' && typeof process !== 'undefined' && process.versions?.node) {
    const fsName = 'node:fs/promises';
    const fs = (await import(/* webpackIgnore: true */ /* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
    return new Uint8Array(await fs.readFile(u));
  }
  return fetch(u);
}
