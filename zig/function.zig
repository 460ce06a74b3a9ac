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
const borrow = @import("borrow.zig");
const js_function = @import("js_function.zig");
const owned = @import("owned.zig");
const view = @import("view.zig");
const pointer = @import("pointer.zig");

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

/// The function type behind `func` in `callWith`: a function, or a pointer to one (a function
/// value, function_value.zig).
pub fn FnOf(comptime T: type) type {
    return if (@typeInfo(T) == .pointer) @typeInfo(T).pointer.child else T;
}

/// Shape of a supported signature (a function type, or a pointer to one), computed once at
/// comptime. The first `skip` parameters are not read from JS.
pub fn Shape(comptime FnOrPointer: type, comptime skip: usize) type {
    const F = FnOf(FnOrPointer);
    return struct {
        pub const params = compat.fnParamTypes(F);
        pub const R = compat.fnReturnType(F).?;
        pub const Payload = compat.payloadOf(R);
        fn fromJs(comptime i: usize) bool {
            return i >= skip and !types.isAllocator(params[i].?) and !pointer.isLength(params, i);
        }
        /// The slice JS passes for parameter `i` when it is a many-item pointer with a length after it.
        pub fn manySlice(comptime i: usize) ?type {
            return if (i >= skip and pointer.hasLength(params, i)) pointer.ManySlice(params[i].?).? else null;
        }
        /// Whether JS can run after parameter `i` is read (a later parameter, or a callback):
        /// then a many-item pointer's array is copied (and written back for `[*]T`).
        fn jsRunsAfter(comptime i: usize) bool {
            if (callbacks > 0) return true;
            for (i + 1..params.len) |j| if (fromJs(j) and types.runsJs(params[j].?)) return true;
            return false;
        }
        /// Number of parameters passed from JS (allocators are injected).
        pub const js_count = blk: {
            var n = 0;
            for (params, 0..) |_, i| {
                if (fromJs(i)) n += 1;
            }
            break :blk n;
        };
        /// JS argument index of each parameter (others: unused).
        const js_index = blk: {
            var idx: [params.len]usize = undefined;
            var n = 0;
            for (params, 0..) |_, i| {
                idx[i] = n;
                if (fromJs(i)) n += 1;
            }
            break :blk idx;
        };
        /// The JS-visible parameter types, for the descriptor.
        pub const js_params = blk: {
            var out: []const type = &.{};
            for (params, 0..) |P, i| {
                if (fromJs(i)) out = out ++ &[_]type{manySlice(i) orelse P.?};
            }
            break :blk out;
        };
        /// Index of the only JS parameter when it is a struct with fields:
        /// such functions also accept their fields as positional arguments.
        pub const kwargs: ?usize = blk: {
            if (js_count != 1) break :blk null;
            for (params, 0..) |P, i| {
                if (!fromJs(i)) continue;
                // A struct with callback fields (an options object) is always passed as an object.
                if (types.kind(P.?) == .@"struct" and compat.structFieldNames(P.?).len > 0 and !callback_param.hasCallbackFields(P.?)) break :blk i;
            }
            break :blk null;
        };
        /// Fewest and most JS arguments accepted.
        pub const min_args = if (kwargs) |k| requiredFields(params[k].?) else js_count;
        pub const max_args = if (kwargs) |k| compat.structFieldNames(params[k].?).len else js_count;
        pub const uses_memory = blk: {
            for (params, 0..) |P, i| {
                if (i >= skip and (types.isAllocator(P.?) or from_js.needsMemory(P.?))) break :blk true;
            }
            break :blk false;
        };
        pub const injects_allocator = blk: {
            for (params) |P| {
                if (types.isAllocator(P.?)) break :blk true;
            }
            break :blk false;
        };
        /// Callback parameters (optional ones included), called by Zig during the call.
        pub const direct_callbacks = blk: {
            var n = 0;
            for (params, 0..) |P, i| {
                if (i >= skip and callback_param.isCallback(P.?)) n += 1;
            }
            break :blk n;
        };
        /// Struct parameters with callback fields (callback_param.readStruct).
        pub const field_callbacks = blk: {
            for (params, 0..) |P, i| {
                if (i >= skip and callback_param.hasCallbackFields(P.?)) break :blk true;
            }
            break :blk false;
        };
        /// Whether JS can run during the call through a callback.
        pub const callbacks = direct_callbacks + @intFromBool(field_callbacks);
        /// Parameters converted whole by `from_js.read` (not filled by the caller, injected,
        /// callbacks, or a kwargs struct, whose fields may come one per argument).
        const read_whole = blk: {
            var r: [params.len]bool = @splat(false);
            for (params, 0..) |P, i| r[i] = fromJs(i) and kwargs == null and !callback_param.isCallback(P.?);
            break :blk r;
        };
        /// Which borrowed parameters must be copied or borrowed again (borrow.zig).
        pub const borrows = borrow.Plan(params, &read_whole, &js_index, callbacks > 0);
        /// A numeric slice result that may be Zig's own memory, remembered for a free function (owned.zig).
        pub const tracks_result = owned.tracksResult(R, injects_allocator);
        /// A `*S` result that may be a live view of Zig memory (view.zig).
        pub const View = view.ViewOf(R, injects_allocator);
        /// Some parameter can hold a copy of a mutable slice to write back (`call.Ctx.writeBack`).
        pub const may_write_back = blk: {
            for (params, 0..) |P, i| {
                // Objects and arrays can hold `*T` struct pointers and `[]Struct` slices (write_back.zig).
                if (fromJs(i) and !callback_param.isCallback(P.?) and (types.borrows(P.?) or types.runsJs(P.?) or manySlice(i) != null)) break :blk true;
            }
            break :blk false;
        };
    };
}

