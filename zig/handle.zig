//! Opaque pointers (`*anyopaque`, `*opaque {}`, `?*anyopaque`) as handles: a
//! frozen-shape JS object wrapping the address, which JS can only hand back to
//! Zig. Each opaque type has its own Node-API type tag, so a handle of one kind
//! where another is expected is a TypeError naming the parameter, and a plain
//! object (or anything else) is never taken for a pointer.
//!
//! A handle does not own what it points to: the Zig code that made the pointer
//! decides when it is freed (typically a `destroy(h: *Thing)` export), like a
//! pointer in C. Constness is not part of the kind: a `*const T` parameter
//! takes a handle returned as `*T` and the other way round.

const std = @import("std");
const napi = @import("napi.zig");
const types = @import("types.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// The opaque type a handle type points to.
fn Opaque(comptime T: type) type {
    return @typeInfo(T).pointer.child;
}

/// The tag of handles to `O`. The address of a per-type marker makes tags differ
/// between addons (and reloads) that declare an opaque type of the same name.
fn tagOf(comptime O: type) napi.TypeTag {
    const S = struct {
        var marker: u8 = 0;
    };
    return .{ .lower = comptime std.hash.Fnv1a_64.hash("zigimport handle " ++ @typeName(O)), .upper = @intFromPtr(&S.marker) };
}

/// A new handle object for `ptr` (a `*O` or `*const O`).
pub fn write(comptime T: type, env: Env, ptr: T) Error!Value {
    const O = Opaque(T);
    var obj: Value = undefined;
    try check(env, napi.napi_create_object(env, &obj));
    const tag = tagOf(O);
    try check(env, napi.napi_type_tag_object(env, obj, &tag));
    try check(env, napi.napi_wrap(env, obj, @ptrCast(@constCast(ptr)), null, null, null));
    return obj;
}

/// The pointer inside a handle of `T`'s kind, or a TypeError naming `where`.
pub fn read(comptime T: type, env: Env, v: Value, comptime where: []const u8) Error!T {
    const O = Opaque(T);
    const what = comptime types.expected(T);
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    if (t != .object) return napi.throwWrongType(env, v, where, what);
    const tag = tagOf(O);
    var ok = false;
    try check(env, napi.napi_check_object_type_tag(env, v, &tag, &ok));
    if (!ok) return napi.throwType(env, &.{where ++ " must be " ++ what ++ " (a value a Zig function returned as " ++ @typeName(T) ++ "), got another object"});
    // A handle a free function took has no pointer any more (owned.readFreedPointer).
    var raw: ?*anyopaque = null;
    if (napi.napi_unwrap(env, v, &raw) != .ok or raw == null) {
        return napi.throwType(env, &.{where ++ ": this " ++ comptime types.handleName(T) ++ " handle was given to a free function; it can no longer be used"});
    }
    return @ptrCast(@alignCast(raw.?));
}

test tagOf {
    const A = opaque {};
    const B = opaque {};
    try std.testing.expect(tagOf(A).lower != tagOf(B).lower or tagOf(A).upper != tagOf(B).upper);
    try std.testing.expect(tagOf(anyopaque).lower == tagOf(anyopaque).lower);
}
