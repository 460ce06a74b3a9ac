//! Zig value -> JS value, generated at comptime per result type. Results
//! are always copied into JS-owned memory (strings, new typed arrays), so the
//! Zig memory behind them can be freed right after.

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const types = @import("types.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// Null when values of `T` can be converted to JS, else a short reason.
pub fn unsupported(comptime T: type) ?[]const u8 {
    return unsupportedIn(T, 0);
}

fn unsupportedIn(comptime T: type, comptime depth: u32) ?[]const u8 {
    if (depth > 8) return "type nests too deeply";
    switch (@typeInfo(T)) {
        .void, .bool, .float => return null,
        .int => |i| return if (i.bits <= 128) null else "integers wider than 128 bits are not supported",
        .optional => |o| {
            if (@typeInfo(o.child) == .optional) return "nested optionals are not supported";
            return unsupportedIn(o.child, depth + 1);
        },
        .@"enum" => return if (compat.enumIsExhaustive(T)) null else "non-exhaustive enum " ++ @typeName(T) ++ " is not supported",
        .@"struct" => {
            if (compat.isTuple(T)) return "tuples are not supported";
            if (types.isAllocator(T)) return "an Allocator cannot be returned";
            const names = compat.structFieldNames(T);
            inline for (comptime compat.structFieldTypes(T), 0..) |F, i| {
                if (F == void) return "field " ++ names[i] ++ " has type void";
                if (unsupportedIn(F, depth + 1)) |why| return "field " ++ names[i] ++ ": " ++ why;
            }
            return null;
        },
        .pointer => if (types.isStringResult(T) or types.isTypedArraySlice(T)) return null,
        else => {},
    }
    return "type " ++ @typeName(T) ++ " is not supported";
}

/// Converts `value` to a new JS value. `where` ("add(): return value") is
/// only used in error messages.
pub inline fn write(comptime T: type, env: Env, value: T, comptime where: []const u8) Error!Value {
    var out: Value = undefined;
    switch (@typeInfo(T)) {
        .void => try check(env, napi.napi_get_undefined(env, &out)),
        .bool => try check(env, napi.napi_get_boolean(env, value, &out)),
        .float => try check(env, napi.napi_create_double(env, @floatCast(value), &out)),
        .int => return writeInt(T, env, value, where),
        .optional => |o| {
            if (value) |inner| return write(o.child, env, inner, where);
            try check(env, napi.napi_get_null(env, &out));
        },
        .@"enum" => {
            const name = @tagName(value);
            try check(env, napi.napi_create_string_utf8(env, name.ptr, name.len, &out));
        },
        .@"struct" => return writeStruct(T, env, value, where),
        .pointer => |p| {
            if (comptime types.isStringResult(T)) {
                const bytes: []const u8 = if (p.size == .one) value[0..] else value;
                try check(env, napi.napi_create_string_utf8(env, bytes.ptr, bytes.len, &out));
            } else {
                return writeTypedArray(types.sliceChild(T), env, value);
            }
        },
        else => @compileError("zigimport: cannot convert " ++ @typeName(T)),
    }
    return out;
}

inline fn writeInt(comptime T: type, env: Env, value: T, comptime where: []const u8) Error!Value {
    var out: Value = undefined;
    const bits = @typeInfo(T).int.bits;
    const signed = @typeInfo(T).int.signedness == .signed;
    if (bits <= 32 and T != usize and T != isize) {
        if (signed) {
            try check(env, napi.napi_create_int32(env, value, &out));
        } else {
            try check(env, napi.napi_create_uint32(env, value, &out));
        }
    } else if (comptime types.isNumberInt(T)) {
        // usize/isize are numbers, but only exact within the safe range.
        if (value < types.numberMin(T) or value > types.numberMax(T)) {
            return napi.throwRange(env, &.{where ++ " is outside the safe integer range of a JS number"});
        }
        try check(env, napi.napi_create_double(env, @floatFromInt(value), &out));
    } else if (bits <= 64) {
        if (signed) {
            try check(env, napi.napi_create_bigint_int64(env, value, &out));
        } else {
            try check(env, napi.napi_create_bigint_uint64(env, value, &out));
        }
    } else {
        const mag: u128 = @abs(value);
        const words = [2]u64{ @truncate(mag), @truncate(mag >> 64) };
        const sign: c_int = if (value < 0) 1 else 0;
        try check(env, napi.napi_create_bigint_words(env, sign, 2, &words, &out));
    }
    return out;
}

fn writeStruct(comptime S: type, env: Env, value: S, comptime where: []const u8) Error!Value {
    var obj: Value = undefined;
    try check(env, napi.napi_create_object(env, &obj));
    inline for (comptime compat.structFieldNames(S), comptime compat.structFieldTypes(S)) |name, F| {
        const fv = try write(F, env, @field(value, name), where ++ "." ++ name);
        try check(env, napi.napi_set_named_property(env, obj, name, fv));
    }
    return obj;
}

/// A new typed array holding a copy of `items`.
fn writeTypedArray(comptime E: type, env: Env, items: []const E) Error!Value {
    var data: ?*anyopaque = null;
    var buffer: Value = undefined;
    try check(env, napi.napi_create_arraybuffer(env, items.len * @sizeOf(E), &data, &buffer));
    if (items.len > 0) {
        const dst: [*]E = @ptrCast(@alignCast(data.?));
        @memcpy(dst[0..items.len], items);
    }
    var out: Value = undefined;
    try check(env, napi.napi_create_typedarray(env, comptime types.typedArrayKind(E).?, items.len, buffer, 0, &out));
    return out;
}

test unsupported {
    try std.testing.expect(comptime unsupported(void) == null);
    try std.testing.expect(comptime unsupported(*const [5:0]u8) == null);
    try std.testing.expect(comptime unsupported([]u8) == null);
    try std.testing.expect(comptime unsupported(struct { x: f64, name: []const u8 }) == null);
    try std.testing.expect(comptime unsupported(noreturn) != null);
    try std.testing.expect(comptime unsupported([]const []const u8) != null);
}
