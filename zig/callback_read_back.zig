//! A callback's `*T` and `[]T` parameters (a struct pointer, a mutable slice of structs,
//! numbers or other elements) mean what they mean everywhere else: the JS function may
//! change what it got. The callback receives a copy (plain objects, an array, a typed
//! array); when it returns, what it holds is read back into the Zig memory the pointer or
//! slice refers to.
//!
//! Only fields and elements that hold no pointers are read back (numbers, booleans, enums,
//! fixed arrays, nested structs of those, ...): a string or slice read from JS would live in
//! per-call memory, and the Zig struct may outlive the call (a global), so its pointer fields
//! keep the Zig values they had. A value of the wrong type is a TypeError naming the field,
//! raised from the callback like a wrong return value.

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const types = @import("types.zig");
const call = @import("call.zig");
const from_js = @import("from_js.zig");

const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// Whether callback parameter type `T` is read back after the JS function returns.
pub fn readsBack(comptime T: type) bool {
    return isNumericSlice(T) or (types.writesBack(T) and holdsValues(Target(T)));
}

/// `[]f64`, `?[]i32`: a mutable slice the callback gets as a typed array copy.
fn isNumericSlice(comptime T: type) bool {
    const C = if (@typeInfo(T) == .optional) @typeInfo(T).optional.child else T;
    return types.kind(C) == .typedarray and types.isMutableSlice(C);
}

/// The type whose fields or elements are read back: the struct behind `*T`, the element of `[]T`.
fn Target(comptime T: type) type {
    const C = if (@typeInfo(T) == .optional) @typeInfo(T).optional.child else T;
    return @typeInfo(C).pointer.child;
}

/// Whether some part of a `T` can be read back (a struct with at least one such field).
fn holdsValues(comptime T: type) bool {
    if (isPlainValue(T)) return true;
    if (comptime types.kind(T) != .@"struct") return false;
    for (compat.structFieldTypes(T)) |F| if (holdsValues(F)) return true;
    return false;
}

/// A value read whole without pointing into memory that ends with the call.
fn isPlainValue(comptime T: type) bool {
    return switch (comptime types.kind(T)) {
        .number, .bigint, .boolean, .@"enum", .handle => true,
        .typedarray, .array => types.fixedLength(T) != null and isPlainValue(types.elementOf(T)),
        .optional => isPlainValue(@typeInfo(T).optional.child),
        .@"struct", .tuple => blk: {
            for (compat.structFieldTypes(T)) |F| if (!isPlainValue(F)) break :blk false;
            break :blk true;
        },
        else => false,
    };
}

/// Reads the JS value `v` (the object or array the callback got for `arg`) back into
/// the Zig memory `arg` refers to.
pub fn apply(comptime T: type, cx: *call.Ctx, v: Value, arg: T, comptime where: []const u8) Error!void {
    if (@typeInfo(T) == .optional) {
        if (arg) |a| try apply(@typeInfo(T).optional.child, cx, v, a, where);
        return;
    }
    if (comptime types.kind(T) == .struct_pointer) return intoStruct(Target(T), cx, v, arg, where);
    if (comptime types.kind(T) == .typedarray) return intoNumbers(Target(T), cx.env, v, arg);
    const E = Target(T);
    for (arg, 0..) |*item, i| {
        var ev: Value = undefined;
        try check(cx.env, napi.napi_get_element(cx.env, v, @intCast(i), &ev));
        if (comptime isPlainValue(E)) {
            item.* = from_js.unbox(E, try from_js.read(E, cx, ev, where ++ " element"));
        } else {
            try intoStruct(E, cx, ev, item, where ++ " element");
        }
    }
}

/// Copies the typed array the callback got back into the slice (as many elements as both
/// have: a typed array whose buffer the callback detached reads as empty).
fn intoNumbers(comptime E: type, env: napi.Env, v: Value, dst: []E) Error!void {
    var len: usize = 0;
    var data: ?*anyopaque = null;
    try check(env, napi.napi_get_typedarray_info(env, v, null, &len, &data, null, null));
    const src: [*]align(1) const E = @ptrCast(data orelse return);
    for (dst[0..@min(len, dst.len)], 0..) |*d, i| d.* = src[i];
}

fn intoStruct(comptime S: type, cx: *call.Ctx, obj: Value, dst: *S, comptime where: []const u8) Error!void {
    var t: napi.ValueType = undefined;
    try check(cx.env, napi.napi_typeof(cx.env, obj, &t));
    if (t != .object) return napi.throwWrongType(cx.env, obj, where, "an object");
    inline for (comptime compat.structFieldNames(S), comptime compat.structFieldTypes(S)) |name, F| {
        if (comptime holdsValues(F)) {
            const fwhere = where ++ "." ++ name;
            var fv: Value = undefined;
            try check(cx.env, napi.napi_get_named_property(cx.env, obj, name, &fv));
            if (comptime isPlainValue(F)) {
                @field(dst.*, name) = from_js.unbox(F, try from_js.read(F, cx, fv, fwhere));
            } else {
                try intoStruct(F, cx, fv, &@field(dst.*, name), fwhere);
            }
        }
    }
}

test readsBack {
    const Point = struct { x: f64, y: f64 };
    const Named = struct { name: []const u8, pos: Point, tags: [2]u8 };
    const OnlyName = struct { name: []const u8 };
    try std.testing.expect(comptime readsBack(*Point) and !readsBack(*const Point) and readsBack(?*Point));
    try std.testing.expect(comptime readsBack([]Point) and !readsBack([]const Point) and readsBack(*Named));
    try std.testing.expect(comptime !readsBack(*OnlyName) and readsBack([]bool) and !readsBack([][]const u8));
    try std.testing.expect(comptime isPlainValue([3]f64) and !isPlainValue([]f64) and !isPlainValue(Named));
    try std.testing.expect(comptime readsBack([]f64) and readsBack(?[]u8) and !readsBack([]const f64) and !readsBack([]const u8));
}
