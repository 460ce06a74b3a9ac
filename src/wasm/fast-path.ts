/**
 * The WebAssembly fast path (zig/wasm_fast.zig): a function whose parameters are numbers,
 * booleans, strings or numeric typed arrays and whose result is a number, a boolean or void gets
 * a raw export `__zigimport_fast_<name>`. Its JavaScript function becomes a generated wrapper that
 * checks the arguments have exactly the JS types the Node-API path would accept without
 * conversion, copies strings and typed arrays into a scratch area of wasm memory, and calls the
 * raw export; any other call (a wrong type, a plain array, a missing argument) goes to the
 * Node-API function, so its errors and conversions are unchanged. Each wrapper is compiled from
 * source for its signature, so its call site stays monomorphic, as a hand-written binding is.
 */
import type { MemorySync, WasmExports } from './memory-sync.js';

export const FAST_PREFIX = '__zigimport_fast_';

/** Strings up to this many UTF-16 units are copied byte by byte when ASCII. */
const SHORT_STRING = 32;

interface ParamDescriptor {
  kind: string;
  zig: string;
  array?: string;
}

interface FunctionDescriptor {
  kind: string;
  name: string;
  params: ParamDescriptor[];
  returns: { zig: string };
  async?: boolean;
}

/** The integer check of each scalar parameter type: the value round-trips through the type. */
const SCALAR_CHECKS: Record<string, (a: string) => string> = {
  f64: (a) => `typeof ${a} === 'number'`,
  f32: (a) => `typeof ${a} === 'number'`,
  bool: (a) => `typeof ${a} === 'boolean'`,
  i32: (a) => `(${a} | 0) === ${a}`,
  u32: (a) => `${a} >>> 0 === ${a}`,
  i16: (a) => `(${a} << 16) >> 16 === ${a}`,
  u16: (a) => `(${a} & 0xffff) === ${a}`,
  i8: (a) => `(${a} << 24) >> 24 === ${a}`,
  u8: (a) => `(${a} & 0xff) === ${a}`,
};

const TYPED_ARRAYS = new Set(['Int8Array', 'Uint8Array', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array']);

const RESULTS: Record<string, (r: string) => string> = {
  void: () => 'undefined',
  u32: (r) => `${r} >>> 0`,
  bool: (r) => `${r} !== 0`,
};

/** Scratch space in wasm memory for one call's strings and arrays, grown as needed, never freed. */
export class Scratch {
  private base = 0;
  private end = 0;
  top = 0;
  /** The length in bytes of the last string written. */
  n = 0;
  private heap = new Uint8Array(0);
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly wasm: WasmExports,
    private readonly sync: MemorySync,
  ) {}

  /** A raw call threw (a trap): the stack pointer goes back to rest; rethrows `e`. */
  trapped(e: unknown): never {
    this.sync.recoverFromTrap();
    throw e;
  }

  /** Starts a call needing at most `bytes` (plus alignment). */
  begin(bytes: number): void {
    const need = bytes + 64;
    if (this.end - this.base < need) {
      if (this.base !== 0) this.wasm.free(this.base);
      const size = Math.max(need, 2 * (this.end - this.base), 4096);
      this.base = this.wasm.malloc(size);
      if (this.base === 0) throw new RangeError('zigimport: out of WebAssembly memory');
      this.end = this.base + size;
    }
    this.top = this.base;
    if (this.heap.buffer !== this.wasm.memory.buffer) this.heap = new Uint8Array(this.wasm.memory.buffer);
  }

  /** UTF-8 of `s` (lone surrogates as U+FFFD, as Node-API writes them); its address, length in `n`. */
  string(s: string): number {
    const p = this.top;
    const heap = this.heap;
    const len = s.length;
    let n = 0;
    if (len <= SHORT_STRING) {
      // Short ASCII byte by byte (cheaper than the encoder's call); the rest through the encoder.
      for (; n < len; n++) {
        const c = s.charCodeAt(n);
        if (c >= 0x80) break;
        heap[p + n] = c;
      }
    }
    if (n < len) n += this.encoder.encodeInto(n === 0 ? s : s.slice(n), heap.subarray(p + n, p + 3 * len)).written;
    this.n = n;
    this.top = (p + n + 7) & ~7;
    return p;
  }

  /** A copy of typed array `a`; its address. */
  typed(a: ArrayBufferView): number {
    const p = this.top;
    this.heap.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), p);
    this.top = (p + a.byteLength + 7) & ~7;
    return p;
  }

  /** Copies the module's writes back into typed array `a` (a mutable slice). */
  out(a: ArrayBufferView, p: number): void {
    new Uint8Array(a.buffer, a.byteOffset, a.byteLength).set(new Uint8Array(this.wasm.memory.buffer, p, a.byteLength));
  }
}

