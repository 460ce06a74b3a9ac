//! Slices Zig allocated and returned, then handed back to a Zig free function
//! (issue 12 point 3): `alloc(n) -> []f64` then `free(buf: []f64)`.
//!
//! Ownership: a returned numeric slice is copied into a new typed array (JS
//! memory, so it stays valid whatever Zig does, and no external ArrayBuffer is
//! needed: V8-sandbox builds such as Electron refuse those). When the slice was
//! not from the per-call arena (the function takes no injected allocator) nor a
//! slice of its own arguments, the typed array remembers the Zig slice it was
//! copied from (`track`). A **free function** (one whose name has the word free,
//! destroy, dealloc, release, dispose or deinit: `free`, `freeBuffer`,
//! `buf_release`) receives, for its slice parameters, that original Zig slice
//! (with the array's current contents copied into it first), once:
//! - a second free of the same array is a TypeError ("already freed"), not a double free;
//! - an array JS made, or a copy, is a TypeError ("not memory this module
//!   allocated"), not an "Invalid free" abort;
//! - the JS array stays usable after the free (it is JS memory).
//! Other functions get the JS array as any typed array. Zig memory no free
//! function is given back is leaked, as in Zig when `free` is never called.

const std = @import("std");
const napi = @import("napi.zig");
const types = @import("types.zig");
const call = @import("call.zig");
const instance = @import("instance.zig");
const view_box = @import("view_box.zig");
const handle = @import("handle.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// The Zig slice a returned typed array was copied from.
const Origin = struct {
    ptr: [*]u8,
    /// Elements (the Zig slice's `len`).
    len: usize,
    freed: bool = false,
};

var tag_marker: u8 = 0;

fn tag() napi.TypeTag {
    return .{ .lower = comptime std.hash.Fnv1a_64.hash("zigimport owned slice"), .upper = @intFromPtr(&tag_marker) };
}

/// "drop" is left out on purpose: `dropFirst(xs: []const f64)` drops elements, not memory.
const free_words = [_][]const u8{ "free", "destroy", "dealloc", "deallocate", "release", "dispose", "deinit" };

/// Whether the function `name` ("free()", "ns.freeBuffer()", "buf_release") frees what it is
/// given: one of its words (split at other characters than letters and digits, and at
/// lower-to-upper case changes) is a free word.
pub fn isFreeName(comptime name: []const u8) bool {
    comptime {
        var start = 0;
        for (0..name.len + 1) |i| {
            const separator = i < name.len and !std.ascii.isAlphanumeric(name[i]);
            const end = i == name.len or separator or
                (i > 0 and std.ascii.isUpper(name[i]) and std.ascii.isLower(name[i - 1]));
            if (!end) continue;
            const word = name[start..i];
            for (free_words) |w| if (std.ascii.eqlIgnoreCase(word, w)) return true;
            start = if (separator) i + 1 else i;
        }
        return false;
    }
}

/// A function result `R` whose numeric slice may be tracked: `[]T`, `?[]T`, `E![]T` of numbers.
pub fn tracksResult(comptime R: type, comptime injects_allocator: bool) bool {
    if (injects_allocator) return false; // its memory may be the per-call arena
    const P = if (@typeInfo(R) == .error_union) @typeInfo(R).error_union.payload else R;
    const C = if (@typeInfo(P) == .optional) @typeInfo(P).optional.child else P;
    return types.kind(C) == .typedarray and types.fixedLength(C) == null;
}

/// The element type of a tracked result type.
pub fn Element(comptime R: type) type {
    const P = if (@typeInfo(R) == .error_union) @typeInfo(R).error_union.payload else R;
    const C = if (@typeInfo(P) == .optional) @typeInfo(P).optional.child else P;
    return @typeInfo(C).pointer.child;
}

/// The bytes of `result` to remember, or null when there are none or they lie inside one of the
/// call's arguments (`args`: a slice of them returned is not the function's own memory).
pub fn origin(comptime R: type, result: R, args: anytype) ?[]const u8 {
    const P = if (@typeInfo(R) == .error_union) @typeInfo(R).error_union.payload else R;
    const payload: P = if (@typeInfo(R) == .error_union) (result catch return null) else result;
    const slice = if (@typeInfo(P) == .optional) (payload orelse return null) else payload;
    if (slice.len == 0) return null;
    const bytes = std.mem.sliceAsBytes(slice);
    return if (outsideArgs(@intFromPtr(bytes.ptr), args)) bytes else null;
}

/// Whether `addr` lies outside the memory of every argument in `args` (slices and single-item
/// pointers compared by range). False, to be safe, when an argument could hold the address
/// without showing it: structs, arrays, unions, opaque pointers.
pub fn outsideArgs(addr: usize, args: anytype) bool {
    inline for (args) |a| {
        const A = @TypeOf(a);
        const C = if (@typeInfo(A) == .optional) @typeInfo(A).optional.child else A;
        if (comptime @typeInfo(C) == .pointer) {
            const info = @typeInfo(C).pointer;
            const Child = info.child;
            if (comptime info.size == .slice) {
                const s: ?C = a;
                if (s) |v| {
                    const ab = std.mem.sliceAsBytes(v);
                    if (addr >= @intFromPtr(ab.ptr) and addr < @intFromPtr(ab.ptr) + ab.len) return false;
                }
            } else if (comptime info.size == .one and @typeInfo(Child) != .@"fn") {
                if (comptime @typeInfo(Child) == .@"opaque") return false;
                const s: ?C = a;
                if (s) |v| {
                    const lo = @intFromPtr(v);
                    if (addr >= lo and addr < lo + @max(@sizeOf(Child), 1)) return false;
                }
            } else if (comptime @typeInfo(Child) != .@"fn") return false;
        } else if (comptime !isScalar(C) and C != std.mem.Allocator) return false;
    }
    return true;
}

fn isScalar(comptime T: type) bool {
    return switch (@typeInfo(T)) {
        .int, .float, .bool, .@"enum", .void, .error_set => true,
        else => false,
    };
}

/// Remembers on the typed array `js` (just created from `bytes`) the Zig memory it copies.
pub fn track(env: Env, js: Value, bytes: []const u8, elem_size: usize) Error!void {
    const rec = instance.gpa.create(Origin) catch return call.outOfMemory(env);
    rec.* = .{ .ptr = @constCast(bytes.ptr), .len = bytes.len / elem_size };
    const t = tag();
    try check(env, napi.napi_type_tag_object(env, js, &t));
    napi.check(env, napi.napi_wrap(env, js, rec, &finalize, null, null)) catch |err| {
        instance.gpa.destroy(rec);
        return err;
    };
}

fn finalize(_: Env, data: ?*anyopaque, _: ?*anyopaque) callconv(.c) void {
    // Only the record: the Zig memory belongs to the module's allocator (see the file comment).
    instance.gpa.destroy(@as(*Origin, @ptrCast(@alignCast(data orelse return))));
}

/// A free function's slice parameter `T`: the original Zig slice behind the typed array `v`,
/// filled with the array's current contents, after which the array counts as freed.
pub fn readFreed(comptime T: type, env: Env, v: Value, comptime where: []const u8) Error!T {
    const Slice = if (@typeInfo(T) == .optional) @typeInfo(T).optional.child else T;
    const E = @typeInfo(Slice).pointer.child;
    const not_ours = where ++ " is not memory this module allocated: a free function only takes a typed array a function of this module returned (a copy, or an array made in JavaScript, cannot be freed by Zig)";
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    if (@typeInfo(T) == .optional and (t == .null or t == .undefined)) return null;
    const tg = tag();
    var ok = false;
    if (t == .object) try check(env, napi.napi_check_object_type_tag(env, v, &tg, &ok));
    if (!ok) return napi.throwType(env, &.{not_ours});
    var raw: ?*anyopaque = null;
    try check(env, napi.napi_unwrap(env, v, &raw));
    const rec: *Origin = @ptrCast(@alignCast(raw orelse return napi.throwType(env, &.{not_ours})));
    if (rec.freed) return napi.throwType(env, &.{where ++ " was already freed (passing it to a free function twice would be a double free)"});
    var kind: napi.TypedArrayType = undefined;
    var len: usize = 0;
    var data: ?*anyopaque = null;
    try check(env, napi.napi_get_typedarray_info(env, v, &kind, &len, &data, null, null));
    if (comptime types.typedArrayKind(E)) |want| {
        if (kind != want) return napi.throwType(env, &.{where ++ " must be " ++ comptime want.jsNameWithArticle() ++ " this module returned"});
    } else if (kind != .uint8) return napi.throwType(env, &.{not_ours});
    const zig: [*]E = @ptrCast(@alignCast(rec.ptr));
    // The array's contents, as JS last wrote them (it may have been detached: then nothing).
    if (data) |d| @memcpy(zig[0..@min(len, rec.len)], @as([*]const E, @ptrCast(@alignCast(d)))[0..@min(len, rec.len)]);
    rec.freed = true;
    return zig[0..rec.len];
}

/// Whether parameter type `T` of a free function is read by `readFreed`: a slice (possibly
/// optional) of numbers or bytes.
pub fn freesParam(comptime T: type) bool {
    const C = if (@typeInfo(T) == .optional) @typeInfo(T).optional.child else T;
    const info = @typeInfo(C);
    if (info != .pointer or info.pointer.size != .slice or info.pointer.sentinel_ptr != null) return false;
    return types.typedArrayKind(info.pointer.child) != null;
}

/// Whether parameter type `T` of a free function is read by `readFreedPointer`: a struct
/// pointer (a live view) or an opaque handle, possibly optional.
pub fn freesPointer(comptime T: type) bool {
    const C = if (@typeInfo(T) == .optional) @typeInfo(T).optional.child else T;
    return switch (types.kind(C)) {
        .struct_pointer, .handle => true,
        else => false,
    };
}

/// A free function's pointer parameter: the pointer of a live view or handle this module returned,
/// which then counts as freed (a second free is a TypeError, never a double free).
pub fn readFreedPointer(comptime T: type, env: Env, v: Value, comptime where: []const u8) Error!T {
    const C = if (@typeInfo(T) == .optional) @typeInfo(T).optional.child else T;
    if (@typeInfo(T) == .optional) {
        var t: napi.ValueType = undefined;
        try check(env, napi.napi_typeof(env, v, &t));
        if (t == .null or t == .undefined) return null;
    }
    if (comptime types.kind(C) == .handle) {
        const ptr = try handle.read(C, env, v, where);
        try check(env, napi.napi_remove_wrap(env, v, null));
        return ptr;
    }
    const S = @typeInfo(C).pointer.child;
    const box = (try view_box.find(S, env, v)) orelse
        return napi.throwType(env, &.{where ++ " is not memory this module allocated: a free function only takes a view a function of this module returned (a plain object is a copy Zig cannot free)"});
    if (!box.alive) return napi.throwType(env, &.{where ++ " was already freed (passing it to a free function twice would be a double free)"});
    box.alive = false;
    return box.ptr;
}

/// Why a free function (`isFreeName`) of type `F` cannot be exported, else null: a parameter that
/// holds memory inside a struct, array, union or sentinel slice, which JS can only pass as a copy
/// in per-call memory, so freeing it would abort ("Invalid free") or corrupt the heap. `skip`
/// leading parameters are filled by the caller (a method's `self`).
pub fn unfreeable(comptime F: type, comptime skip: usize) ?[]const u8 {
    for (@import("compat.zig").fnParamTypes(F), 0..) |P, i| {
        const T = P orelse continue;
        if (i < skip or T == std.mem.Allocator or freesParam(T) or freesPointer(T)) continue;
        if (types.kind(T) == .function or types.kind(T) == .class) continue;
        if (holdsMemory(T, 0)) return std.fmt.comptimePrint("parameter {d} of a free function holds memory JS can only pass as a copy (type {s}): Zig could not free it; take the slice itself, a *T returned as a view, or a handle", .{ i + 1, @typeName(T) });
    }
    return null;
}

fn holdsMemory(comptime T: type, comptime depth: u32) bool {
    if (depth > 8) return true;
    return switch (@typeInfo(T)) {
        .pointer => |p| @typeInfo(p.child) != .@"fn",
        .optional => |o| holdsMemory(o.child, depth + 1),
        .array => |a| holdsMemory(a.child, depth + 1),
        .@"struct" => blk: {
            for (@import("compat.zig").structFieldTypes(T)) |F| if (holdsMemory(F, depth + 1)) break :blk true;
            break :blk false;
        },
        .@"union" => blk: {
            for (@import("compat.zig").unionFieldTypes(T)) |F| if (holdsMemory(F, depth + 1)) break :blk true;
            break :blk false;
        },
        else => false,
    };
}

test unfreeable {
    const fns = struct {
        fn freeSlice(_: []f64) void {}
        fn freeStruct(_: struct { data: []f64 }) void {}
        fn freeName(_: [:0]const u8) void {}
        fn freeScalars(_: u32, _: f64) void {}
    };
    try std.testing.expect(comptime unfreeable(@TypeOf(fns.freeSlice), 0) == null and unfreeable(@TypeOf(fns.freeScalars), 0) == null);
    try std.testing.expect(comptime unfreeable(@TypeOf(fns.freeStruct), 0) != null and unfreeable(@TypeOf(fns.freeName), 0) != null);
}

test isFreeName {
    try std.testing.expect(comptime isFreeName("free()") and isFreeName("freeBuffer") and isFreeName("buf_free"));
    try std.testing.expect(comptime isFreeName("ns.destroy") and isFreeName("releaseAll") and isFreeName("bufRelease"));
    try std.testing.expect(comptime !isFreeName("freeze") and !isFreeName("sum") and !isFreeName("freedom") and !isFreeName("dropFirst()"));
}

test origin {
    var data = [_]f64{ 1, 2, 3 };
    const mine: []f64 = &data;
    try std.testing.expect(origin([]f64, mine, .{@as(u32, 3)}) != null);
    try std.testing.expect(origin([]f64, mine[1..], .{@as([]const f64, mine)}) == null);
    try std.testing.expect(origin(?[]f64, null, .{}) == null);
}
