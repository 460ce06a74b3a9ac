//! Returned iterators: a Zig value whose type has `pub fn next(self: *Self) ?T` (or `E!?T`)
//! becomes a JS iterable iterator (`for…of`, spread, `Array.from`) that calls `next` lazily.
//!
//! Ownership: the iterator value is moved into a heap box owned by its `next` function (freed by
//! that function's finalizer, so a detached `it.next` can never reach freed memory). Iterators
//! usually borrow what they walk (`std.mem.SplitIterator` points into the split string), and that
//! memory is the per-call arena or a JS string that dies when the call returns: every slice field
//! is therefore copied into the box when the iterator is returned. An iterator holding any other
//! pointer cannot be copied safely and is refused (`unsupported`).
//!
//! A Zig error from `next` is thrown as an Error whose `code` is the error name; after an error
//! or the end, `next` keeps answering `{ done: true }` without calling Zig again.

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const instance = @import("instance.zig");
const class_list = @import("class_list.zig");
const call = @import("call.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;
const gpa = instance.gpa;

/// Whether `T` is an iterator: a struct with `pub fn next(self: *T) ?Item` or `E!?Item`.
pub fn isIterator(comptime T: type) bool {
    return comptime hasNext(T);
}

fn hasNext(comptime T: type) bool {
    if (@typeInfo(T) != .@"struct" or !@hasDecl(T, "next")) return false;
    const F = @TypeOf(T.next);
    if (@typeInfo(F) != .@"fn" or compat.fnIsGeneric(F) or compat.fnIsVarArgs(F)) return false;
    const params = compat.fnParamTypes(F);
    if (params.len != 1 or params[0] != *T) return false;
    const R = compat.fnReturnType(F) orelse return false;
    return @typeInfo(compat.payloadOf(R)) == .optional;
}

/// The type `next` yields (the child of its optional result).
pub fn Item(comptime T: type) type {
    return @typeInfo(compat.payloadOf(compat.fnReturnType(@TypeOf(T.next)).?)).optional.child;
}

/// Null when every field of iterator `T` can be owned by the box (plain data, or a slice of
/// plain data that is copied), else why not.
pub fn unsupported(comptime T: type) ?[]const u8 {
    const names = compat.structFieldNames(T);
    inline for (comptime compat.structFieldTypes(T), 0..) |F, i| {
        if (compat.isComptimeField(T, i)) continue;
        const ok = if (comptime isCopiedSlice(F)) true else isPlainData(F);
        if (!ok) return "iterator field " ++ names[i] ++ " (" ++ @typeName(F) ++ ") points into memory zigimport cannot copy";
    }
    return null;
}

fn isCopiedSlice(comptime F: type) bool {
    const info = @typeInfo(F);
    return info == .pointer and info.pointer.size == .slice and info.pointer.sentinel_ptr == null and isPlainData(info.pointer.child);
}

const isPlainData = class_list.isPlainData;

fn Box(comptime T: type) type {
    return struct {
        value: T,
        /// The slices as copied (`value`'s own may be advanced by `next`): what is freed.
        owned: T,
        done: bool = false,
    };
}

/// A new JS iterator owning `value` (and copies of the slices it points into). `writeItem`
/// converts one item (to_js.write, passed in so this file does not import the writer).
pub fn wrap(
    comptime T: type,
    env: Env,
    value: T,
    comptime writeItem: fn (Env, Item(T)) Error!Value,
) Error!Value {
    const box = gpa.create(Box(T)) catch return call.outOfMemory(env);
    box.* = .{ .value = value, .owned = value };
    inline for (comptime compat.structFieldNames(T), comptime compat.structFieldTypes(T)) |name, F| {
        if (comptime isCopiedSlice(F)) @field(box.owned, name) = @field(value, name)[0..0];
    }
    inline for (comptime compat.structFieldNames(T), comptime compat.structFieldTypes(T)) |name, F| {
        if (comptime isCopiedSlice(F)) {
            const copy = gpa.dupe(@typeInfo(F).pointer.child, @field(value, name)) catch {
                Methods(T, writeItem).free(box);
                return call.outOfMemory(env);
            };
            @field(box.value, name) = copy;
            @field(box.owned, name) = copy;
        }
    }
    const M = Methods(T, writeItem);
    var next: Value = undefined;
    napi.check(env, napi.napi_create_function(env, "next", 4, &M.next, box, &next)) catch |err| {
        M.free(box);
        return err;
    };
    napi.check(env, napi.napi_add_finalizer(env, next, box, &M.finalize, null, null)) catch |err| {
        M.free(box);
        return err;
    };
    var obj: Value = undefined;
    try check(env, napi.napi_create_object(env, &obj));
    try check(env, napi.napi_set_named_property(env, obj, "next", next));
    var global: Value = undefined;
    var symbol: Value = undefined;
    var key: Value = undefined;
    var self_fn: Value = undefined;
    try check(env, napi.napi_get_global(env, &global));
    try check(env, napi.napi_get_named_property(env, global, "Symbol", &symbol));
    try check(env, napi.napi_get_named_property(env, symbol, "iterator", &key));
    try check(env, napi.napi_create_function(env, "[Symbol.iterator]", 17, &returnThis, null, &self_fn));
    try check(env, napi.napi_set_property(env, obj, key, self_fn));
    return obj;
}

/// `[Symbol.iterator]()` of an iterator is the iterator itself.
fn returnThis(env: Env, info: napi.CallbackInfo) callconv(.c) ?Value {
    var argc: usize = 0;
    var this: Value = undefined;
    napi.check(env, napi.napi_get_cb_info(env, info, &argc, null, &this, null)) catch return null;
    return this;
}

fn Methods(comptime T: type, comptime writeItem: fn (Env, Item(T)) Error!Value) type {
    return struct {
        fn free(box: *Box(T)) void {
            inline for (comptime compat.structFieldNames(T), comptime compat.structFieldTypes(T)) |name, F| {
                if (comptime isCopiedSlice(F)) gpa.free(@field(box.owned, name));
            }
            gpa.destroy(box);
        }

        fn finalize(_: Env, data: ?*anyopaque, _: ?*anyopaque) callconv(.c) void {
            free(@ptrCast(@alignCast(data orelse return)));
        }

        fn next(env: Env, info: napi.CallbackInfo) callconv(.c) ?Value {
            var argc: usize = 0;
            var data: ?*anyopaque = null;
            napi.check(env, napi.napi_get_cb_info(env, info, &argc, null, null, &data)) catch return null;
            return step(env, @ptrCast(@alignCast(data.?))) catch null;
        }

        fn step(env: Env, box: *Box(T)) Error!Value {
            if (box.done) return result(env, null, true);
            const R = compat.fnReturnType(@TypeOf(T.next)).?;
            const got = T.next(&box.value);
            const maybe = if (comptime @typeInfo(R) == .error_union) got catch |err| {
                box.done = true;
                const name = @errorName(err);
                return napi.throwParts(env, .plain, name.ptr, &.{ "next() failed: error.", name });
            } else got;
            const item = maybe orelse {
                box.done = true;
                return result(env, null, true);
            };
            return result(env, try writeItem(env, item), false);
        }

        fn result(env: Env, value: ?Value, done: bool) Error!Value {
            var obj: Value = undefined;
            var v: Value = undefined;
            var d: Value = undefined;
            try check(env, napi.napi_create_object(env, &obj));
            if (value) |x| v = x else try check(env, napi.napi_get_undefined(env, &v));
            try check(env, napi.napi_get_boolean(env, done, &d));
            try check(env, napi.napi_set_named_property(env, obj, "value", v));
            try check(env, napi.napi_set_named_property(env, obj, "done", d));
            return obj;
        }
    };
}

test isIterator {
    try std.testing.expect(isIterator(std.mem.SplitIterator(u8, .scalar)));
    try std.testing.expect(Item(std.mem.SplitIterator(u8, .scalar)) == []const u8);
    try std.testing.expect(comptime unsupported(std.mem.SplitIterator(u8, .scalar)) == null);
    try std.testing.expect(!isIterator(struct { x: u8 }));
}
