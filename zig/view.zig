//! Live views: a `*T` (mutable pointer to a plain struct) returned into memory that outlives
//! the call (a global, or an allocation from a long-lived allocator) becomes an object whose
//! fields are accessors on that memory: reading converts the field's current value, assigning
//! converts and writes it (the same TypeError/RangeError rules as arguments). A view passed back
//! where a `*T` or `*const T` is expected gives Zig the same pointer (no copy).
//!
//! Validity: a view is valid as long as the memory it points to. A view of a global lives
//! forever. A view a method returns into its own instance (`pub fn pos(self: *S) *Point`)
//! holds a hidden reference to the instance, so the instance is not collected before the view. A view of an allocation is valid until the module frees it: handing the view to a
//! free function (owned.isFreeName) marks it freed, after which using it throws an Error with code
//! ZIGIMPORT_FREED instead of reading freed memory. Memory freed by other means (a Zig function
//! that frees it behind the view's back) is the module's responsibility, as for a C pointer.
//! A pointer into the per-call arena (the function takes an injected allocator) or into one of
//! the call's own arguments is never a view: it is copied (pointer.zig), since that memory is
//! gone or not Zig's once the call returns.
//!
//! Fields that hold pointers (strings, slices, nested pointers) are read-only in a view (an
//! assignment would need memory whose owner is unclear); nested struct fields read as copies and
//! are written whole (`view.min = { x, y }`).

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const types = @import("types.zig");
const call = @import("call.zig");
const to_js = @import("to_js.zig");
const from_js = @import("from_js.zig");
const view_box = @import("view_box.zig");
const class_list = @import("class_list.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// The struct `S` when a function result `R` (`*S`, `?*S`, `E!*S`) is returned as a live view.
pub fn ViewOf(comptime R: type, comptime injects_allocator: bool) ?type {
    if (injects_allocator) return null;
    const P = if (@typeInfo(R) == .error_union) @typeInfo(R).error_union.payload else R;
    const C = if (@typeInfo(P) == .optional) @typeInfo(P).optional.child else P;
    if (types.kind(C) != .struct_pointer or compat.isConstPointer(C)) return null;
    return @typeInfo(C).pointer.child;
}

/// The address a result `R` points to, for the argument check (owned.outsideArgs); 0 for none.
pub fn address(comptime R: type, result: R) usize {
    const P = if (@typeInfo(R) == .error_union) @typeInfo(R).error_union.payload else R;
    const payload: P = if (@typeInfo(R) == .error_union) (result catch return 0) else result;
    const ptr = if (@typeInfo(P) == .optional) (payload orelse return 0) else payload;
    return @intFromPtr(ptr);
}

/// Converts a function result `R` whose pointer is a view (see `ViewOf`): an error throws, null is null.
pub fn writeResult(comptime R: type, env: Env, result: R, comptime label: []const u8, comptime zigError: anytype) Error!Value {
    return writeOwnedResult(R, env, result, label, zigError, null);
}

/// The same for a view into memory `owner` (a class instance) holds: the view keeps it alive.
pub fn writeOwnedResult(comptime R: type, env: Env, result: R, comptime label: []const u8, comptime zigError: anytype, owner: ?Value) Error!Value {
    const S = ViewOf(R, false).?;
    const P = if (@typeInfo(R) == .error_union) @typeInfo(R).error_union.payload else R;
    const payload: P = if (@typeInfo(R) == .error_union) (result catch |err| return zigError(env, label ++ " failed: error.", @errorName(err))) else result;
    const ptr: *S = if (@typeInfo(P) == .optional) (payload orelse {
        var out: Value = undefined;
        try check(env, napi.napi_get_null(env, &out));
        return out;
    }) else payload;
    const obj = try create(S, env, ptr);
    if (owner) |o| {
        // A hidden reference: the instance (and its memory) lives as long as the view.
        const prop = [_]napi.PropertyDescriptor{.{ .utf8name = "__zigimport_owner", .value = o }};
        try check(env, napi.napi_define_properties(env, obj, prop.len, &prop));
    }
    return obj;
}

/// A new view of `ptr`.
pub fn create(comptime S: type, env: Env, ptr: *S) Error!Value {
    var obj: Value = undefined;
    try check(env, napi.napi_create_object(env, &obj));
    const names = comptime compat.structFieldNames(S);
    if (names.len > 0) {
        var props: [names.len]napi.PropertyDescriptor = undefined;
        inline for (names, comptime compat.structFieldTypes(S), 0..) |name, F, i| {
            props[i] = .{
                .utf8name = name,
                .getter = Accessors(S, i).get,
                .setter = if (comptime settable(F)) Accessors(S, i).set else null,
                .attributes = napi.PropertyAttributes.enumerable,
            };
        }
        try check(env, napi.napi_define_properties(env, obj, props.len, &props));
    }
    try view_box.attach(S, env, obj, ptr);
    return obj;
}

/// A field JS may assign through a view: convertible from JS and holding no pointer.
fn settable(comptime F: type) bool {
    return from_js.unsupported(F) == null and !holdsPointer(F);
}

fn holdsPointer(comptime T: type) bool {
    return switch (@typeInfo(T)) {
        .pointer => true,
        .optional => |o| holdsPointer(o.child),
        .array => |a| holdsPointer(a.child),
        .@"struct" => blk: {
            for (compat.structFieldTypes(T)) |F| if (holdsPointer(F)) break :blk true;
            break :blk false;
        },
        .@"union" => blk: {
            for (compat.unionFieldTypes(T)) |F| if (holdsPointer(F)) break :blk true;
            break :blk false;
        },
        else => false,
    };
}

/// "Point view": names the view in error messages.
fn viewName(comptime S: type) []const u8 {
    const prefix = @typeName(class_list.User) ++ ".";
    const full = @typeName(S);
    return (if (std.mem.startsWith(u8, full, prefix)) full[prefix.len..] else full) ++ " view";
}

fn Accessors(comptime S: type, comptime i: usize) type {
    const name = compat.structFieldNames(S)[i];
    const F = compat.structFieldTypes(S)[i];
    const where = viewName(S) ++ "." ++ name;
    return struct {
        /// The view's memory, from `this` (an accessor taken off the view and called on
        /// another object is a TypeError, never a read of foreign memory).
        fn target(env: Env, info: napi.CallbackInfo, argv: []Value) Error!*S {
            var argc: usize = argv.len;
            var this: Value = undefined;
            try check(env, napi.napi_get_cb_info(env, info, &argc, argv.ptr, &this, null));
            if (argv.len > 0 and argc < 1) try check(env, napi.napi_get_undefined(env, &argv[0]));
            const box = (try view_box.find(S, env, this)) orelse
                return napi.throwType(env, &.{comptime where ++ ": not called on a " ++ viewName(S)});
            return view_box.pointer(S, env, box, where);
        }

        fn get(env: Env, info: napi.CallbackInfo) callconv(.c) ?Value {
            const ptr = target(env, info, &.{}) catch return null;
            return to_js.write(F, env, @field(ptr.*, name), where) catch null;
        }

        fn set(env: Env, info: napi.CallbackInfo) callconv(.c) ?Value {
            var argv: [1]Value = undefined;
            const ptr = target(env, info, &argv) catch return null;
            var cx: call.Ctx = .{ .env = env, .copy = true, .copy_back = false };
            defer cx.finish();
            @field(ptr.*, name) = from_js.unbox(F, from_js.read(F, &cx, argv[0], where) catch return null);
            return null;
        }
    };
}

test settable {
    try std.testing.expect(comptime settable(f64) and settable(struct { x: f64 }) and !settable([]const u8) and !settable(?*u8));
}
