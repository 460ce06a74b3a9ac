//! Writing a call's changes back into the JS values it was given by copy:
//! the fields of a plain object passed as `*T` (a struct pointer), and the
//! elements of a JS array passed as a mutable slice of non-numeric elements
//! (`[]Planet`). The copy lives in per-call memory; `call.Ctx.writeBack` runs
//! these when the Zig function returns, so JS sees what the function changed,
//! as it would through a real pointer.
//!
//! Struct fields go back into the same objects (nested plain-struct fields into
//! the nested objects they came from), so references JS holds stay valid; other
//! fields and elements are replaced by their new values.

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const types = @import("types.zig");
const to_js = @import("to_js.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// The `call.WriteBack.apply_fn` for a `*S` read from a JS object: `bytes` is the struct.
pub fn StructFields(comptime S: type, comptime where: []const u8) type {
    return struct {
        pub fn apply(env: Env, obj: Value, bytes: []const u8) Error!void {
            const ptr: *const S = @ptrCast(@alignCast(bytes.ptr));
            try writeFields(S, env, obj, ptr, where);
        }
    };
}

/// The `call.WriteBack.apply_fn` for a `[]E` read from a JS array: `bytes` are the elements.
pub fn Elements(comptime E: type, comptime where: []const u8) type {
    return struct {
        pub fn apply(env: Env, array: Value, bytes: []const u8) Error!void {
            const items: []const E = @as([*]const E, @ptrCast(@alignCast(bytes.ptr)))[0 .. bytes.len / @sizeOf(E)];
            for (items, 0..) |*item, i| {
                const index: u32 = @intCast(i);
                if (comptime types.kind(E) == .@"struct") {
                    var ev: Value = undefined;
                    try check(env, napi.napi_get_element(env, array, index, &ev));
                    if (try isObject(env, ev)) {
                        try writeFields(E, env, ev, item, where ++ " element");
                        continue;
                    }
                }
                try check(env, napi.napi_set_element(env, array, index, try to_js.write(E, env, item.*, where ++ " element")));
            }
        }
    };
}

fn isObject(env: Env, v: Value) Error!bool {
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    return t == .object;
}

/// Copies `items` into the typed array `v` when it is one of the same element type and length
/// (not detached); false when it is not, and the field gets a new typed array instead.
fn intoTypedArray(comptime E: type, env: Env, v: Value, items: []const E) Error!bool {
    var is = false;
    try check(env, napi.napi_is_typedarray(env, v, &is));
    if (!is) return false;
    var kind: napi.TypedArrayType = undefined;
    var len: usize = 0;
    var data: ?*anyopaque = null;
    try check(env, napi.napi_get_typedarray_info(env, v, &kind, &len, &data, null, null));
    if (kind != (comptime types.typedArrayKind(E).?) or len != items.len) return false;
    if (len == 0) return true;
    const dst: [*]align(1) E = @ptrCast(data orelse return false);
    for (items, 0..) |x, i| dst[i] = x;
    return true;
}

/// Sets every field of `obj` from `value`; a plain-struct field whose property
/// is still an object is written into that object.
fn writeFields(comptime S: type, env: Env, obj: Value, value: *const S, comptime where: []const u8) Error!void {
    inline for (comptime compat.structFieldNames(S), comptime compat.structFieldTypes(S)) |name, F| {
        const fwhere = where ++ "." ++ name;
        var into_object = false;
        if (comptime types.kind(F) == .@"struct") {
            var fv: Value = undefined;
            try check(env, napi.napi_get_named_property(env, obj, name, &fv));
            into_object = try isObject(env, fv);
            if (into_object) try writeFields(F, env, fv, &@field(value.*, name), fwhere);
        }
        if (comptime types.kind(F) == .typedarray and types.isMutableSlice(F)) {
            // A `[]f64` field: into the typed array JS passed, when it still fits.
            var fv: Value = undefined;
            try check(env, napi.napi_get_named_property(env, obj, name, &fv));
            into_object = try intoTypedArray(types.elementOf(F), env, fv, @field(value.*, name));
        }
        if (!into_object) try check(env, napi.napi_set_named_property(env, obj, name, try to_js.write(F, env, @field(value.*, name), fwhere)));
    }
}
