//! One Node-API callback ("trampoline") per exported Zig function, generated
//! at comptime from its signature: read the JS arguments into a fixed-size
//! stack array, convert each parameter, call, convert the result. Scalar
//! signatures touch neither the arena nor any thread-local state. Functions listed in
//! `zigimport_async` get a Promise-returning callback instead (async_function.zig).

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const types = @import("types.zig");
const call = @import("call.zig");
const from_js = @import("from_js.zig");
const to_js = @import("to_js.zig");
const callback_param = @import("callback_param.zig");
const js_function = @import("js_function.zig");
const owned = @import("owned.zig");
const view = @import("view.zig");
const pointer = @import("pointer.zig");
const signature = @import("signature.zig");
const arguments = @import("arguments.zig");

pub const FnOf = signature.FnOf;
pub const Shape = signature.Shape;
pub const readArgs = arguments.readArgs;

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// Null when the function type `F` can be exported, else a short reason.
/// `skip` leading parameters are filled by the caller (a method's `self`).
pub fn unsupported(comptime F: type) ?[]const u8 {
    return unsupportedFrom(F, 0, false);
}

pub fn unsupportedFrom(comptime F: type, comptime skip: usize, comptime is_async: bool) ?[]const u8 {
    if (compat.fnIsVarArgs(F)) return "variadic functions are not supported";
    const params = compat.fnParamTypes(F);
    inline for (params, 0..) |P, i| {
        const pos = std.fmt.comptimePrint("parameter {d}", .{i + 1});
        const T = P orelse return pos ++ " is anytype or generic";
        if (T == type) return pos ++ " is a comptime type";
        if (i >= skip and pointer.isLength(params, i)) {
            // The length of the pointer before it, taken from the JS array.
        } else if (i >= skip and pointer.hasLength(params, i)) {
            const Slice = pointer.ManySlice(T).?;
            if (from_js.unsupported(Slice)) |why| return pos ++ ": " ++ why;
            if (is_async) return pos ++ ": async functions cannot take many-item pointers";
        } else if (i >= skip and pointer.ManySlice(T) != null) {
            return pos ++ ": a many-item pointer (" ++ @typeName(T) ++ ") carries no length: follow it with a `len: usize` parameter (JS then passes one array), or take a slice (" ++ @typeName(pointer.ManySlice(T).?) ++ ")";
        } else if (i >= skip and !types.isAllocator(T)) {
            if (callback_param.unsupported(T)) |why| return pos ++ ": " ++ why;
            if (is_async) {
                if (asyncUnsupported(T)) |why| return pos ++ ": " ++ why;
            }
        }
    }
    if (compat.fnIsGeneric(F)) return "generic function";
    const R = compat.fnReturnType(F) orelse return "return type is generic";
    const Payload = compat.payloadOf(R);
    if (to_js.unsupported(Payload)) |why| return "return type: " ++ why;
    return null;
}

/// Async parameters are copied before the work starts; what cannot be
/// copied safely is refused.
fn asyncUnsupported(comptime T: type) ?[]const u8 {
    return switch (comptime types.kind(T)) {
        .function => "async functions cannot take callbacks",
        .class => "async functions cannot take class instances",
        .struct_pointer => if (compat.isConstPointer(T)) null else "async functions cannot take mutable struct pointers (their writes could not reach JS)",
        .typedarray => if (types.isMutableSlice(T)) "async functions cannot take mutable slices (their writes could not reach JS)" else null,
        .optional => asyncUnsupported(@typeInfo(T).optional.child),
        .error_union => asyncUnsupported(@typeInfo(T).error_union.payload),
        .@"struct", .tuple => blk: {
            for (compat.structFieldTypes(T)) |F| if (asyncUnsupported(F)) |why| break :blk why;
            break :blk null;
        },
        .array => asyncUnsupported(types.elementOf(T)),
        .@"union" => blk: {
            for (compat.unionFieldTypes(T)) |F| if (asyncUnsupported(F)) |why| break :blk why;
            break :blk null;
        },
        else => null,
    };
}

