//! Zig value -> JS value, generated at comptime per result type. Results
//! are always copied into JS-owned memory (strings, new typed arrays), so the
//! Zig memory behind them can be freed right after.

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const types = @import("types.zig");
const type_support = @import("type_support.zig");
const instance = @import("instance.zig");
const iterator = @import("iterator.zig");
const error_values = @import("error_values.zig");
const comptime_values = @import("comptime_values.zig");
const function_pointer = @import("function_pointer.zig");
const handle = @import("handle.zig");
const pointer = @import("pointer.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// Null when values of `T` can be converted to JS, else a short reason.
pub fn unsupported(comptime T: type) ?[]const u8 {
    return type_support.unsupported(T, .out);
}

/// Null when the constant `value` can be converted (comptime-only forms included).
pub fn unsupportedConstant(comptime value: anytype) ?[]const u8 {
    if (comptime comptime_values.handles(@TypeOf(value))) return comptime comptime_values.unsupported(value);
    return unsupported(@TypeOf(value));
}

/// Converts `value` to a new JS value. `where` ("add(): return value") is
/// only used in error messages.
pub inline fn write(comptime T: type, env: Env, value: T, comptime where: []const u8) Error!Value {
    var out: Value = undefined;
    switch (comptime types.kind(T)) {
        .void => try check(env, napi.napi_get_undefined(env, &out)),
        .boolean => try check(env, napi.napi_get_boolean(env, value, &out)),
        .number, .bigint => {
            if (@typeInfo(T) == .float) {
                try check(env, napi.napi_create_double(env, @floatCast(value), &out));
            } else return writeInt(T, env, value, where);
        },
        .optional => {
            if (value) |inner| return write(@typeInfo(T).optional.child, env, inner, where);
            try check(env, napi.napi_get_null(env, &out));
        },
        .@"enum" => {
            if (comptime !compat.enumIsExhaustive(T)) return writeOpenEnum(T, env, value, where);
            const name = @tagName(value);
            try check(env, napi.napi_create_string_utf8(env, name.ptr, name.len, &out));
        },
        .@"struct" => return writeStruct(T, env, value, where),
        .string => {
            const bytes: []const u8 = switch (@typeInfo(T).pointer.size) {
                .one => value[0..],
                .slice => value,
                else => std.mem.span(value), // a C string
            };
            try check(env, napi.napi_create_string_utf8(env, bytes.ptr, bytes.len, &out));
        },
        .typedarray => {
            const E = types.elementOf(T);
            if (comptime types.fixedLength(T)) |n| {
                const arr: [n]E = value;
                return writeTypedArray(E, env, &arr);
            }
            return writeTypedArray(E, env, value);
        },
        .array => {
            const E = types.elementOf(T);
            if (comptime @typeInfo(T) == .vector) return write([types.fixedLength(T).?]E, env, value, where);
            const items: []const E = if (comptime types.fixedLength(T) != null) &value else value;
            try check(env, napi.napi_create_array_with_length(env, items.len, &out));
            for (items, 0..) |item, i| {
                const ev = try write(E, env, item, where ++ " element");
                try check(env, napi.napi_set_element(env, out, @intCast(i), ev));
            }
        },
        .tuple => {
            const field_types = comptime compat.structFieldTypes(T);
            try check(env, napi.napi_create_array_with_length(env, field_types.len, &out));
            inline for (field_types, 0..) |F, i| {
                const ev = try write(F, env, value[i], std.fmt.comptimePrint("{s}[{d}]", .{ where, i }));
                try check(env, napi.napi_set_element(env, out, i, ev));
            }
        },
        .@"union" => {
            try check(env, napi.napi_create_object(env, &out));
            switch (value) {
                inline else => |payload, tag| {
                    const name = @tagName(tag);
                    const pv = try write(@TypeOf(payload), env, payload, where ++ "." ++ name);
                    try check(env, napi.napi_set_named_property(env, out, name, pv));
                },
            }
        },
        .class => return instance.wrapNew(T, env, value),
        .handle => return handle.write(T, env, value),
        .struct_pointer => return pointer.write(T, env, value, where, writeStruct),
        .iterator => return iterator.wrap(T, env, value, ItemWriter(T, where).convert),
        .error_set => return error_values.writeName(env, value),
        .error_union => {
            if (value) |payload| return write(@typeInfo(T).error_union.payload, env, payload, where) else |err| return error_values.writeErrorObject(env, err);
        },
        .function => return function_pointer.write(T, env, value, where),
        .js_function, .unsupported => @compileError("zigimport: cannot convert " ++ @typeName(T)),
    }
    return out;
}

/// Converts one item of an iterator of type `T` (the iterator's `next` calls it).
fn ItemWriter(comptime T: type, comptime where: []const u8) type {
    return struct {
        fn convert(env: Env, item: iterator.Item(T)) Error!Value {
            return write(iterator.Item(T), env, item, where ++ " item");
        }
    };
}

/// A constant goes through the same writers as results; a comptime number is first given the
/// narrowest JS-friendly type (number when exact, else BigInt).
pub fn writeConstant(env: Env, comptime value: anytype, comptime where: []const u8) Error!Value {
    const V = @TypeOf(value);
    if (V == comptime_float) return write(f64, env, value, where);
    if (comptime comptime_values.handles(V)) return write(comptime_values.Runtime(value), env, comptime comptime_values.runtime(value), where);
    if (V == comptime_int) {
        if (value >= std.math.minInt(i32) and value <= std.math.maxInt(i32)) return write(i32, env, value, where);
        if (value >= -types.max_safe and value <= types.max_safe) return write(f64, env, value, where);
        if (value >= std.math.minInt(i64) and value <= std.math.maxInt(i64)) return write(i64, env, value, where);
        if (value >= 0 and value <= std.math.maxInt(u64)) return write(u64, env, value, where);
        if (value >= std.math.minInt(i128) and value <= std.math.maxInt(i128)) return write(i128, env, value, where);
        return write(u128, env, value, where);
    }
    return write(V, env, value, where);
}

inline fn writeInt(comptime T: type, env: Env, value: T, comptime where: []const u8) Error!Value {
    _ = where; // every integer has a JS value: nothing to report
    var out: Value = undefined;
    const bits = @typeInfo(T).int.bits;
    const signed = @typeInfo(T).int.signedness == .signed;
    if (bits <= 32 and comptime types.isNumberInt(T)) {
        if (signed) {
            try check(env, napi.napi_create_int32(env, value, &out));
        } else {
            try check(env, napi.napi_create_uint32(env, value, &out));
        }
    } else if (comptime types.isNumberInt(T)) {
        // 33..53 bits: exact in a double.
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

/// A non-exhaustive enum: a named value as its name, any other as its integer.
fn writeOpenEnum(comptime T: type, env: Env, value: T, comptime where: []const u8) Error!Value {
    const name = std.enums.tagName(T, value) orelse return writeInt(@typeInfo(T).@"enum".tag_type, env, compat.enumInt(value), where);
    var out: Value = undefined;
    try check(env, napi.napi_create_string_utf8(env, name.ptr, name.len, &out));
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
    try std.testing.expect(comptime unsupported([]const []const u8) == null);
}
