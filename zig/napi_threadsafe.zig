//! Node-API thread-safe functions (napi_threadsafe_function): the one way to call JavaScript
//! from another thread, or from the JS thread after the call that received the function
//! returned. Used by js_function.zig.

const napi = @import("napi.zig");

pub const Tsfn = *opaque {};

/// `call_js_cb`: runs on the JS thread; `env` is null when the function is being torn down
/// (the queued `data` must then just be freed).
pub const CallJs = *const fn (?napi.Env, ?napi.Value, ?*anyopaque, ?*anyopaque) callconv(.c) void;

pub const ReleaseMode = enum(c_int) { release = 0, abort = 1 };
pub const CallMode = enum(c_int) { nonblocking = 0, blocking = 1 };

pub extern fn napi_create_threadsafe_function(
    env: napi.Env,
    func: ?napi.Value,
    async_resource: ?napi.Value,
    async_resource_name: napi.Value,
    max_queue_size: usize,
    initial_thread_count: usize,
    thread_finalize_data: ?*anyopaque,
    thread_finalize_cb: ?napi.Finalize,
    context: ?*anyopaque,
    call_js_cb: ?CallJs,
    result: *Tsfn,
) napi.Status;
pub extern fn napi_call_threadsafe_function(func: Tsfn, data: ?*anyopaque, is_blocking: CallMode) napi.Status;
pub extern fn napi_release_threadsafe_function(func: Tsfn, mode: ReleaseMode) napi.Status;
/// Raises `err` as an uncaught exception (`process.on('uncaughtException')`).
pub extern fn napi_fatal_exception(env: napi.Env, err: napi.Value) napi.Status;
pub extern fn napi_unref_threadsafe_function(env: napi.Env, func: Tsfn) napi.Status;
pub extern fn napi_ref_threadsafe_function(env: napi.Env, func: Tsfn) napi.Status;