/// The Node-API callback for `func`; `name` (possibly "ns.fn") prefixes
/// error messages.
pub fn trampoline(comptime func: anytype, comptime name: []const u8) napi.Callback {
    const S = Shape(@TypeOf(func), 0);
    const label = name ++ "()";
    return &struct {
        fn cb(env: Env, info: napi.CallbackInfo) callconv(.c) ?Value {
            return invoke(env, info) catch null;
        }

        inline fn invoke(env: Env, info: napi.CallbackInfo) Error!Value {
            var argv: [@max(S.max_args, 1)]Value = undefined;
            var argc: usize = argv.len;
            // A function of no parameters only counts its arguments (to reject extra ones): no
            // argv, so Node-API copies none (and fills no `undefined` slot).
            const argv_out: ?[*]Value = if (S.max_args == 0) null else &argv;
            try check(env, napi.napi_get_cb_info(env, info, &argc, argv_out, null, null));
            var scratch: [if (S.uses_memory) call.stack_scratch_size else 0]u8 = undefined;
            var cx = call.Ctx{ .env = env, .stack = &scratch };
            defer cx.finish();
            var result: S.R = undefined;
            try callWith(func, 0, label, &cx, &argv, argc, .{}, null, &result);
            if (S.View != null and cx.view_result) return view.writeResult(S.R, env, result, label, zigError);
            const js = try writeResult(S.R, env, result, label);
            if (S.tracks_result) {
                if (cx.zig_result) |bytes| try owned.track(env, js, bytes, @sizeOf(owned.Element(S.R)));
            }
            return js;
        }
    }.cb;
}

/// Converts the JS arguments, calls `func` and returns its raw result. `func` is a
/// comptime-known function (a direct call) or a run-time function pointer. `first` holds the values of the first `skip` parameters; `allocator`
/// overrides the injected per-call allocator (classes: a long-lived one).
pub inline fn callWith(
    func: anytype,
    comptime skip: usize,
    comptime label: []const u8,
    cx: *call.Ctx,
    argv_buf: []const Value,
    argc: usize,
    first: anytype,
    allocator: ?std.mem.Allocator,
    out: *Shape(@TypeOf(func), skip).R,
) Error!void {
    const F = FnOf(@TypeOf(func));
    const S = Shape(F, skip);
    const env = cx.env;
    var args: std.meta.ArgsTuple(F) = undefined;
    // Callback fields of struct arguments are removed from their adapters however the call ends.
    defer if (S.field_callbacks) {
        _ = cx.releaseCallbacks();
    };
    try readArgs(F, skip, label, cx, argv_buf, argc, &args, allocator);
    const argv = argv_buf[0..argc];
    inline for (0..skip) |i| args[i] = first[i];

    var frames: callback_param.Frames(S.params, skip, label, &S.js_index) = .{};
    if (S.direct_callbacks > 0) {
        {
            errdefer js_function.releaseRead(S.params, skip, &args, S.params.len);
            try frames.checkAll(env, argv);
        }
        try frames.pushAll(cx, argv, &args);
    }
    defer if (S.direct_callbacks > 0) frames.popAll();

    out.* = @call(.auto, func, args);
    if (S.tracks_result) cx.zig_result = owned.origin(S.R, out.*, args);
    if (S.View != null) {
        const addr = view.address(S.R, out.*);
        cx.view_result = addr != 0 and owned.outsideArgs(addr, args);
    }
    // Even when the function failed: its writes would have been visible had the slices been borrowed.
    if (S.may_write_back and cx.write_backs != null) try cx.writeBack();
    if (S.direct_callbacks > 0 and frames.failed()) return error.JsException;
    if (S.field_callbacks and cx.releaseCallbacks()) return error.JsException;
}

/// Converts a raw result: an error becomes a JS Error with `code`.
pub inline fn writeResult(comptime R: type, env: Env, result: R, comptime label: []const u8) Error!Value {
    const where_ret = label ++ ": return value";
    if (@typeInfo(R) == .error_union) {
        const payload = result catch |err| return zigError(env, label ++ " failed: error.", @errorName(err));
        return to_js.write(@TypeOf(payload), env, payload, where_ret);
    }
    return to_js.write(R, env, result, where_ret);
}

/// A Zig error becomes a JS Error with `code` = the error name.
pub fn zigError(env: Env, comptime prefix: []const u8, name: [:0]const u8) Error {
    @branchHint(.cold);
    return napi.throwParts(env, .plain, name.ptr, &.{ prefix, name });
}

test unsupported {
    const fns = struct {
        fn ok(a: std.mem.Allocator, b: []const u8) ![]const u8 {
            _ = a;
            return b;
        }
        fn gen(comptime T: type, x: T) T {
            return x;
        }
        fn any(x: anytype) void {
            _ = x;
        }
        fn ptr(p: *u8) void {
            _ = p;
        }
    };
    try std.testing.expect(comptime unsupported(@TypeOf(fns.ok)) == null);
    try std.testing.expectEqualStrings("parameter 1 is a comptime type", comptime unsupported(@TypeOf(fns.gen)).?);
    try std.testing.expectEqualStrings("parameter 1 is anytype or generic", comptime unsupported(@TypeOf(fns.any)).?);
    try std.testing.expect(comptime unsupported(@TypeOf(fns.ptr)) != null);
}
