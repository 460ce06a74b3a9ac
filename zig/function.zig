//! One Node-API callback ("trampoline") per exported Zig function, generated
//! at comptime from its signature: read the JS arguments into a fixed-size
//! stack array, convert each parameter, call, convert the result. Scalar
//! signatures touch neither the arena nor any thread-local state.

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const types = @import("types.zig");
const call = @import("call.zig");
const from_js = @import("from_js.zig");
const to_js = @import("to_js.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// Null when the function type `F` can be exported, else a short reason.
pub fn unsupported(comptime F: type) ?[]const u8 {
    if (compat.fnIsVarArgs(F)) return "variadic functions are not supported";
    const params = compat.fnParamTypes(F);
    inline for (params, 0..) |P, i| {
        const pos = std.fmt.comptimePrint("parameter {d}", .{i + 1});
        const T = P orelse return pos ++ " is anytype or generic";
        if (T == type) return pos ++ " is a comptime type";
        if (!types.isAllocator(T)) {
            if (from_js.unsupported(T)) |why| return pos ++ ": " ++ why;
        }
    }
    if (compat.fnIsGeneric(F)) return "generic function";
    const R = compat.fnReturnType(F) orelse return "return type is generic";
    const Payload = switch (@typeInfo(R)) {
        .error_union => |eu| eu.payload,
        else => R,
    };
    if (to_js.unsupported(Payload)) |why| return "return type: " ++ why;
    return null;
}

/// Shape of a supported signature, computed once at comptime.
fn Shape(comptime F: type) type {
    return struct {
        const params = compat.fnParamTypes(F);
        /// Number of parameters passed from JS (allocators are injected).
        const js_count = blk: {
            var n = 0;
            for (params) |P| {
                if (!types.isAllocator(P.?)) n += 1;
            }
            break :blk n;
        };
        /// JS argument index of each parameter (allocators: unused).
        const js_index = blk: {
            var idx: [params.len]usize = undefined;
            var n = 0;
            for (params, 0..) |P, i| {
                idx[i] = n;
                if (!types.isAllocator(P.?)) n += 1;
            }
            break :blk idx;
        };
        /// Index of the only JS parameter when it is a struct with fields:
        /// such functions also accept their fields as positional arguments.
        const kwargs: ?usize = blk: {
            if (js_count != 1) break :blk null;
            for (params, 0..) |P, i| {
                const T = P.?;
                if (types.isAllocator(T)) continue;
                if (@typeInfo(T) == .@"struct" and compat.structFieldNames(T).len > 0) break :blk i;
            }
            break :blk null;
        };
        /// Fewest and most JS arguments accepted.
        const min_args = if (kwargs) |k| requiredFields(params[k].?) else js_count;
        const max_args = if (kwargs) |k| compat.structFieldNames(params[k].?).len else js_count;
        const uses_memory = blk: {
            for (params) |P| {
                if (types.isAllocator(P.?) or from_js.needsMemory(P.?)) break :blk true;
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
    const F = @TypeOf(func);
    const S = Shape(F);
    const label = name ++ "()";
    return &struct {
        fn cb(env: Env, info: napi.CallbackInfo) callconv(.c) ?Value {
            return invoke(env, info) catch null;
        }

        inline fn invoke(env: Env, info: napi.CallbackInfo) Error!Value {
            var argv: [@max(S.max_args, 1)]Value = undefined;
            var argc: usize = argv.len;
            try check(env, napi.napi_get_cb_info(env, info, &argc, &argv, null, null));
            // Kwargs form: one plain object carries the fields by name.
            const object_form = S.kwargs != null and argc == 1 and try isPlainObject(env, argv[0]);
            if (!object_form and (argc < S.min_args or argc > S.max_args)) {
                return arityError(env, label, S.kwargs != null, S.min_args, S.max_args, argc);
            }

            const st: ?*call.State = if (S.uses_memory) try call.enter(env) else null;
            defer if (S.uses_memory) call.leave(st.?);
            var scratch: [if (S.uses_memory) call.stack_scratch_size else 0]u8 = undefined;
            var cx = call.Ctx{ .env = env, .stack = &scratch, .state = st };

            var args: std.meta.ArgsTuple(F) = undefined;
            inline for (S.params, 0..) |P, i| {
                const T = P.?;
                if (comptime types.isAllocator(T)) {
                    args[i] = st.?.arena.allocator();
                } else if (S.kwargs != null) {
                    args[i] = try readKwargs(T, &cx, argv[0..argc], object_form, label);
                } else {
                    const where = std.fmt.comptimePrint("{s}: argument {d}", .{ label, S.js_index[i] + 1 });
                    args[i] = try from_js.read(T, &cx, argv[S.js_index[i]], where);
                }
            }

            const result = @call(.auto, func, args);
            const R = @TypeOf(result);
            const where_ret = label ++ ": return value";
            if (@typeInfo(R) == .error_union) {
                const payload = result catch |err| return zigError(env, label ++ " failed: error.", @errorName(err));
                return to_js.write(@TypeOf(payload), env, payload, where_ret);
            }
            return to_js.write(R, env, result, where_ret);
        }
    }.cb;
}

/// The struct parameter of a kwargs-style function: one plain object is
/// read by field name, otherwise the arguments map to fields in order.
inline fn readKwargs(comptime T: type, cx: *call.Ctx, argv: []const Value, object_form: bool, comptime label: []const u8) Error!T {
    if (object_form) {
        return from_js.readStruct(T, cx, argv[0], label ++ ": argument 1");
    }
    var out: T = undefined;
    inline for (comptime compat.structFieldNames(T), 0..) |fname, i| {
        const where = std.fmt.comptimePrint("{s}: argument {d}", .{ label, i + 1 });
        const fv: ?Value = if (i < argv.len) argv[i] else null;
        @field(out, fname) = try from_js.readField(T, i, cx, fv, where);
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
    return napi.throwType(env, &.{ label ++ " expects " ++ want ++ ", got ", napi.formatUnsigned(&buf, got) });
}

/// A Zig error becomes a JS Error with `code` = the error name.
fn zigError(env: Env, comptime prefix: []const u8, name: [:0]const u8) Error {
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
