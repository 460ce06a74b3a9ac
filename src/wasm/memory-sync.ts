/**
 * Call-scoped copies between JavaScript ArrayBuffers and wasm memory, so that a data pointer the
 * binding layer gets from Node-API means what it means in a native addon.
 *
 * A native addon's `napi_get_typedarray_info` points into the typed array itself, and a new
 * ArrayBuffer's data pointer is the buffer: writes through them are the JavaScript values. In
 * WebAssembly a pointer can only address wasm memory, and emnapi answers with a copy made once and
 * cached per buffer: Zig's writes stay in the copy, JavaScript's later writes never reach it. Here
 * each such pointer is a fresh copy (JS → wasm when taken), copied back (wasm → JS) and freed when
 * the outermost call into the module returns, and around every call out to JavaScript (before:
 * wasm → JS, after: JS → wasm), so callbacks see the module's writes and the module sees theirs.
 */
import { getDefaultContext } from '@emnapi/runtime';

/** The exports every zigimport wasm module has (zig/wasm.zig). */
export interface WasmExports {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(ptr: number): void;
  __indirect_function_table: WebAssembly.Table;
  [name: string]: unknown;
}

interface Copy {
  /** The JavaScript bytes: a typed array's view, or a whole new ArrayBuffer. */
  view: Uint8Array;
  /** Where the copy lives in wasm memory. */
  ptr: number;
}

// biome-ignore lint/complexity/noBannedTypes: emnapi's imports are untyped functions.
export type NapiFunctions = Record<string, Function>;

const NAPI_OK = 0;

export class MemorySync {
  private exports: WasmExports | undefined;
  private readonly pending: Copy[] = [];
  private depth = 0;
  private readonly wrapped = new Map<number, unknown>();

  /** The wasm stack pointer between calls (no wasm frame is active then). */
  private restingStack: number | undefined;

  attach(exports: WasmExports): void {
    this.exports = exports;
    this.restingStack = (exports.__stack_pointer as WebAssembly.Global | undefined)?.value as number | undefined;
  }

  /**
   * After a trap (a Zig panic, a stack overflow) no wasm code unwound its frames: the stack
   * pointer stays where the trap left it. Put back, the next call has the whole stack again.
   */
  recoverFromTrap(): void {
    if (this.depth !== 0 || this.restingStack === undefined) return;
    (this.wasm.__stack_pointer as WebAssembly.Global).value = this.restingStack;
  }

  get wasm(): WasmExports {
    if (!this.exports) throw new Error('zigimport: the WebAssembly module is not instantiated yet');
    return this.exports;
  }

  private heap(): Uint8Array {
    return new Uint8Array(this.wasm.memory.buffer);
  }

  private u32(): DataView {
    return new DataView(this.wasm.memory.buffer);
  }

  /** A wasm copy of `view`, remembered until the outermost call returns; its address. */
  private copyIn(view: Uint8Array, fromJs: boolean): number {
    const ptr = this.wasm.malloc(view.byteLength);
    if (ptr === 0) throw new RangeError('zigimport: out of WebAssembly memory');
    const heap = this.heap();
    if (fromJs) heap.set(view, ptr);
    else heap.fill(0, ptr, ptr + view.byteLength);
    this.pending.push({ view, ptr });
    return ptr;
  }

  /** wasm → JS for every copy (a detached or shrunk buffer takes what still fits). */
  private writeOut(): void {
    const heap = this.heap();
    for (const c of this.pending) {
      const n = Math.min(c.view.byteLength, c.view.buffer.byteLength - c.view.byteOffset);
      if (n > 0) c.view.set(heap.subarray(c.ptr, c.ptr + n));
    }
  }

  /** JS → wasm for every copy, after JavaScript ran. */
  private readIn(): void {
    const heap = this.heap();
    for (const c of this.pending) if (c.view.byteLength > 0) heap.set(c.view, c.ptr);
  }

  /** Ends the outermost call: copies back and frees. Also after registration. */
  settle(): void {
    if (this.pending.length === 0) return;
    this.writeOut();
    for (const c of this.pending) this.wasm.free(c.ptr);
    this.pending.length = 0;
  }

  private value(handle: number): unknown {
    return getDefaultContext().handleStore.get(handle)?.value;
  }

  /** The Node-API functions replaced, wrapping emnapi's `napi`. */
  imports(napi: NapiFunctions): NapiFunctions {
    const getInfo = napi.napi_get_typedarray_info!;
    const createBuffer = napi.napi_create_arraybuffer!;
    const callFunction = napi.napi_call_function!;
    const newInstance = napi.napi_new_instance!;
    return {
      napi_get_typedarray_info: (env: number, handle: number, type: number, length: number, data: number, buffer: number, offset: number): number => {
        const v = this.value(handle);
        if (data === 0 || !ArrayBuffer.isView(v) || v.byteLength === 0 || v.buffer === this.wasm.memory.buffer) {
          return getInfo(env, handle, type, length, data, buffer, offset);
        }
        const status = getInfo(env, handle, type, length, 0, buffer, offset);
        if (status !== NAPI_OK) return status;
        const ptr = this.copyIn(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), true);
        this.u32().setUint32(data, ptr, true);
        return status;
      },
      napi_create_arraybuffer: (env: number, length: number, data: number, result: number): number => {
        if (data === 0 || length === 0) return createBuffer(env, length, data, result);
        const status = createBuffer(env, length, 0, result);
        if (status !== NAPI_OK) return status;
        const buffer = this.value(this.u32().getUint32(result, true)) as ArrayBuffer;
        const ptr = this.copyIn(new Uint8Array(buffer), false);
        this.u32().setUint32(data, ptr, true);
        return status;
      },
      napi_call_function: (...args: unknown[]): number => this.callOut(callFunction, args),
      napi_new_instance: (...args: unknown[]): number => this.callOut(newInstance, args),
    };
  }

  // biome-ignore lint/complexity/noBannedTypes: an emnapi import.
  private callOut(fn: Function, args: unknown[]): number {
    if (this.pending.length === 0) return fn(...args);
    this.writeOut();
    try {
      return fn(...args);
    } finally {
      this.readIn();
    }
  }

  /**
   * The function table as emnapi sees it: each entry (a Node-API callback or finalizer of the
   * module) counts the calls in progress, and the outermost one settles the copies on return.
   */
  table(exports: WasmExports): WebAssembly.Table {
    const table = exports.__indirect_function_table;
    const get = (index: number): unknown => {
      let fn = this.wrapped.get(index);
      if (fn === undefined) {
        const inner = table.get(index) as (...a: unknown[]) => unknown;
        fn = (...a: unknown[]): unknown => {
          let trapped = false;
          this.depth++;
          try {
            return inner(...a);
          } catch (err) {
            if (err instanceof WebAssembly.RuntimeError) trapped = true;
            throw err;
          } finally {
            if (--this.depth === 0) {
              this.settle();
              if (trapped) this.recoverFromTrap();
            }
          }
        };
        this.wrapped.set(index, fn);
      }
      return fn;
    };
    // emnapi checks `instanceof WebAssembly.Table` and only calls `get`.
    return new Proxy(table, {
      get: (target, name) => {
        if (name === 'get') return get;
        const v = Reflect.get(target, name, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  }
}
