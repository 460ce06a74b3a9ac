//! Struct pointers (`*T`, `*const T`, `?*const Node`) both ways, by copy:
//! - a parameter: the JS object is copied into per-call memory and Zig gets a
//!   pointer to the copy; for `*T` the fields are written back into the same
//!   object when the call returns (from_js.zig registers write_back.zig), so
//!   JS sees what the function changed;
//! - a result (or a field of one): the struct it points to is converted to a
//!   new object, pointers inside it to nested objects.
//!
//! A structure that points to itself (a cycle, or a list longer than
//! `max_depth`) is a RangeError instead of a stack overflow: the depth of
//! pointers being converted one inside another is counted per JS environment.
//! The readers and writers of the struct itself are passed in (`readStruct`,
//! `writeStruct`) so this file imports neither from_js.zig nor to_js.zig.

const std = @import("std");
const napi = @import("napi.zig");
const call = @import("call.zig");
const compat = @import("compat.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;

/// Most struct pointers converted one inside another (a linked list this long is
/// refused: at roughly a kilobyte of stack per level, more could exhaust the
/// stack of a worker thread).
pub const max_depth = 1000;

fn Pointee(comptime T: type) type {
    return @typeInfo(T).pointer.child;
}

/// Marks, in an error message's `where`, that a linked structure was followed
/// ("sumList(): argument 1….next.value"): the text stops growing there, so a
/// recursive type is converted by a finite number of comptime instances.
const linked_marker = "…";

/// The `where` of the struct behind a pointer: unchanged for a plain struct, cut at
/// (or ended by) `linked_marker` for one that itself holds struct pointers.
fn pointeeWhere(comptime T: type, comptime where: []const u8) []const u8 {
    comptime {
        if (std.mem.indexOf(u8, where, linked_marker)) |i| return where[0 .. i + linked_marker.len];
        for (compat.structFieldTypes(Pointee(T))) |F| {
            const C = if (@typeInfo(F) == .optional) @typeInfo(F).optional.child else F;
            if (@typeInfo(C) == .pointer and @typeInfo(C).pointer.size == .one and @typeInfo(@typeInfo(C).pointer.child) == .@"struct") return where ++ linked_marker;
        }
        return where;
    }
}

/// Enters one more level of pointer conversion, or throws when too deep.
fn enter(env: Env, comptime where: []const u8) Error!*call.State {
    const s = try call.state(env);
    if (s.pointer_depth >= max_depth) return tooDeep(env, where);
    s.pointer_depth += 1;
    return s;
}

fn leave(s: *call.State) void {
    s.pointer_depth -= 1;
}

/// Reads the object `v` into a per-call copy of the struct and returns a pointer to it.
pub fn read(comptime T: type, cx: *call.Ctx, v: Value, comptime where: []const u8, comptime readStruct: anytype) Error!T {
    const S = Pointee(T);
    const s = try enter(cx.env, where);
    defer leave(s);
    const slot = &(try cx.allocSlice(S, 1))[0];
    slot.* = try readStruct(S, cx, v, comptime pointeeWhere(T, where));
    return slot;
}

/// Converts the struct `ptr` points to (the memory is read now, not kept).
pub fn write(comptime T: type, env: Env, ptr: T, comptime where: []const u8, comptime writeStruct: anytype) Error!Value {
    const s = try enter(env, where);
    defer leave(s);
    return writeStruct(Pointee(T), env, ptr.*, comptime pointeeWhere(T, where));
}

test pointeeWhere {
    const Point = struct { x: f64 };
    const Node = struct { v: i32, next: ?*const @This() };
    try std.testing.expectEqualStrings("f(): argument 1", comptime pointeeWhere(*Point, "f(): argument 1"));
    try std.testing.expectEqualStrings("f(): argument 1…", comptime pointeeWhere(*const Node, "f(): argument 1"));
    try std.testing.expectEqualStrings("f(): argument 1…", comptime pointeeWhere(*const Node, "f(): argument 1….next"));
}

/// The slice a many-item pointer parameter (`[*]const T`, `[*]T`, no sentinel) is read as when
/// the next parameter is its length (`len: usize`): `[]const T` / `[]T`. Null for other types.
pub fn ManySlice(comptime T: type) ?type {
    const info = @typeInfo(T);
    if (info != .pointer or info.pointer.size != .many or info.pointer.sentinel_ptr != null) return null;
    if (@typeInfo(info.pointer.child) == .@"opaque") return null;
    return if (compat.isConstPointer(T)) []const info.pointer.child else []info.pointer.child;
}

/// Whether parameter `i` of `params` is a many-item pointer whose length is parameter `i + 1`
/// (the rule: `[*]T` immediately followed by a `usize`; the JS side passes one array for both).
pub fn hasLength(comptime params: []const ?type, comptime i: usize) bool {
    return i + 1 < params.len and params[i] != null and ManySlice(params[i].?) != null and params[i + 1] == usize;
}

/// Whether parameter `i` is the length of the many-item pointer before it (filled from JS's array).
pub fn isLength(comptime params: []const ?type, comptime i: usize) bool {
    return i > 0 and hasLength(params, i - 1);
}

test hasLength {
    const params = [_]?type{ [*]const f64, usize, [*]u8, u32, usize };
    try std.testing.expect(hasLength(&params, 0) and isLength(&params, 1));
    try std.testing.expect(!hasLength(&params, 2) and !isLength(&params, 3) and !isLength(&params, 4));
    try std.testing.expect(ManySlice([*]const f64).? == []const f64 and ManySlice([*:0]const u8) == null);
}

fn tooDeep(env: Env, comptime where: []const u8) Error {
    @branchHint(.cold);
    const msg = comptime std.fmt.comptimePrint("{s}: pointers nest more than {d} levels deep (a cycle, or a list too long to convert to nested objects)", .{ where, max_depth });
    return napi.throwParts(env, .range, "ZIGIMPORT_POINTER_DEPTH", &.{msg});
}
