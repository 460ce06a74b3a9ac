/**
 * `napi_get_last_error_info`, which emnapi leaves to its C library (the binding layer links none):
 * the `napi_extended_error_info` struct in wasm memory, its message one of Node's texts.
 */
import type { WasmExports } from './memory-sync.js';

/** Node's messages by `napi_status` (src/js_native_api_v8.cc), in order. */
const STATUS_MESSAGES = [
  '',
  'Invalid argument',
  'An object was expected',
  'A string was expected',
  'A string or symbol was expected',
  'A function was expected',
  'A number was expected',
  'A boolean was expected',
  'An array was expected',
  'Unknown failure',
  'An exception is pending',
  'The async work item was cancelled',
  'napi_escape_handle already called on scope',
  'Invalid handle scope usage',
  'Invalid callback scope usage',
  'Thread-safe function queue is full',
  'Thread-safe function handle is closing',
  'A bigint was expected',
  'A date was expected',
  'An arraybuffer was expected',
  'A detachable arraybuffer was expected',
  'Main thread would deadlock',
  'External buffers are not allowed',
  'Cannot run JavaScript',
];

/** The 16-byte struct on wasm32: message, engine_reserved, engine_error_code, error_code. */
const INFO_SIZE = 16;

// biome-ignore lint/complexity/noBannedTypes: emnapi's imports are untyped functions.
export function lastErrorInfoImport(internals: Record<string, Function>, wasm: () => WasmExports): (env: number, result: number) => number {
  let info = 0;
  let messages: number[] = [];
  const setup = (): void => {
    const encoded = STATUS_MESSAGES.map((m) => new TextEncoder().encode(`${m}\0`));
    info = wasm().malloc(INFO_SIZE + encoded.reduce((n, e) => n + e.length, 0));
    let at = info + INFO_SIZE;
    messages = encoded.map((e) => {
      new Uint8Array(wasm().memory.buffer).set(e, at);
      at += e.length;
      return at - e.length;
    });
  };
  return (env, result) => {
    if (info === 0) setup();
    internals._emnapi_get_last_error_info!(env, info + 12, info + 8, info + 4);
    const view = new DataView(wasm().memory.buffer);
    const code = view.getInt32(info + 12, true);
    view.setUint32(info, code > 0 ? (messages[code] ?? 0) : 0, true);
    view.setUint32(result, info, true);
    return 0;
  };
}
