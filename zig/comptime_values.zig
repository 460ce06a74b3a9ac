//! Comptime-only constants with an obvious JS value (issue 12 point 6): an enum literal
//! (`pub const mode = .fast`) is its name, and an array of `comptime_int` or
//! `comptime_float` is a plain JS array of numbers (of bigints when an integer needs more
//! than 53 bits). Each is given a runtime type here, then travels through the ordinary
//! writers (to_js) and descriptor (describe). Anything else comptime-only is skipped with
//! a reason. Scalar `comptime_int`/`comptime_float` constants are handled by
//! to_js.writeConstant.

const std = @import("std");

/// Whether `V` is a comptime-only type this file gives a runtime form.
pub fn handles(comptime V: type) bool {
    return switch (@typeInfo(V)) {
        .enum_literal => true,
        .array => |a| a.child == comptime_int or a.child == comptime_float or @typeInfo(a.child) == .enum_literal,
        else => false,
    };
}

/// Null when the constant `value` (of a type `handles` accepts) has a JS value, else why not.
pub fn unsupported(comptime value: anytype) ?[]const u8 {
    const V = @TypeOf(value);
    if (@typeInfo(V) == .array and @typeInfo(@typeInfo(V).array.child) == .enum_literal) return "arrays of enum literals are not supported";
    if (@typeInfo(V) == .array and @typeInfo(V).array.child == comptime_int) {
        for (value) |x| if (x < std.math.minInt(i128) or x > std.math.maxInt(u128)) return "integer constant does not fit in 128 bits";
    }
    return null;
}

/// The runtime element type of a `[N]comptime_int`: 53 bits when every element fits
/// (numbers), else 128 (bigints). Neither is a typed-array element, so it is a plain array.
fn IntElement(comptime items: anytype) type {
    var lo: comptime_int = 0;
    var hi: comptime_int = 0;
    for (items) |x| {
        lo = @min(lo, x);
        hi = @max(hi, x);
    }
    if (lo >= 0 and hi <= std.math.maxInt(u53)) return u53;
    if (lo >= std.math.minInt(i53) and hi <= std.math.maxInt(i53)) return i53;
    if (lo >= 0 and hi > std.math.maxInt(i128)) return u128;
    return i128;
}

/// The runtime type a handled comptime-only `value` travels as.
pub fn Runtime(comptime value: anytype) type {
    const V = @TypeOf(value);
    return switch (@typeInfo(V)) {
        .enum_literal => *const [@tagName(value).len:0]u8,
        // f128 keeps every comptime_float exactly until the writer rounds it to a double,
        // and, not being a typed-array element, makes a plain array.
        .array => |a| [a.len]if (a.child == comptime_int) IntElement(value) else f128,
        else => @compileError("not a comptime-only constant: " ++ @typeName(V)),
    };
}

/// `value` in its runtime type.
pub fn runtime(comptime value: anytype) Runtime(value) {
    const R = Runtime(value);
    if (@typeInfo(@TypeOf(value)) == .enum_literal) return @tagName(value);
    comptime var out: R = undefined;
    inline for (value, 0..) |x, i| out[i] = x;
    const final = out;
    return final;
}

/// The Zig type name shown in the descriptor: the source's, not the runtime stand-in.
pub fn zigName(comptime V: type) []const u8 {
    return if (@typeInfo(V) == .enum_literal) "@EnumLiteral()" else @typeName(V);
}

test runtime {
    try std.testing.expectEqualStrings("fast", runtime(.fast));
    const xs = runtime([_]comptime_int{ 2, 3, 5 });
    try std.testing.expect(@TypeOf(xs) == [3]u53 and xs[2] == 5);
    try std.testing.expect(@TypeOf(runtime([_]comptime_int{ -1, 1 << 60 })) == [2]i128);
    try std.testing.expect(@TypeOf(runtime([_]comptime_float{ 0.5, 1.5 })) == [2]f128);
    try std.testing.expect(unsupported([_]@TypeOf(.a){.a}) != null);
}
