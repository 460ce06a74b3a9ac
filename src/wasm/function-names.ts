/**
 * `napi_create_function` with any name, as in Node. emnapi refuses a name that is not a JavaScript
 * identifier (`napi_invalid_arg`), which Node accepts: the binding layer names an iterator's
 * `[Symbol.iterator]` method that way, and a Zig declaration may be named `@"kebab-name"`. Such a
 * function is created unnamed and given its name afterwards, so `fn.name` matches Node's.
 */
import type { Context } from '@emnapi/runtime';
import type { NapiFunctions, WasmExports } from './memory-sync.js';

const IDENTIFIER = /^[_$a-zA-Z][_$a-zA-Z0-9]*$/;
const OK = 0;
/** `NAPI_AUTO_LENGTH`: the name is NUL-terminated. */
const AUTO_LENGTH = 0xffffffff;

function readName(memory: WebAssembly.Memory, ptr: number, length: number): string {
  const bytes = new Uint8Array(memory.buffer);
  let end = ptr;
  if (length === AUTO_LENGTH) while (bytes[end] !== 0) end++;
  else end = ptr + length;
  return new TextDecoder().decode(bytes.subarray(ptr, end));
}

export function createFunctionAnyName(napi: NapiFunctions, context: Context, wasm: () => WasmExports): NapiFunctions {
  const create = napi.napi_create_function!;
  return {
    napi_create_function(env: number, name: number, length: number, cb: number, data: number, result: number): number {
      const text = name === 0 || length === 0 ? '' : readName(wasm().memory, name >>> 0, length >>> 0);
      if (text === '' || IDENTIFIER.test(text)) return create(env, name, length, cb, data, result);
      const status = create(env, 0, 0, cb, data, result);
      if (status !== OK) return status;
      const id = new DataView(wasm().memory.buffer).getUint32(result >>> 0, true);
      const fn = context.handleStore.get(id)?.value as object;
      Object.defineProperty(fn, 'name', { value: text, configurable: true });
      return OK;
    },
  };
}
