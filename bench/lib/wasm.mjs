// Builds bench/wasm/calls.zig to WebAssembly with Zig and wraps it in the benchmark's interface:
// strings are UTF-8 encoded into memory from `alloc`, arrays copied in, both freed after the call.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BENCH, run } from './env.mjs';

export function buildWasm(outDir, zigPath) {
  const out = path.join(outDir, 'calls.wasm');
  const src = path.join(BENCH, 'wasm', 'calls.zig');
  run(zigPath, ['build-exe', src, '-target', 'wasm32-freestanding', '-fno-entry', '-rdynamic', '-O', 'ReleaseFast', `-femit-bin=${out}`], { cwd: outDir });
  return out;
}

export async function openWasm(file) {
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(file));
  const x = instance.exports;
  const memory = x.memory;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return {
    addF64: x.addF64,
    addI32: x.addI32,
    addI64: x.addI64,
    byteSum(s) {
      const cap = s.length * 3;
      const p = x.alloc(cap);
      // The view is made after alloc: memory may have grown (and detached older views).
      const { written } = encoder.encodeInto(s, new Uint8Array(memory.buffer, p, cap));
      const r = x.byteSum(p, written);
      x.free(p, cap);
      return r;
    },
    weigh: (v) => x.weigh(v.x, v.y, v.z),
    greeting: () => decoder.decode(new Uint8Array(memory.buffer, x.greeting(), x.greetingLen())),
    sum(a) {
      const p = x.alloc(a.byteLength);
      new Float64Array(memory.buffer, p, a.length).set(a);
      const r = x.sum(p, a.length);
      x.free(p, a.byteLength);
      return r;
    },
  };
}
