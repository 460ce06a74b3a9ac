//! Exported functions listed in `zigimport_async` (declarations.zig): a Promise-returning
//! callback per function. Arguments are read like a sync call's (function.zig), but copied, since
//! the function runs later on the libuv thread pool.

const std = @import("std");
const napi = @import("napi.zig");
const call = @import("call.zig");
const function = @import("function.zig");
const signals = @import("signals.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// A Promise-returning callback for `func`: arguments are converted (and
/// copied) on the main thread, `func` runs on the libuv thread pool, the
/// result is converted back on the main thread. Argument errors and Zig
/// errors reject the promise.
pub fn trampoline(comptime func: anytype, comptime name: []const u8) napi.Callback {
    if (comptime @import("builtin").cpu.arch.isWasm()) return noThreads(name);
    const F = @TypeOf(func);
    const S = function.Shape(F, 0);
    const label = name ++ "()";
    const Job = struct {
        arena: std.heap.ArenaAllocator,
        args: std.meta.ArgsTuple(F),
        result: S.R,
        deferred: napi.Deferred,
        work: napi.AsyncWork,
    };
    return &struct {
        fn cb(env: Env, info: napi.CallbackInfo) callconv(.c) ?Value {
            var deferred: napi.Deferred = undefined;
            var promise: Value = undefined;
            if (napi.napi_create_promise(env, &deferred, &promise) != .ok) return null;
            start(env, info, deferred) catch rejectPending(env, deferred);
            return promise;
        }

        fn start(env: Env, info: napi.CallbackInfo, deferred: napi.Deferred) Error!void {
            var argv: [@max(S.max_args, 1)]Value = undefined;
            var argc: usize = argv.len;
            try check(env, napi.napi_get_cb_info(env, info, &argc, &argv, null, null));
            const job = std.heap.page_allocator.create(Job) catch return call.outOfMemory(env);
            job.arena = std.heap.ArenaAllocator.init(std.heap.page_allocator);
            job.deferred = deferred;
            errdefer free(job);
            var cx = call.Ctx{ .env = env, .arena = &job.arena, .copy = true, .copy_back = false };
            defer cx.finish();
            try function.readArgs(F, 0, label, &cx, &argv, argc, &job.args, job.arena.allocator());
            var resource: Value = undefined;
            const rname = "zigimport:" ++ name;
            try check(env, napi.napi_create_string_utf8(env, rname.ptr, rname.len, &resource));
            try check(env, napi.napi_create_async_work(env, null, resource, &execute, &complete, job, &job.work));
            napi.check(env, napi.napi_queue_async_work(env, job.work)) catch |err| {
                _ = napi.napi_delete_async_work(env, job.work);
                return err;
            };
        }

        fn execute(_: Env, data: ?*anyopaque) callconv(.c) void {
            const job: *Job = @ptrCast(@alignCast(data.?));
            // A libuv pool thread: it needs its own alternate stack for stack overflow reports.
            signals.useAltStack();
            job.result = @call(.auto, func, job.args);
        }

        fn complete(env: Env, status: napi.Status, data: ?*anyopaque) callconv(.c) void {
            const job: *Job = @ptrCast(@alignCast(data.?));
            defer {
                _ = napi.napi_delete_async_work(env, job.work);
                free(job);
            }
            if (status != .ok) {
                napi.throwParts(env, .plain, "ZIGIMPORT_CANCELLED", &.{label ++ " was cancelled"}) catch {};
                return rejectPending(env, job.deferred);
            }
            const value = function.writeResult(S.R, env, job.result, label) catch return rejectPending(env, job.deferred);
            _ = napi.napi_resolve_deferred(env, job.deferred, value);
        }

        fn free(job: *Job) void {
            job.arena.deinit();
            std.heap.page_allocator.destroy(job);
        }
    }.cb;
}

/// Rejects `deferred` with the pending exception.
fn rejectPending(env: Env, deferred: napi.Deferred) void {
    var err: Value = undefined;
    if (!napi.isExceptionPending(env)) napi.throwParts(env, .plain, "ZIGIMPORT_NAPI", &.{"zigimport: async call failed"}) catch {};
    if (napi.napi_get_and_clear_last_exception(env, &err) != .ok) return;
    _ = napi.napi_reject_deferred(env, deferred, err);
}

/// WebAssembly builds have one thread and no libuv pool: the function is there (its descriptor and
/// declaration are the native build's) and its Promise rejects, naming it. Its body is never
/// compiled, so thread- or OS-dependent code in it does not break the rest of the module.
fn noThreads(comptime name: []const u8) napi.Callback {
    return &struct {
        fn cb(env: Env, _: napi.CallbackInfo) callconv(.c) ?Value {
            var deferred: napi.Deferred = undefined;
            var promise: Value = undefined;
            if (napi.napi_create_promise(env, &deferred, &promise) != .ok) return null;
            napi.throwParts(env, .plain, "ZIGIMPORT_WASM_UNSUPPORTED", &.{ name, "() is listed in zigimport_async, which runs it on a worker thread: WebAssembly builds have one thread. Call it from a native build (target: 'native'), or remove it from zigimport_async." }) catch {};
            rejectPending(env, deferred);
            return promise;
        }
    }.cb;
}
