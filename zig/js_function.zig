//! `zigimport.JsFunction(fn (A, B) R)`: a JS function that Zig keeps and calls later, from
//! any thread, until it releases it. A parameter of this type takes a JS function like a
//! `*const fn` callback, but the value Zig gets stays valid after the call returns: it is a
//! small copyable handle to a Node-API thread-safe function (js_function_slots.zig).
//!
//! - `call(args)` queues a call on the function's JS thread and returns at once (any thread,
//!   the JS thread included: the function then runs once the running JS code yields to the
//!   event loop). Its arguments are copied; they must not point to memory (strings, slices),
//!   which could be gone when the call runs.
//! - `callBlocking(args)` returns the function's result. On the JS thread, during a call from
//!   JS, it calls the function at once; from another thread it waits until the JS thread ran
//!   it (the JS thread must not be waiting for this thread, or both wait forever).
//! - `release()` lets the function go; calls already queued still run. Until then the
//!   function keeps Node running, like a timer. Calls after `release()`, or once the JS
//!   environment shut down (a worker exited), return `error.Released` and do nothing.
//! - A function that throws, or returns a value of the wrong type, from a queued or another
//!   thread's call raises an uncaught exception in JS (like a throwing event listener) and
//!   `callBlocking` returns `error.JsException`. During a call from JS, the exception is
//!   rethrown to that caller.

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const types = @import("types.zig");
const type_support = @import("type_support.zig");
const call_ctx = @import("call.zig");
const to_js = @import("to_js.zig");
const from_js = @import("from_js.zig");
const slots = @import("js_function_slots.zig");
const tsfn = @import("napi_threadsafe.zig");

/// Lets the JS thread run. WebAssembly builds have one thread, the JS thread, so they never get
/// here (`callBlocking` calls at once) and have no `std.Thread.yield`.
fn yieldThread() void {
    if (comptime @import("builtin").cpu.arch.isWasm()) return std.atomic.spinLoopHint();
    std.Thread.yield() catch std.atomic.spinLoopHint();
}

/// What calling a kept function can fail with.
pub const CallError = error{
    /// Released, or its JS environment shut down: nothing was called.
    Released,
    /// The function threw or returned a value of the wrong type.
    JsException,
    OutOfMemory,
};

/// The type `zigimport.JsFunction(fn (A, B) R)` of a kept JS function taking `A, B` and
/// returning `R` (its payload when `R` is an error union).
pub fn JsFunction(comptime F: type) type {
    if (@typeInfo(F) != .@"fn") @compileError("zigimport.JsFunction takes a function type, such as fn (i32) void");
    const params = compat.fnParamTypes(F);
    const Args = std.meta.ArgsTuple(F);
    const Result = compat.payloadOf(compat.fnReturnType(F).?);
    return struct {
        handle: slots.Handle,

        const Self = @This();
        /// Marks the type for types.kind (`.js_function`); the function type it calls.
        pub const zigimport_js_function = F;
        pub const ResultType = Result;

        /// Queues a call on the JS thread; never blocks. The result is discarded.
        pub fn call(self: Self, args: Args) CallError!void {
            inline for (params, 0..) |P, i| {
                if (comptime refersToMemory(P.?)) @compileError(std.fmt.comptimePrint("JsFunction.call: parameter {d} ({s}) points to memory that may be gone when the call runs: use callBlocking", .{ i + 1, @typeName(P.?) }));
            }
            const job = Job.create() orelse return error.OutOfMemory;
            job.* = .{ .args = args };
            return queue(self.handle, job);
        }

        /// Calls the function and returns its result (see the file comment for which thread waits).
        pub fn callBlocking(self: Self, args: Args) CallError!Result {
            if (comptime refersToMemory(Result)) @compileError("JsFunction.callBlocking: result type " ++ @typeName(Result) ++ " points to memory, which the JS thread cannot hand over");
            if (slots.onJsThread(self.handle)) return callHere(self.handle, args);
            var wait: Wait = .{};
            const job = Job.create() orelse return error.OutOfMemory;
            job.* = .{ .args = args, .wait = &wait };
            try queue(self.handle, job);
            while (wait.done.load(.acquire) == 0) yieldThread();
            return wait.result orelse error.JsException;
        }

        /// Lets the function go (idempotent, any thread); queued calls still run.
        pub fn release(self: Self) void {
            slots.release(self.handle);
        }

        const Wait = struct {
            done: std.atomic.Value(u32) = .init(0),
            result: ?Result = null,
        };

        /// A queued call. Jobs are reused from a free list (guarded by the slots' lock) rather
        /// than freed: no allocator with thread-local state (see call.zig on Zig 0.15 and TLS).
        const Job = struct {
            args: Args,
            wait: ?*Wait = null,
            next_free: ?*Job = null,

            var pool: ?*Job = null;

            fn create() ?*Job {
                slots.lock();
                if (pool) |j| {
                    pool = j.next_free;
                    slots.unlock();
                    return j;
                }
                slots.unlock();
                return std.heap.page_allocator.create(Job) catch null;
            }

            fn destroy(job: *Job) void {
                slots.lock();
                defer slots.unlock();
                job.next_free = pool;
                pool = job;
            }

            fn finish(job: *Job, result: ?Result) void {
                const wait = job.wait;
                job.destroy();
                if (wait) |w| {
                    w.result = result;
                    w.done.store(1, .release);
                }
            }
        };

        fn queue(h: slots.Handle, job: *Job) CallError!void {
            slots.lock();
            const ok = if (slots.openSlot(h)) |slot| tsfn.napi_call_threadsafe_function(slot.tsfn.?, job, .nonblocking) == .ok else false;
            slots.unlock();
            if (!ok) {
                job.destroy();
                return error.Released;
            }
        }

        /// On the JS thread during a call: call directly; a throw stays pending for the caller.
        fn callHere(h: slots.Handle, args: Args) CallError!Result {
            slots.lock();
            const slot = slots.openSlot(h);
            const env = if (slot) |s| s.env.? else null;
            const ref = if (slot) |s| s.ref else null;
            slots.unlock();
            const e = env orelse return error.Released;
            var scope: napi.HandleScope = undefined;
            if (napi.napi_open_handle_scope(e, &scope) != .ok) return error.JsException;
            defer _ = napi.napi_close_handle_scope(e, scope);
            var func: napi.Value = undefined;
            napi.check(e, napi.napi_get_reference_value(e, ref orelse return error.Released, &func)) catch return error.JsException;
            return invoke(e, func, args) catch error.JsException;
        }

        /// Node's `call_js_cb` (JS thread). `env` is null when the function is torn down.
        fn callJs(env: ?napi.Env, func: ?napi.Value, _: ?*anyopaque, data: ?*anyopaque) callconv(.c) void {
            const job: *Job = @ptrCast(@alignCast(data orelse return));
            const e = env orelse return job.finish(null);
            const result = invoke(e, func orelse return job.finish(null), job.args) catch blk: {
                // Nobody called from JS to rethrow to: report it like a throwing event listener.
                var err: napi.Value = undefined;
                if (napi.isExceptionPending(e) and napi.napi_get_and_clear_last_exception(e, &err) == .ok) _ = tsfn.napi_fatal_exception(e, err);
                break :blk null;
            };
            job.finish(result);
        }

        /// Converts the arguments, calls `func` and reads its result; a throw stays pending.
        fn invoke(env: napi.Env, func: napi.Value, args: Args) napi.Error!Result {
            const where = "JsFunction(" ++ @typeName(F) ++ ")";
            var argv: [@max(params.len, 1)]napi.Value = undefined;
            inline for (0..params.len) |i| {
                argv[i] = try to_js.write(params[i].?, env, args[i], std.fmt.comptimePrint("{s}: argument {d}", .{ where, i + 1 }));
            }
            var recv: napi.Value = undefined;
            try napi.check(env, napi.napi_get_undefined(env, &recv));
            var out: napi.Value = undefined;
            try napi.check(env, napi.napi_call_function(env, recv, func, params.len, &argv, &out));
            if (Result == void) return;
            var cx = call_ctx.Ctx{ .env = env, .copy = true, .copy_back = false };
            defer cx.finish();
            return from_js.unbox(Result, try from_js.read(Result, &cx, out, where ++ ": result"));
        }

        /// Null when this type can be a parameter, else a short reason (types.zig asks).
        pub fn zigimport_unsupported() ?[]const u8 {
            return unsupported(F);
        }

        /// from_js reads a parameter of this type: a JS function becomes a kept one.
        pub fn zigimport_read(env: napi.Env, v: napi.Value, comptime where: []const u8) napi.Error!Self {
            var t: napi.ValueType = undefined;
            try napi.check(env, napi.napi_typeof(env, v, &t));
            if (t != .function) return napi.throwWrongType(env, v, where, "a function");
            return .{ .handle = try slots.open(env, v, &callJs) };
        }
    };
}

