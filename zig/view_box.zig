//! The native side of a live view (view.zig): a box holding the pointer, tagged per struct
//! type, so a view of one struct is never read as another. Separate from view.zig so that
//! from_js.zig can take a view's pointer back without importing the view's field accessors.

const std = @import("std");
const napi = @import("napi.zig");
const instance = @import("instance.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// A view's pointer. `alive` turns false when the view is given to a free function.
pub fn Box(comptime S: type) type {
    return struct { ptr: *S, alive: bool = true };
}

pub fn tagOf(comptime S: type) napi.TypeTag {
    const M = struct {
        var marker: u8 = 0;
    };
    return .{ .lower = comptime std.hash.Fnv1a_64.hash("zigimport view " ++ @typeName(S)), .upper = @intFromPtr(&M.marker) };
}

/// Tags `obj` as a view of `ptr`; the box is freed with the object (not the memory it points to).
pub fn attach(comptime S: type, env: Env, obj: Value, ptr: *S) Error!void {
    const box = instance.gpa.create(Box(S)) catch return @import("call.zig").outOfMemory(env);
    box.* = .{ .ptr = ptr };
    const tag = tagOf(S);
    napi.check(env, napi.napi_type_tag_object(env, obj, &tag)) catch |err| {
        instance.gpa.destroy(box);
        return err;
    };
    napi.check(env, napi.napi_wrap(env, obj, box, &Finalizer(S).finalize, null, null)) catch |err| {
        instance.gpa.destroy(box);
        return err;
    };
}

fn Finalizer(comptime S: type) type {
    return struct {
        fn finalize(_: Env, data: ?*anyopaque, _: ?*anyopaque) callconv(.c) void {
            instance.gpa.destroy(@as(*Box(S), @ptrCast(@alignCast(data orelse return))));
        }
    };
}

/// The box of `v` when it is a view of an `S` (alive or not), else null.
pub fn find(comptime S: type, env: Env, v: Value) Error!?*Box(S) {
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    if (t != .object) return null;
    const tag = tagOf(S);
    var ok = false;
    try check(env, napi.napi_check_object_type_tag(env, v, &tag, &ok));
    if (!ok) return null;
    var raw: ?*anyopaque = null;
    try check(env, napi.napi_unwrap(env, v, &raw));
    return @ptrCast(@alignCast(raw orelse return null));
}

/// The pointer of a live view, or an Error (code ZIGIMPORT_FREED) when a free function took it.
pub fn pointer(comptime S: type, env: Env, box: *Box(S), comptime where: []const u8) Error!*S {
    if (!box.alive) return napi.throwParts(env, .plain, "ZIGIMPORT_FREED", &.{where ++ ": this view's memory was given to a free function; it can no longer be used"});
    return box.ptr;
}