/// Positional arguments needed before every remaining field may be omitted
/// (it has a default or is optional).
fn requiredFields(comptime S: type) usize {
    var n: usize = 0;
    for (compat.structFieldTypes(S), 0..) |F, i| {
        if (!compat.fieldHasDefault(S, i) and @typeInfo(F) != .optional) n = i + 1;
    }
    return n;
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
            try check(env, napi.napi_get_cb_info(env, info, &argc, &argv, null, null));
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

/// Checks the argument count and fills the JS-visible parameters of `args`
/// (callbacks are filled by `callWith`; the first `skip` by the caller).
pub inline fn readArgs(
    comptime F: type,
    comptime skip: usize,
    comptime label: []const u8,
    cx: *call.Ctx,
    argv_buf: []const Value,
    argc: usize,
    args: *std.meta.ArgsTuple(F),
    allocator: ?std.mem.Allocator,
) Error!void {
    const S = Shape(F, skip);
    const env = cx.env;
    // Kwargs form: one plain object carries the fields by name.
    const object_form = S.kwargs != null and argc == 1 and try isPlainObject(env, argv_buf[0]);
    if (!object_form and (argc < S.min_args or argc > S.max_args)) {
        return arityError(env, label, S.kwargs != null, S.min_args, S.max_args, argc);
    }
    const argv = argv_buf[0..argc];
    // Borrowed memory must stay valid and unchanged until the call ends (borrow.zig):
    // the tracker copies or borrows again what JS could otherwise detach or refill.
    var borrows: S.borrows.Tracker(label) = .{};
    // Kept JS functions already read are released if a later argument fails: nobody else can.
    var read_count: usize = 0;
    errdefer js_function.releaseRead(S.params, skip, args, read_count);
    inline for (S.params, 0..) |P, i| {
        const T = P.?;
        if (i < skip) {
            // filled by the caller
        } else if (comptime types.isAllocator(T)) {
            args[i] = allocator orelse try cx.allocator();
        } else if (comptime callback_param.isCallback(T)) {
            // filled by callWith
        } else if (comptime pointer.isLength(S.params, i)) {
            // filled with the many-item pointer before it
        } else if (comptime S.manySlice(i)) |Slice| {
            const was_copying = cx.copy;
            defer cx.copy = was_copying;
            if (comptime S.jsRunsAfter(i)) cx.copy = true;
            const slice = try from_js.read(Slice, cx, argv[S.js_index[i]], comptime call.argumentWhere(label, S.js_index[i] + 1));
            args[i] = slice.ptr;
            args[i + 1] = slice.len;
        } else if (S.kwargs != null) {
            args[i] = try readKwargs(T, cx, argv, object_form, label);
        } else {
            const where = comptime call.argumentWhere(label, S.js_index[i] + 1);
            const v = argv[S.js_index[i]];
            if (comptime owned.isFreeName(label) and owned.freesParam(T)) {
                // A free function gets back the Zig memory a returned array was copied from.
                args[i] = try owned.readFreed(T, env, v, where);
            } else if (comptime owned.isFreeName(label) and owned.freesPointer(T)) {
                args[i] = try owned.readFreedPointer(T, env, v, where);
            } else {
                if (comptime S.borrows.runsJs(i) and S.borrows.trackedBefore(i)) {
                    if (try borrow.willRunJs(T, env, v)) try borrows.beforeJs(i, cx, args);
                }
                borrows.startRead(i, cx);
                args[i] = if (comptime callback_param.hasCallbackFields(T))
                    try callback_param.readStruct(T, cx, v, where)
                else
                    from_js.unbox(T, try from_js.read(T, cx, v, where));
                borrows.endRead(i, cx);
                if (comptime types.kind(T) == .js_function) read_count = i + 1;
            }
        }
    }
    if (comptime S.borrows.any_tracked) try borrows.settle(cx, args, argv);
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

/// The struct parameter of a kwargs-style function: one plain object is
/// read by field name, otherwise the arguments map to fields in order.
inline fn readKwargs(comptime T: type, cx: *call.Ctx, argv: []const Value, object_form: bool, comptime label: []const u8) Error!T {
    if (object_form) {
        return from_js.readStruct(T, cx, argv[0], comptime call.argumentWhere(label, 1));
    }
    // Like the object form, the fields' borrows are copied (a later field may run JS).
    const was_copying = borrow.copyInside(T, cx);
    defer borrow.endCopyInside(T, cx, was_copying);
    var out: T = undefined;
    inline for (comptime compat.structFieldNames(T), 0..) |fname, i| {
        const where = comptime call.argumentWhere(label, i + 1);
        const fv: ?Value = if (i < argv.len) argv[i] else null;
        @field(out, fname) = from_js.unbox(compat.structFieldTypes(T)[i], try from_js.readField(T, i, cx, fv, where));
    }
    return out;
}

/// A non-null object that is neither an array nor a typed array / Buffer.
fn isPlainObject(env: Env, v: Value) Error!bool {
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    if (t != .object) return false;
    var is = false;
    try check(env, napi.napi_is_array(env, v, &is));
    if (is) return false;
    try check(env, napi.napi_is_typedarray(env, v, &is));
    return !is;
}

/// "add() expects 2 arguments, got 1" / "hello() expects 1 to 2 arguments, got 3";
/// a kwargs function needing 2+ positional arguments also names the object form.
fn arityError(env: Env, comptime label: []const u8, comptime kwargs: bool, comptime min: usize, comptime max: usize, got: usize) Error {
    @branchHint(.cold);
    const count = comptime if (min == max)
        std.fmt.comptimePrint("{d} argument{s}", .{ min, if (min == 1) "" else "s" })
    else
        std.fmt.comptimePrint("{d} to {d} arguments", .{ min, max });
    const want = comptime if (kwargs and min > 1) "an object or " ++ count else count;
    var buf: [20]u8 = undefined;
    return napi.throwType(env, &.{ label ++ " expects " ++ want ++ ", got ", std.fmt.bufPrint(&buf, "{d}", .{got}) catch unreachable });
}

/// A Zig error becomes a JS Error with `code` = the error name.
pub fn zigError(env: Env, comptime prefix: []const u8, name: [:0]const u8) Error {
    @branchHint(.cold);
    return napi.throwParts(env, .plain, name.ptr, &.{ prefix, name });
}

test requiredFields {
    const A = struct { a: u8, b: u8 = 1, c: ?u8 };
    try std.testing.expectEqual(@as(usize, 1), comptime requiredFields(A));
    const B = struct { a: u8 = 0, b: u8 };
    try std.testing.expectEqual(@as(usize, 2), comptime requiredFields(B));
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
