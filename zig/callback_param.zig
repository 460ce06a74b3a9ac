//! The callbacks of one call of an exported function: `*const fn (...) R` parameters,
//! optional ones (`?*const fn (...) R`: `null`/`undefined` give Zig null), and function
//! fields of a struct parameter (an options object `{ onProgress }`). Each JS function is
//! checked, then pushed as a frame on its adapter (callback.zig) for the duration of the
//! call: direct parameters on the caller's stack (`Frames`), struct fields in per-call
//! memory, listed on `call.Ctx` and removed when the call returns (`readStruct`).

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const types = @import("types.zig");
const call = @import("call.zig");
const from_js = @import("from_js.zig");
const callback = @import("callback.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// `?*const fn (...) R`.
pub fn isOptional(comptime T: type) bool {
    return @typeInfo(T) == .optional and types.kind(@typeInfo(T).optional.child) == .function;
}

/// A callback parameter or field: `*const fn (...) R`, possibly optional.
pub fn isCallback(comptime T: type) bool {
    return types.kind(T) == .function or isOptional(T);
}

/// The function pointer type of a callback (the optional's child).
fn Pointer(comptime T: type) type {
    return if (@typeInfo(T) == .optional) @typeInfo(T).optional.child else T;
}

/// A struct parameter with at least one callback field.
pub fn hasCallbackFields(comptime T: type) bool {
    if (types.kind(T) != .@"struct") return false;
    for (compat.structFieldTypes(T)) |F| if (isCallback(F)) return true;
    return false;
}

/// Null when a parameter of type `T` can be read from JS, else a short reason. Callbacks
/// are only supported as direct parameters and fields of a direct struct parameter.
pub fn unsupported(comptime T: type) ?[]const u8 {
    if (isOptional(T)) return from_js.unsupported(Pointer(T));
    if (!hasCallbackFields(T)) return from_js.unsupported(T);
    const names = compat.structFieldNames(T);
    inline for (comptime compat.structFieldTypes(T), 0..) |F, i| {
        if (compat.isComptimeField(T, i)) return "comptime field " ++ names[i] ++ " is not supported";
        if (F == void) return "field " ++ names[i] ++ " has type void (a field that carries nothing has no JS form: remove it or make it a declaration)";
        const why = if (isCallback(F)) from_js.unsupported(Pointer(F)) else from_js.unsupported(F);
        if (why) |w| return "field " ++ names[i] ++ ": " ++ w;
    }
    return null;
}

fn isNullish(env: Env, v: Value) Error!bool {
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    return t == .undefined or t == .null;
}

/// Throws a TypeError unless `v` is a function (or, for an optional callback, null/undefined).
fn checkFunction(comptime T: type, env: Env, v: Value, comptime where: []const u8) Error!void {
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    if (t == .function) return;
    if (comptime isOptional(T)) {
        if (t == .undefined or t == .null) return;
        return napi.throwWrongType(env, v, where, "a function, null or undefined");
    }
    return napi.throwWrongType(env, v, where, "a function");
}

/// The frames of the direct callback parameters of a call (`params` of a function whose
/// first `skip` parameters are filled by the caller, read from JS argument `js_index[i]`).
pub fn Frames(comptime params: []const ?type, comptime skip: usize, comptime label: []const u8, comptime js_index: []const usize) type {
    return struct {
        const Self = @This();
        frames: [params.len]callback.Frame = undefined,
        pushed: [params.len]bool = @splat(false),

        fn where(comptime i: usize) []const u8 {
            return comptime call.argumentWhere(label, js_index[i] + 1);
        }

        fn isDirect(comptime i: usize) bool {
            return i >= skip and isCallback(params[i].?);
        }

        /// Checks every callback argument before any frame is pushed: an error return must not
        /// leave a frame of this call's stack in an adapter's list.
        pub fn checkAll(_: *Self, env: Env, argv: []const Value) Error!void {
            inline for (0..params.len) |i| {
                if (comptime isDirect(i)) try checkFunction(params[i].?, env, argv[js_index[i]], where(i));
            }
        }

        /// Pushes a frame for each callback argument and gives Zig its adapter (or null).
        pub fn pushAll(self: *Self, cx: *call.Ctx, argv: []const Value, args: anytype) Error!void {
            const tid = compat.threadId();
            inline for (0..params.len) |i| {
                if (comptime isDirect(i)) {
                    const v = argv[js_index[i]];
                    if (comptime isOptional(params[i].?)) {
                        args[i] = if (try isNullish(cx.env, v)) null else self.push(i, cx, tid, v);
                    } else {
                        args[i] = self.push(i, cx, tid, v);
                    }
                }
            }
        }

        fn push(self: *Self, comptime i: usize, cx: *call.Ctx, tid: u64, v: Value) Pointer(params[i].?) {
            self.frames[i] = .{ .tid = tid, .cx = cx, .func = v };
            const A = callback.Adapter(Pointer(params[i].?), where(i));
            A.push(&self.frames[i]);
            self.pushed[i] = true;
            return A.ptr;
        }

        pub fn popAll(self: *Self) void {
            inline for (0..params.len) |i| {
                if (comptime isDirect(i)) {
                    if (self.pushed[i]) callback.Adapter(Pointer(params[i].?), where(i)).pop(&self.frames[i]);
                }
            }
        }

        /// Whether a callback threw (its exception is pending; the call rethrows it).
        pub fn failed(self: *const Self) bool {
            inline for (0..params.len) |i| {
                if (comptime isDirect(i)) {
                    if (self.pushed[i] and self.frames[i].failed) return true;
                }
            }
            return false;
        }
    };
}

/// Reads a struct argument with callback fields: other fields as `from_js.readStruct` does,
/// each function field pushed on its adapter until `cx.releaseCallbacks()`.
pub fn readStruct(comptime S: type, cx: *call.Ctx, v: Value, comptime where: []const u8) Error!S {
    const env = cx.env;
    // Strings and slices of the struct are copied: the callbacks run JS during the call.
    const was_copying = cx.copy;
    cx.copy = true;
    defer cx.copy = was_copying;
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    if (t != .object) return napi.throwWrongType(env, v, where, "an object");
    var out: S = undefined;
    inline for (comptime compat.structFieldNames(S), comptime compat.structFieldTypes(S), 0..) |name, F, i| {
        const fwhere = where ++ "." ++ name;
        var fv: Value = undefined;
        try check(env, napi.napi_get_named_property(env, v, name, &fv));
        if (comptime isCallback(F)) {
            @field(out, name) = try holdField(F, cx, fv, fwhere);
        } else {
            @field(out, name) = from_js.unbox(F, try from_js.readField(S, i, cx, fv, fwhere));
        }
    }
    return out;
}

/// A function field: its adapter, with the JS function pushed for the rest of the call.
fn holdField(comptime F: type, cx: *call.Ctx, fv: Value, comptime where: []const u8) Error!F {
    try checkFunction(F, cx.env, fv, where);
    if (comptime isOptional(F)) {
        if (try isNullish(cx.env, fv)) return null;
    }
    const A = callback.Adapter(Pointer(F), where);
    const frame = &(try cx.allocSlice(callback.Frame, 1))[0];
    const held = &(try cx.allocSlice(call.HeldCallback, 1))[0];
    frame.* = .{ .tid = compat.threadId(), .cx = cx, .func = fv };
    held.* = .{ .frame = frame, .failed = &frame.failed, .pop_fn = &struct {
        fn pop(p: *anyopaque) void {
            A.pop(@ptrCast(@alignCast(p)));
        }
    }.pop, .next = cx.held_callbacks };
    A.push(frame);
    cx.held_callbacks = held;
    return A.ptr;
}

test unsupported {
    const Options = struct { scale: f64 = 1, onProgress: *const fn (f64) void, onDone: ?*const fn () void };
    const Nested = struct { inner: Options };
    try std.testing.expect(comptime hasCallbackFields(Options) and !hasCallbackFields(Nested));
    try std.testing.expect(comptime unsupported(Options) == null and unsupported(?*const fn (i32) bool) == null);
    try std.testing.expect(comptime unsupported(Nested) != null);
    try std.testing.expect(comptime isCallback(?*const fn () void) and !isCallback(?i32));
}
