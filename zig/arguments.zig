//! Reading the JS arguments of a call into the Zig function's argument tuple: the argument
//! count, each parameter by its kind (an injected Allocator, a many-item pointer and its
//! length, a kwargs struct given as one object or field by field, a struct with callback
//! fields), with borrowed memory tracked (borrow.zig). Callbacks are pushed by
//! function.callWith.

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const types = @import("types.zig");
const call = @import("call.zig");
const from_js = @import("from_js.zig");
const callback_param = @import("callback_param.zig");
const borrow = @import("borrow.zig");
const js_function = @import("js_function.zig");
const owned = @import("owned.zig");
const pointer = @import("pointer.zig");
const signature = @import("signature.zig");

const Value = napi.Value;
const Error = napi.Error;
const Env = napi.Env;
const check = napi.check;
const Shape = signature.Shape;

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

/// The struct parameter of a kwargs-style function: one plain object is
/// read by field name, otherwise the arguments map to fields in order.
inline fn readKwargs(comptime T: type, cx: *call.Ctx, argv: []const Value, object_form: bool, comptime label: []const u8) Error!T {
    if (object_form) {
        // isPlainObject checked that it is an object: no second typeof.
        const was_copying = borrow.copyInside(T, cx);
        defer borrow.endCopyInside(T, cx, was_copying);
        return from_js.readObjectFields(T, cx, argv[0], comptime call.argumentWhere(label, 1));
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
