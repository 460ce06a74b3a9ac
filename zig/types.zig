//! Comptime classification of Zig types shared by the readers (from_js) and
//! the writers (to_js): which types are strings, typed arrays, big integers.

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");

/// `std.mem.Allocator` parameters are injected, never read from JS.
pub fn isAllocator(comptime T: type) bool {
    return T == std.mem.Allocator;
}

/// Integers that travel as JS numbers: up to 53 bits (exactly representable
/// in a double) plus `usize`/`isize`, limited to the safe-integer range.
/// Wider integers travel as BigInt.
pub fn isNumberInt(comptime T: type) bool {
    return T == usize or T == isize or @typeInfo(T).int.bits <= 53;
}

/// Inclusive limits of the integers accepted for `T` from a JS number.
pub fn numberMin(comptime T: type) comptime_int {
    if (T == isize) return -(max_safe);
    return std.math.minInt(T);
}
pub fn numberMax(comptime T: type) comptime_int {
    if (T == usize or T == isize) return max_safe;
    return std.math.maxInt(T);
}
pub const max_safe = (1 << 53) - 1;

/// A `[]const u8` / `[:0]const u8` parameter: a JS string or a Uint8Array.
pub fn isStringParam(comptime T: type) bool {
    const info = @typeInfo(T);
    if (info != .pointer) return false;
    const p = info.pointer;
    return p.size == .slice and p.child == u8 and compat.isConstPointer(T) and
        (p.sentinel_ptr == null or p.sentinel() == 0);
}

/// Types returned to JS as strings: const u8 slices, u8 slices with a 0
/// sentinel, and pointers to u8 arrays (string literals: `*const [N:0]u8`).
pub fn isStringResult(comptime T: type) bool {
    const info = @typeInfo(T);
    if (info != .pointer) return false;
    const p = info.pointer;
    switch (p.size) {
        .slice => return p.child == u8 and
            (compat.isConstPointer(T) or (p.sentinel_ptr != null and p.sentinel() == 0)),
        .one => {
            const c = @typeInfo(p.child);
            return c == .array and c.array.child == u8;
        },
        else => return false,
    }
}

/// The typed-array kind matching a slice element type, or null.
pub fn typedArrayKind(comptime E: type) ?napi.TypedArrayType {
    return switch (E) {
        i8 => .int8,
        u8 => .uint8,
        i16 => .int16,
        u16 => .uint16,
        i32 => .int32,
        u32 => .uint32,
        i64 => .bigint64,
        u64 => .biguint64,
        f32 => .float32,
        f64 => .float64,
        else => null,
    };
}

/// A slice (no sentinel) of a numeric element type with a typed-array
/// counterpart. `[]const u8` is a string, not a Uint8Array.
pub fn isTypedArraySlice(comptime T: type) bool {
    const info = @typeInfo(T);
    if (info != .pointer) return false;
    const p = info.pointer;
    if (p.size != .slice or p.sentinel_ptr != null) return false;
    if (typedArrayKind(p.child) == null) return false;
    return !(p.child == u8 and compat.isConstPointer(T));
}

pub fn sliceChild(comptime T: type) type {
    return @typeInfo(T).pointer.child;
}

/// Short English description of what JS value a parameter accepts, for
/// error messages ("a number", "a Float64Array or null", ...).
pub fn expected(comptime T: type) []const u8 {
    return switch (@typeInfo(T)) {
        .bool => "a boolean",
        .float => "a number",
        .int => if (isNumberInt(T)) "a number" else "a bigint or integer number",
        .optional => |o| expected(o.child) ++ " or null",
        .@"enum" => "a string",
        .@"struct" => "an object",
        .pointer => if (isStringParam(T))
            "a string or Uint8Array"
        else if (isTypedArraySlice(T))
            typedArrayKind(sliceChild(T)).?.jsNameWithArticle()
        else
            "a value",
        else => "a value",
    };
}

/// `"a", "b", "c"` for an enum, for error messages.
pub fn enumNameList(comptime E: type) []const u8 {
    return comptime blk: {
        var out: []const u8 = "";
        for (compat.enumFieldNames(E), 0..) |name, i| {
            out = out ++ (if (i == 0) "" else ", ") ++ "\"" ++ name ++ "\"";
        }
        break :blk out;
    };
}

test isStringParam {
    try std.testing.expect(isStringParam([]const u8));
    try std.testing.expect(isStringParam([:0]const u8));
    try std.testing.expect(!isStringParam([]u8));
    try std.testing.expect(isStringResult(*const [3:0]u8));
    try std.testing.expect(isTypedArraySlice([]u8));
    try std.testing.expect(isTypedArraySlice([]const f64));
    try std.testing.expect(!isTypedArraySlice([]const u8));
    try std.testing.expectEqualStrings("a Float64Array or null", comptime expected(?[]f64));
}
