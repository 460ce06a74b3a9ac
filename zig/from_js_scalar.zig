//! JS value -> Zig scalar: numbers, integers (number or BigInt), strings (UTF-8 copies, borrowed
//! Uint8Arrays, C strings) and enum names, for from_js.zig. These read no other value, so they
//! need none of from_js.zig's recursive readers.

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const types = @import("types.zig");
const call = @import("call.zig");
const borrow = @import("borrow.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const Ctx = call.Ctx;
const check = napi.check;
const wrongType = napi.throwWrongType;

pub fn readNumber(env: Env, v: Value, comptime where: []const u8, comptime what: []const u8) Error!f64 {
    var d: f64 = undefined;
    const st = napi.napi_get_value_double(env, v, &d);
    if (st == .number_expected) return wrongType(env, v, where, what);
    try check(env, st);
    return d;
}

pub fn isNullish(env: Env, v: Value) Error!bool {
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    return t == .undefined or t == .null;
}

pub fn isUndefined(env: Env, v: Value) Error!bool {
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    return t == .undefined;
}

// ---------------------------------------------------------------- integers

pub inline fn readInt(comptime T: type, env: Env, v: Value, comptime where: []const u8) Error!T {
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
    const lo = std.math.minInt(T);
    const hi = std.math.maxInt(T);
    const msg = comptime std.fmt.comptimePrint("{s} is out of range for {s} ({d}..{d})", .{ where, @typeName(T), lo, hi });
    return napi.throwRange(env, &.{msg});
}

// ----------------------------------------------------------------- strings

/// A string is copied (UTF-8) into the call's stack scratch when it fits,
/// else into the arena; a Uint8Array/Buffer is borrowed without copying.
pub fn readString(comptime T: type, cx: *Ctx, v: Value, comptime where: []const u8) Error!T {
    // A C string (`[*:0]const u8`): the 0-terminated copy's pointer.
    if (comptime @typeInfo(T).pointer.size != .slice) {
        return (try readString(if (compat.isConstPointer(T)) [:0]const u8 else [:0]u8, cx, v, where)).ptr;
    }
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
    const buf = try borrow.copyBuffer(cx, n + 1, where);
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
    const bytes: []const u8 = if (len == 0 or data == null) "" else @as([*]const u8, @ptrCast(data.?))[0..len];
    if (@typeInfo(T).pointer.sentinel_ptr == null and !cx.copy and compat.isConstPointer(T)) {
        cx.borrowed = true;
        return bytes;
    }
    // A 0-terminated slice needs its own copy with the terminator appended.
    const buf = try borrow.copyBuffer(cx, len + 1, where);
    @memcpy(buf[0..len], bytes);
    buf[len] = 0;
    if (@typeInfo(T).pointer.sentinel_ptr == null) return buf[0..len];
    return buf[0..len :0];
}

// ------------------------------------------------------------------- enums

/// Length of the longest of `names` (enum tags, union variants), for a
/// stack buffer that holds any valid name.
pub fn longestName(comptime names: []const [:0]const u8) usize {
    var m: usize = 0;
    for (names) |name| m = @max(m, name.len);
    return m;
}

pub fn readEnum(comptime E: type, env: Env, v: Value, comptime where: []const u8) Error!E {
    const names = comptime compat.enumFieldNames(E);
    // Room for one more UTF-8 sequence than the longest name, so a longer
    // input can never be truncated into a valid name.
    var buf: [longestName(names) + 5]u8 = undefined;
    var n: usize = 0;
    const st = napi.napi_get_value_string_utf8(env, v, &buf, buf.len, &n);
    const list = comptime types.enumNameList(E);
    if (st == .string_expected) {
        // A non-exhaustive enum also takes any integer of its tag type.
        if (comptime !compat.enumIsExhaustive(E)) return compat.enumFromInt(E, try readInt(@typeInfo(E).@"enum".tag_type, env, v, where));
        return wrongType(env, v, where, "a string (one of " ++ list ++ ")");
    }
    try check(env, st);
    inline for (names) |name| {
        if (n == name.len and std.mem.eql(u8, buf[0..n], name)) return @field(E, name);
    }
    const integer = comptime if (compat.enumIsExhaustive(E)) "" else " or an integer";
    return napi.throwType(env, &.{ where ++ " must be one of " ++ list ++ integer ++ ", got \"", buf[0..n], "\"" });
}
