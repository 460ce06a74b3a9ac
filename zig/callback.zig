//! JS functions passed for `*const fn (...) R` parameters. A Zig function
//! pointer carries no context, so each parameter site gets its own adapter
//! function; the JS function it must call is found in a small list of
//! frames pushed by the running call (keyed by thread, so worker threads and
//! re-entrant calls each find their own). Frames live on the caller's stack
//! and are removed when the call returns; calling the pointer after that is
//! a panic with a clear message rather than a use of freed memory (a function
//! Zig keeps is a `zigimport.JsFunction` parameter instead, js_function.zig).
//!
//! A callback's result is copied into the call's memory, never borrowed from
//! a typed array (a `[]T` result's writes do not reach JS).
//!
//! A throwing callback leaves its exception pending; the adapter returns an
//! error (when `R` is an error union) or a neutral value, later calls of the
//! callback return at once, and the outer call rethrows the exception.

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const types = @import("types.zig");
const type_support = @import("type_support.zig");
const call = @import("call.zig");
const from_js = @import("from_js.zig");
const to_js = @import("to_js.zig");
const fixed_arity = @import("fixed_arity.zig");
const read_back = @import("callback_read_back.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

pub const Frame = struct {
    tid: u64,
    cx: *call.Ctx,
    func: Value,
    failed: bool = false,
    next: ?*Frame = null,
};

pub fn Adapter(comptime P: type, comptime site: []const u8) type {
    const F = @typeInfo(P).pointer.child;
    const params = compat.fnParamTypes(F);
    const R = compat.fnReturnType(F).?;
    const Payload = compat.payloadOf(R);
    return struct {
        var head: ?*Frame = null;
        var lock = std.atomic.Value(u32).init(0);

        fn acquire() void {
            while (lock.cmpxchgWeak(0, 1, .acquire, .monotonic) != null) std.atomic.spinLoopHint();
        }
        fn release() void {
            lock.store(0, .release);
        }

        pub fn push(f: *Frame) void {
            acquire();
            defer release();
            f.next = head;
            head = f;
        }

        pub fn pop(f: *Frame) void {
            acquire();
            defer release();
            var link = &head;
            while (link.*) |cur| : (link = &cur.next) {
                if (cur == f) {
                    link.* = cur.next;
                    return;
                }
            }
        }

        fn find() ?*Frame {
            const tid = compat.threadId();
            acquire();
            defer release();
            var cur = head;
            while (cur) |f| : (cur = f.next) {
                if (f.tid == tid) return f;
            }
            return null;
        }

        pub const ptr: P = fixed_arity.forward(P, @This());

        pub fn invoke(args: anytype) R {
            const frame = find() orelse @panic("zigimport: the JS callback " ++ site ++
                " was called after its call returned, or from another thread (to keep a JS function, " ++
                "take a zigimport.JsFunction(fn (...) R) parameter)");
            if (frame.failed) return failure();
            const env = frame.cx.env;
            var scope: napi.HandleScope = undefined;
            if (napi.napi_open_handle_scope(env, &scope) != .ok) {
                frame.failed = true;
                return failure();
            }
            defer _ = napi.napi_close_handle_scope(env, scope);
            return invokeJs(frame, args) catch {
                frame.failed = true;
                if (!napi.isExceptionPending(env)) napi.throwParts(env, .plain, null, &.{"zigimport: callback failed"}) catch {};
                return failure();
            };
        }

        fn invokeJs(frame: *Frame, args: anytype) Error!Payload {
            const env = frame.cx.env;
            var argv: [@max(params.len, 1)]Value = undefined;
            inline for (0..params.len) |i| {
                argv[i] = try to_js.write(params[i].?, env, args[i], std.fmt.comptimePrint("{s}: callback argument {d}", .{ site, i + 1 }));
            }
            var recv: Value = undefined;
            try check(env, napi.napi_get_undefined(env, &recv));
            var result: Value = undefined;
            try check(env, napi.napi_call_function(env, recv, frame.func, params.len, &argv, &result));
            if (comptime readsBackAny()) try readBack(frame.cx, &argv, args);
            if (Payload == void) return;
            const where = site ++ ": callback return value";
            if (comptime !types.borrows(Payload)) return from_js.unbox(Payload, try from_js.read(Payload, frame.cx, result, where));
            // The result is copied, never borrowed: its typed array may be collected once the
            // handle scope closes, and JS runs again at the next callback.
            return copyingRead(frame.cx, result, where);
        }

        fn readsBackAny() bool {
            for (params) |Param| if (read_back.readsBack(Param.?)) return true;
            return false;
        }

        /// `*T` and `[]T` arguments: what the JS function changed in their objects goes back
        /// into the Zig memory they point to (callback_read_back.zig).
        fn readBack(cx: *call.Ctx, argv: []const Value, args: anytype) Error!void {
            const mode = CopyMode.enter(cx);
            defer mode.leave(cx);
            inline for (0..params.len) |i| {
                if (comptime read_back.readsBack(params[i].?)) {
                    try read_back.apply(params[i].?, cx, argv[i], args[i], std.fmt.comptimePrint("{s}: callback argument {d}", .{ site, i + 1 }));
                }
            }
        }

        fn copyingRead(cx: *call.Ctx, result: Value, comptime where: []const u8) Error!Payload {
            const mode = CopyMode.enter(cx);
            defer mode.leave(cx);
            return from_js.unbox(Payload, try from_js.read(Payload, cx, result, where));
        }

        fn failure() R {
            if (@typeInfo(R) == .error_union) {
                const E = @typeInfo(R).error_union.error_set;
                const names = comptime compat.errorSetNames(E);
                if (names == null) return error.JsException;
                if (comptime names.?.len > 0) return @field(E, names.?[0]);
            }
            return neutral(Payload);
        }
    };
}

/// The value a failed callback returns when its type has no error: the
/// outer call discards the result and rethrows, so any valid value will do.
pub fn neutral(comptime T: type) T {
    return switch (@typeInfo(T)) {
        .void => {},
        .bool => false,
        .int, .float => 0,
        .optional => null,
        .@"enum" => @field(T, compat.enumFieldNames(T)[0]),
        .pointer => |p| if (p.size == .slice) blk: {
            if (p.sentinel_ptr != null) break :blk @as(T, "");
            break :blk @as(T, &.{});
        } else unreachable,
        .array => |a| @as([a.len]a.child, @splat(neutral(a.child))),
        .vector => |v| @splat(neutral(v.child)),
        .@"struct" => blk: {
            var out: T = undefined;
            inline for (comptime compat.structFieldNames(T), comptime compat.structFieldTypes(T)) |n, F| {
                @field(out, n) = neutral(F);
            }
            break :blk out;
        },
        .@"union" => blk: {
            const n = compat.unionFieldNames(T)[0];
            break :blk @unionInit(T, n, neutral(compat.unionFieldTypes(T)[0]));
        },
        else => unreachable,
    };
}

test "callbacks of every arity fixed_arity.zig can generate" {
    try std.testing.expectEqual(type_support.max_callback_params, fixed_arity.max_params);
}

/// What a callback hands back (its result, the objects behind `*T`/`[]T` arguments) is read in
/// copying mode: it outlives the JS values it came from, and nothing is written back to them.
/// `enter` switches the call's context to that mode and returns the mode to restore.
const CopyMode = struct {
    copy: bool,
    copy_back: bool,

    fn enter(cx: *call.Ctx) CopyMode {
        const saved: CopyMode = .{ .copy = cx.copy, .copy_back = cx.copy_back };
        cx.copy = true;
        cx.copy_back = false;
        return saved;
    }

    fn leave(saved: CopyMode, cx: *call.Ctx) void {
        cx.copy = saved.copy;
        cx.copy_back = saved.copy_back;
    }
};