/// Releases the kept JS functions among the first `count` of `params` (after `skip`) read into
/// `args`: the call that would have received them does not happen (function.zig).
pub inline fn releaseRead(comptime params: []const ?type, comptime skip: usize, args: anytype, count: usize) void {
    inline for (params, 0..) |P, i| {
        if (i >= skip and comptime types.kind(P.?) == .js_function) {
            if (i < count) args[i].release();
        }
    }
}

/// Whether a value of `T` holds a pointer (a string, a slice, ...), directly or inside.
pub fn refersToMemory(comptime T: type) bool {
    return switch (@typeInfo(T)) {
        .pointer => true,
        .optional => |o| refersToMemory(o.child),
        .array => |a| refersToMemory(a.child),
        .error_union => |eu| refersToMemory(eu.payload),
        .@"struct" => blk: {
            for (compat.structFieldTypes(T)) |F| if (refersToMemory(F)) break :blk true;
            break :blk false;
        },
        .@"union" => blk: {
            for (compat.unionFieldTypes(T)) |F| if (refersToMemory(F)) break :blk true;
            break :blk false;
        },
        else => false,
    };
}

/// Null when `JsFunction(F)` can be a parameter, else a short reason (types.zig asks).
fn unsupported(comptime F: type) ?[]const u8 {
    if (compat.fnIsVarArgs(F) or compat.fnIsGeneric(F)) return "JsFunction of " ++ @typeName(F) ++ " is not supported";
    inline for (compat.fnParamTypes(F), 0..) |P, i| {
        if (type_support.unsupported(P.?, .out)) |why| return std.fmt.comptimePrint("JsFunction parameter {d}: ", .{i + 1}) ++ why;
        if (types.kind(P.?) == .class) return "JsFunction parameters cannot be class instances";
    }
    const Result = compat.payloadOf(compat.fnReturnType(F).?);
    if (Result != void) {
        if (types.kind(Result) == .class) return "a JsFunction cannot return a class instance";
        if (type_support.unsupported(Result, .in)) |why| return "JsFunction result: " ++ why;
    }
    return null;
}

test refersToMemory {
    try std.testing.expect(comptime refersToMemory([]const u8) and refersToMemory(struct { a: ?[]u8 }));
    try std.testing.expect(comptime !refersToMemory(i32) and !refersToMemory(struct { a: f64, b: [3]u8 }));
}