function paramPlan(p: ParamDescriptor, i: number): { check: string; bytes: string; pre: string[]; args: string[]; post: string[] } | undefined {
  const a = `a${i}`;
  const scalar = SCALAR_CHECKS[p.zig];
  if (scalar && (p.kind === 'number' || p.kind === 'boolean')) return { check: scalar(a), bytes: '0', pre: [], args: [a], post: [] };
  if (p.kind === 'string' && p.zig === '[]const u8') {
    return {
      check: `typeof ${a} === 'string'`,
      bytes: `3 * ${a}.length + 8`,
      pre: [`const p${i} = S.string(${a}), n${i} = S.n;`],
      args: [`p${i}`, `n${i}`],
      post: [],
    };
  }
  if (p.kind === 'typedarray' && p.array && TYPED_ARRAYS.has(p.array)) {
    const mutable = !p.zig.startsWith('[]const ');
    return {
      check: `${a} instanceof ${p.array} && ${a}.length > 0`,
      bytes: `${a}.byteLength + 8`,
      pre: [`const p${i} = S.typed(${a});`],
      args: [`p${i}`, `${a}.length`],
      post: mutable ? [`S.out(${a}, p${i});`] : [],
    };
  }
  return undefined;
}

/** The generated wrapper of one function, or undefined when a parameter has no fast form. */
function wrapperSource(d: FunctionDescriptor): string | undefined {
  const plans = d.params.map(paramPlan);
  if (plans.some((p) => p === undefined)) return undefined;
  const ps = plans as NonNullable<ReturnType<typeof paramPlan>>[];
  const names = d.params.map((_, i) => `a${i}`);
  const checks = [`arguments.length === ${names.length}`, ...ps.map((p) => p.check)].join(' && ');
  const bytes = ps.map((p) => p.bytes).filter((b) => b !== '0');
  const result = RESULTS[d.returns.zig] ?? ((r: string) => r);
  const body = [
    ...(bytes.length > 0 ? [`S.begin(${bytes.join(' + ')});`] : []),
    ...ps.flatMap((p) => p.pre),
    `let r;`,
    `try { r = raw(${ps.flatMap((p) => p.args).join(', ')}); } catch (e) { S.trapped(e); }`,
    ...ps.flatMap((p) => p.post),
    `return ${result('r')};`,
  ];
  // Unnamed here (a Zig name may be no JS identifier: `@"add-one"`, `class`); named below.
  return `return function (${names.join(', ')}) {
  if (${checks}) {
    ${body.join('\n    ')}
  }
  return slow.apply(this, arguments);
};`;
}

/** Replaces each function of `exportsObj` that has a raw fast export with its wrapper. */
export function installFastPaths(exportsObj: Record<string, unknown>, wasm: WasmExports, sync: MemorySync): void {
  const names = Object.keys(wasm).filter((k) => k.startsWith(FAST_PREFIX));
  if (names.length === 0) return;
  const describe = exportsObj.__zigimport_describe as () => string;
  const descriptor = JSON.parse(describe()) as { exports: FunctionDescriptor[] };
  const scratch = new Scratch(wasm, sync);
  for (const d of descriptor.exports) {
    const raw = wasm[FAST_PREFIX + d.name];
    const slow = exportsObj[d.name];
    if (d.kind !== 'function' || d.async || typeof raw !== 'function' || typeof slow !== 'function') continue;
    const source = wrapperSource(d);
    if (!source) continue;
    const fast = new Function('raw', 'slow', 'S', source)(raw, slow, scratch) as (...args: unknown[]) => unknown;
    Object.defineProperty(fast, 'length', { value: slow.length });
    Object.defineProperty(fast, 'name', { value: slow.name });
    Object.defineProperty(exportsObj, d.name, { value: fast, writable: true, enumerable: true, configurable: true });
  }
}
