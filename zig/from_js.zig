//! JS value -> Zig value, generated at comptime per parameter type.
//!
//! `where` is a comptime prefix such as "add(): argument 1" or
//! "draw(): argument 1.origin.x"; it is only used to build error messages,
//! so the success path does no formatting. Every failure leaves a pending JS
//! exception and returns `error.JsException`.

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const types = @import("types.zig");
const call = @import("call.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const Ctx = call.Ctx;
const check = napi.check;

/// Null when values of `T` can be read from JS, else a short reason.
pub fn unsupported(comptime T: type) ?[]const u8 {
    return unsupportedIn(T, 0);
}

fn unsupportedIn(comptime T: type, comptime depth: u32) ?[]const u8 {
    if (depth > 8) return "type nests too deeply";
    switch (@typeInfo(T)) {
        .bool, .float => return null,
        .int => |i| return if (i.bits <= 128) null else "integers wider than 128 bits are not supported",
        .optional => |o| {
            if (@typeInfo(o.child) == .optional) return "nested optionals are not supported";
            return unsupportedIn(o.child, depth + 1);
        },
        .@"enum" => {
            if (!compat.enumIsExhaustive(T)) return "non-exhaustive enum " ++ @typeName(T) ++ " is not supported";
            if (compat.enumFieldNames(T).len == 0) return "enum " ++ @typeName(T) ++ " has no values";
            return null;
        },
        .@"struct" => {
            if (types.isAllocator(T)) return "an Allocator is only supported as a direct parameter";
            if (compat.isTuple(T)) return "tuples are not supported";
            const names = compat.structFieldNames(T);
            inline for (comptime compat.structFieldTypes(T), 0..) |F, i| {
                if (compat.isComptimeField(T, i)) return "comptime field " ++ names[i] ++ " is not supported";
                if (unsupportedIn(F, depth + 1)) |why| return "field " ++ names[i] ++ ": " ++ why;
            }
            return null;
        },
        .pointer => if (types.isStringParam(T) or types.isTypedArraySlice(T)) return null,
        else => {},
    }
    return "type " ++ @typeName(T) ++ " is not supported";
}

/// Whether reading a `T` may need per-call memory (strings are copied).
pub fn needsMemory(comptime T: type) bool {
    return switch (@typeInfo(T)) {
        .optional => |o| needsMemory(o.child),
        .@"struct" => blk: {
            for (compat.structFieldTypes(T)) |F| if (needsMemory(F)) break :blk true;
            break :blk false;
        },
        .pointer => types.isStringParam(T),
        else => false,
    };
}

/// Reads a `T` (for which `unsupported(T) == null`) from `v`.
pub inline fn read(comptime T: type, cx: *Ctx, v: Value, comptime where: []const u8) Error!T {
    const env = cx.env;
    switch (@typeInfo(T)) {
        .bool => {
            var b: bool = undefined;
            const st = napi.napi_get_value_bool(env, v, &b);
            if (st == .boolean_expected) return wrongType(env, v, where, "a boolean");
            try check(env, st);
            return b;
        },
        .float => return @floatCast(try readNumber(env, v, where, "a number")),
        .int => return readInt(T, env, v, where),
        .optional => |o| {
            if (try isNullish(env, v)) return null;
            return try read(o.child, cx, v, where);
        },
        .@"enum" => return readEnum(T, env, v, where),
        .@"struct" => return readStruct(T, cx, v, where),
        .pointer => {
            if (comptime types.isStringParam(T)) return readString(T, cx, v, where);
            return readTypedArray(T, env, v, where);
        },
        else => @compileError("zigimport: cannot read " ++ @typeName(T)),
    }
}

/// Reads field `i` of struct `S`; `fv` null or `undefined` means "not given",
/// which takes the field's default, null for an optional, or throws.
pub inline fn readField(comptime S: type, comptime i: usize, cx: *Ctx, fv: ?Value, comptime where: []const u8) Error!compat.structFieldTypes(S)[i] {
    const F = comptime compat.structFieldTypes(S)[i];
    if (fv == null or try isUndefined(cx.env, fv.?)) {
        if (comptime compat.fieldDefault(S, i)) |d| return d;
        if (@typeInfo(F) == .optional) return null;
        const msg = comptime where ++ " is missing (expected " ++ types.expected(F) ++ ")";
        return napi.throwType(cx.env, &.{msg});
    }
    return read(F, cx, fv.?, where);
}

pub fn wrongType(env: Env, v: Value, comptime where: []const u8, comptime what: []const u8) Error {
    @branchHint(.cold);
    return napi.throwType(env, &.{ where ++ " must be " ++ what ++ ", got ", napi.describe(env, v) });
}

fn readNumber(env: Env, v: Value, comptime where: []const u8, comptime what: []const u8) Error!f64 {
    var d: f64 = undefined;
    const st = napi.napi_get_value_double(env, v, &d);
    if (st == .number_expected) return wrongType(env, v, where, what);
    try check(env, st);
    return d;
}

fn isNullish(env: Env, v: Value) Error!bool {
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    return t == .undefined or t == .null;
}

fn isUndefined(env: Env, v: Value) Error!bool {
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    return t == .undefined;
}

// ---------------------------------------------------------------- integers

inline fn readInt(comptime T: type, env: Env, v: Value, comptime where: []const u8) Error!T {
    if (comptime types.isNumberInt(T)) {
        return intFromNumber(T, env, try readNumber(env, v, where, "a number"), where);
    }
    const bits = @typeInfo(T).int.bits;
    const signed = @typeInfo(T).int.signedness == .signed;
    if (bits <= 64) {
        var lossless: bool = undefined;
        var x: if (signed) i64 else u64 = undefined;
        const st = if (signed)
            napi.napi_get_value_bigint_int64(env, v, &x, &lossless)
        else
            napi.napi_get_value_bigint_uint64(env, v, &x, &lossless);
        if (st == .bigint_expected) {
            return intFromNumber(T, env, try readNumber(env, v, where, "a bigint or integer number"), where);
        }
        try check(env, st);
        if (!lossless or x < std.math.minInt(T) or x > std.math.maxInt(T)) return outOfRange(T, env, where);
        return @intCast(x);
    }
    // 65..128 bits: read at most two 64-bit words; more means out of range.
    var words = [2]u64{ 0, 0 };
    var count: usize = 2;
    var sign: c_int = 0;
    const st = napi.napi_get_value_bigint_words(env, v, &sign, &count, &words);
    if (st == .bigint_expected) {
        return intFromNumber(T, env, try readNumber(env, v, where, "a bigint or integer number"), where);
    }
    try check(env, st);
    if (count > 2) return outOfRange(T, env, where);
    const mag: u128 = @as(u128, words[0]) | (@as(u128, words[1]) << 64);
    const wide: i129 = if (sign != 0) -@as(i129, mag) else @as(i129, mag);
    if (wide < std.math.minInt(T) or wide > std.math.maxInt(T)) return outOfRange(T, env, where);
    return @intCast(wide);
}

/// Integral check then range check, so 1.5 is a TypeError and 1e10 for an
/// i32 a RangeError.
inline fn intFromNumber(comptime T: type, env: Env, d: f64, comptime where: []const u8) Error!T {
    // Limits as doubles: the minimum is exact (0 or -2^n, or -(2^53-1)); the
    // maximum is compared exclusively against max+1, which is a power of two
    // (or 2^53) and therefore exact too.
    const lo: f64 = comptime @floatFromInt(types.numberMin(T));
    const hi_excl: f64 = comptime @floatFromInt(types.numberMax(T) + 1);
    if (@trunc(d) != d) return notInteger(T, env, d, where);
    if (d < lo or d >= hi_excl) return outOfRange(T, env, where);
    return @intFromFloat(d);
}

fn notInteger(comptime T: type, env: Env, d: f64, comptime where: []const u8) Error {
    @branchHint(.cold);
    if (std.math.isInf(d)) return outOfRange(T, env, where);
    const got: []const u8 = if (d != d) "NaN" else "a non-integral number";
    return napi.throwType(env, &.{ where ++ " must be an integer, got ", got });
}

fn outOfRange(comptime T: type, env: Env, comptime where: []const u8) Error {
    @branchHint(.cold);
    const lo = if (comptime types.isNumberInt(T)) types.numberMin(T) else std.math.minInt(T);
    const hi = if (comptime types.isNumberInt(T)) types.numberMax(T) else std.math.maxInt(T);
    const msg = comptime std.fmt.comptimePrint("{s} is out of range for {s} ({d}..{d})", .{ where, @typeName(T), lo, hi });
    return napi.throwRange(env, &.{msg});
}

// ----------------------------------------------------------------- strings

/// A string is copied (UTF-8) into the call's stack scratch when it fits,
/// else into the arena; a Uint8Array/Buffer is borrowed without copying.
fn readString(comptime T: type, cx: *Ctx, v: Value, comptime where: []const u8) Error!T {
    const env = cx.env;
    var n: usize = 0;
    // Fast path: one call into the stack scratch. Node copies whole UTF-8
    // sequences only, so a truncated copy ends fewer than 4 bytes short of
    // the room; anything shorter than that is certainly complete.
    if (cx.stack.len >= 8) {
        const st = napi.napi_get_value_string_utf8(env, v, cx.stack.ptr, cx.stack.len, &n);
        if (st == .ok and n + 5 < cx.stack.len) {
            const out = cx.stack[0..n :0];
            cx.stack = cx.stack[n + 1 ..];
            return out;
        }
        if (st == .string_expected) return readBytes(T, cx, v, where);
        try check(env, st);
    }
    const st = napi.napi_get_value_string_utf8(env, v, null, 0, &n);
    if (st == .string_expected) return readBytes(T, cx, v, where);
    try check(env, st);
    const buf = try cx.alloc(n + 1);
    var copied: usize = 0;
    try check(env, napi.napi_get_value_string_utf8(env, v, buf.ptr, buf.len, &copied));
    return buf[0..copied :0];
}

fn readBytes(comptime T: type, cx: *Ctx, v: Value, comptime where: []const u8) Error!T {
    const env = cx.env;
    var kind: napi.TypedArrayType = undefined;
    var len: usize = 0;
    var data: ?*anyopaque = null;
    if (napi.napi_get_typedarray_info(env, v, &kind, &len, &data, null, null) != .ok or
        (kind != .uint8 and kind != .uint8_clamped))
        return wrongType(env, v, where, "a string or Uint8Array");
    const bytes: []const u8 = if (len == 0) "" else @as([*]const u8, @ptrCast(data.?))[0..len];
    if (@typeInfo(T).pointer.sentinel_ptr == null) return bytes;
    // A 0-terminated slice needs its own copy with the terminator appended.
    const buf = try cx.alloc(len + 1);
    @memcpy(buf[0..len], bytes);
    buf[len] = 0;
    return buf[0..len :0];
}

// ------------------------------------------------------------ typed arrays

/// Borrows the typed array's memory: writes through a mutable slice are
/// visible to JS after the call.
fn readTypedArray(comptime T: type, env: Env, v: Value, comptime where: []const u8) Error!T {
    const E = types.sliceChild(T);
    const want = comptime types.typedArrayKind(E).?;
    var kind: napi.TypedArrayType = undefined;
    var len: usize = 0;
    var data: ?*anyopaque = null;
    if (napi.napi_get_typedarray_info(env, v, &kind, &len, &data, null, null) != .ok or
        !(kind == want or (want == .uint8 and kind == .uint8_clamped)))
        return wrongType(env, v, where, comptime want.jsNameWithArticle());
    if (len == 0 or data == null) return empty(E);
    const ptr: [*]E = @ptrCast(@alignCast(data.?));
    return ptr[0..len];
}

fn empty(comptime E: type) []E {
    const S = struct {
        var none: [0]E = .{};
    };
    return &S.none;
}

// ------------------------------------------------------------------- enums

fn readEnum(comptime E: type, env: Env, v: Value, comptime where: []const u8) Error!E {
    const names = comptime compat.enumFieldNames(E);
    const longest = comptime blk: {
        var m: usize = 0;
        for (names) |name| m = @max(m, name.len);
        break :blk m;
    };
    // Room for one more UTF-8 sequence than the longest name, so a longer
    // input can never be truncated into a valid name.
    var buf: [longest + 5]u8 = undefined;
    var n: usize = 0;
    const st = napi.napi_get_value_string_utf8(env, v, &buf, buf.len, &n);
    const list = comptime types.enumNameList(E);
    if (st == .string_expected) return wrongType(env, v, where, "a string (one of " ++ list ++ ")");
    try check(env, st);
    inline for (names) |name| {
        if (n == name.len and std.mem.eql(u8, buf[0..n], name)) return @field(E, name);
    }
    return napi.throwType(env, &.{ where ++ " must be one of " ++ list ++ ", got \"", buf[0..n], "\"" });
}

// ----------------------------------------------------------------- structs

/// Reads each field by name from a JS object.
pub fn readStruct(comptime S: type, cx: *Ctx, v: Value, comptime where: []const u8) Error!S {
    const env = cx.env;
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    if (t != .object) return wrongType(env, v, where, "an object");
    var out: S = undefined;
    inline for (comptime compat.structFieldNames(S), 0..) |name, i| {
        var fv: Value = undefined;
        try check(env, napi.napi_get_named_property(env, v, name, &fv));
        @field(out, name) = try readField(S, i, cx, fv, where ++ "." ++ name);
    }
    return out;
}

test unsupported {
    const S = struct { a: []const u8, b: ?f64 = null };
    try std.testing.expect(comptime unsupported(S) == null);
    try std.testing.expect(comptime unsupported(?[]i32) == null);
    try std.testing.expect(comptime unsupported(*i32) != null);
    try std.testing.expect(comptime unsupported(struct { u8, u8 }) != null);
    try std.testing.expect(comptime unsupported(u129) != null);
    try std.testing.expect(comptime needsMemory(S));
    try std.testing.expect(comptime !needsMemory([]f64));
}
