//! JS value -> Zig value, generated at comptime per parameter type.
//!
//! `where` is a comptime prefix such as "add(): argument 1" or
//! "draw(): argument 1.origin.x"; it is only used to build error messages,
//! so the success path does no formatting. Every failure leaves a pending JS
//! exception and returns `error.JsException`.
//!
//! Borrowing: a Uint8Array (for `[]const u8`) or a typed array (for a numeric
//! slice) is handed to Zig without copying unless `cx.copy` is set. Readers
//! of objects, arrays, tuples and unions set it for what they contain, since
//! a later getter or proxy trap could detach or refill memory borrowed
//! earlier; function.zig decides for whole parameters (see borrow.zig).

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const types = @import("types.zig");
const type_support = @import("type_support.zig");
const call = @import("call.zig");
const instance = @import("instance.zig");
const class_list = @import("class_list.zig");
const borrow = @import("borrow.zig");
const error_values = @import("error_values.zig");
const handle = @import("handle.zig");
const pointer = @import("pointer.zig");
const write_back = @import("write_back.zig");
const view_box = @import("view_box.zig");
const scalar = @import("from_js_scalar.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const Ctx = call.Ctx;
const check = napi.check;

/// Null when values of `T` can be read from JS, else a short reason.
pub fn unsupported(comptime T: type) ?[]const u8 {
    return type_support.unsupported(T, .in);
}

/// Whether reading a `T` may copy bytes (strings, arrays): such signatures
/// get a stack scratch buffer. Correctness does not depend on it.
pub fn needsMemory(comptime T: type) bool {
    return switch (comptime types.kind(T)) {
        .optional => needsMemory(@typeInfo(T).optional.child),
        .error_union => needsMemory(@typeInfo(T).error_union.payload),
        .@"struct" => blk: {
            for (compat.structFieldTypes(T)) |F| if (needsMemory(F)) break :blk true;
            break :blk false;
        },
        .string, .array, .struct_pointer => true,
        else => false,
    };
}

/// What `read` gives for a `T`: `T` itself, except error sets and error unions, which
/// are boxed (error_values.Box) since `Error!T` of them is no usable Zig type; `unbox`
/// takes them out. Every other type pays nothing.
pub fn Read(comptime T: type) type {
    return if (isBoxed(T)) error_values.Box(T) else T;
}

fn isBoxed(comptime T: type) bool {
    return @typeInfo(T) == .error_set or @typeInfo(T) == .error_union;
}

pub inline fn unbox(comptime T: type, r: Read(T)) T {
    return if (comptime isBoxed(T)) r.value else r;
}

/// Reads a `T` (for which `unsupported(T) == null`) from `v`.
pub inline fn read(comptime T: type, cx: *Ctx, v: Value, comptime where: []const u8) Error!Read(T) {
    const env = cx.env;
    switch (comptime types.kind(T)) {
        .boolean => {
            var b: bool = undefined;
            const st = napi.napi_get_value_bool(env, v, &b);
            if (st == .boolean_expected) return wrongType(env, v, where, "a boolean");
            try check(env, st);
            return b;
        },
        .number, .bigint => {
            if (@typeInfo(T) == .float) return @floatCast(try readNumber(env, v, where, "a number"));
            return readInt(T, env, v, where);
        },
        .optional => {
            if (try isNullish(env, v)) return null;
            return unbox(@typeInfo(T).optional.child, try read(@typeInfo(T).optional.child, cx, v, where));
        },
        .@"enum" => return readEnum(T, env, v, where),
        .@"struct" => return readStruct(T, cx, v, where),
        .string => return readString(T, cx, v, where),
        .typedarray => return readNumeric(T, cx, v, where),
        .array => return readArray(T, cx, v, where),
        .tuple => return readTuple(T, cx, v, where),
        .@"union" => return readUnion(T, cx, v, where),
        .class => {
            const C = types.classOf(T);
            // A pointer borrows the object for the call; a value is a copy taken now.
            const borrowed = @typeInfo(T) == .pointer;
            // A data class value also converts from a plain object with its fields.
            if (comptime !borrowed and class_list.isDataClass(C)) {
                if (!try instance.isInstance(C, env, v)) return readStruct(C, cx, v, where);
            }
            const ptr = try instance.unwrap(C, cx, v, where, borrowed);
            if (borrowed) return ptr;
            return ptr.*;
        },
        .error_set => return error_values.readName(T, env, v, where),
        .handle => return handle.read(T, env, v, where),
        .struct_pointer => {
            // A live view (view.zig) gives its own memory, like a class instance.
            if (try view_box.find(@typeInfo(T).pointer.child, env, v)) |box| return view_box.pointer(@typeInfo(T).pointer.child, env, box, where);
            const ptr = try pointer.read(T, cx, v, where, readStruct);
            // `*T`: the function may change the struct; JS sees it in the same object.
            if (comptime !compat.isConstPointer(T)) {
                if (cx.copy_back) try cx.addWriteBackWith(v, std.mem.asBytes(ptr), 1, where, write_back.StructFields(@TypeOf(ptr.*), where).apply);
            }
            return ptr;
        },
        .error_union => {
            const eu = @typeInfo(T).error_union;
            if (try error_values.isErrorObject(env, v)) {
                return .{ .value = (try error_values.readErrorObject(eu.error_set, env, v, where)).value };
            }
            if (eu.payload != void) return .{ .value = unbox(eu.payload, try read(eu.payload, cx, v, where)) };
            if (!try isUndefined(env, v)) return wrongType(env, v, where, "undefined or an Error");
            return .{ .value = {} };
        },
        .js_function => return T.zigimport_read(env, v, where),
        .void, .function, .iterator, .unsupported => @compileError("zigimport: cannot read " ++ @typeName(T)),
    }
}

/// Reads field `i` of struct `S`; `fv` null or `undefined` means "not given",
/// which takes the field's default, null for an optional, or throws.
pub inline fn readField(comptime S: type, comptime i: usize, cx: *Ctx, fv: ?Value, comptime where: []const u8) Error!Read(compat.structFieldTypes(S)[i]) {
    const F = comptime compat.structFieldTypes(S)[i];
    // A float field: read it first. `undefined` is no number, so a value that reads is present,
    // and the `undefined` check (one more Node-API call per field) is only made when it does not.
    if (comptime @typeInfo(F) == .float) {
        if (fv) |value| {
            var d: f64 = undefined;
            if (napi.napi_get_value_double(cx.env, value, &d) == .ok) return @floatCast(d);
        }
    }
    if (fv == null or try isUndefined(cx.env, fv.?)) {
        if (comptime compat.fieldDefault(S, i)) |d| return if (comptime isBoxed(F)) .{ .value = d } else d;
        if (@typeInfo(F) == .optional) return null;
        const msg = comptime where ++ " is missing (expected " ++ types.expected(F) ++ ")";
        return napi.throwType(cx.env, &.{msg});
    }
    return read(F, cx, fv.?, where);
}

const wrongType = napi.throwWrongType;
const readNumber = scalar.readNumber;
const readInt = scalar.readInt;
const readString = scalar.readString;
const readEnum = scalar.readEnum;
const isNullish = scalar.isNullish;
const isUndefined = scalar.isUndefined;
const longestName = scalar.longestName;

// ------------------------------------------------------------ typed arrays

const TypedArray = struct { kind: napi.TypedArrayType, len: usize, data: ?*anyopaque };

fn typedArrayInfo(env: Env, v: Value) ?TypedArray {
    var is = false;
    if (napi.napi_is_typedarray(env, v, &is) != .ok or !is) return null;
    var ta: TypedArray = .{ .kind = undefined, .len = 0, .data = null };
    if (napi.napi_get_typedarray_info(env, v, &ta.kind, &ta.len, &ta.data, null, null) != .ok) return null;
    return ta;
}

fn kindMatches(comptime want: napi.TypedArrayType, got: napi.TypedArrayType) bool {
    return got == want or (want == .uint8 and got == .uint8_clamped);
}

/// Numeric slices, arrays and vectors. A matching typed array is borrowed
/// for slices (writes through `[]T` are visible to JS) and copied for
/// arrays and vectors; a plain JS array is copied element by element.
fn readNumeric(comptime T: type, cx: *Ctx, v: Value, comptime where: []const u8) Error!T {
    const env = cx.env;
    const E = types.elementOf(T);
    const want = comptime types.typedArrayKind(E).?;
    const what = comptime types.expected(T);
    if (comptime types.fixedLength(T)) |n| {
        var out: [n]E = undefined;
        if (typedArrayInfo(env, v)) |ta| {
            if (!kindMatches(want, ta.kind)) return wrongType(env, v, where, what);
            if (ta.len != n) return wrongLength(env, where, n, ta.len);
            if (n > 0) {
                const src: [*]const u8 = @ptrCast(ta.data orelse return wrongLength(env, where, n, 0));
                @memcpy(std.mem.asBytes(&out), src[0 .. n * @sizeOf(E)]);
            }
        } else {
            const len = try arrayLength(env, v, where, what);
            if (len != n) return wrongLength(env, where, n, len);
            for (&out, 0..) |*slot, i| slot.* = unbox(E, try read(E, cx, try element(env, v, i), where ++ " element"));
        }
        return if (@typeInfo(T) == .vector) @as(T, out) else out;
    }
    if (typedArrayInfo(env, v)) |ta| {
        if (!kindMatches(want, ta.kind)) return wrongType(env, v, where, what);
        if (comptime types.isMutableSlice(T)) {
            // Writes through a copy of a misaligned view (an external buffer) would be lost.
            const misaligned = ta.len > 0 and ta.data != null and @intFromPtr(ta.data.?) % @alignOf(E) != 0;
            if (misaligned) return wrongType(env, v, where, "an aligned " ++ what[2..]);
        }
        return borrow.view(T, cx, v, ta.data, ta.len, where);
    }
    if (comptime !types.acceptsArray(T)) return wrongType(env, v, where, what);
    const len = try arrayLength(env, v, where, what);
    const out = try borrow.allocArrayElements(E, cx, len, where, true);
    for (out, 0..) |*slot, i| slot.* = unbox(E, try read(E, cx, try element(env, v, i), where ++ " element"));
    return out;
}

/// Length of a JS array (not a typed array, not a proxy), or a TypeError.
fn arrayLength(env: Env, v: Value, comptime where: []const u8, comptime what: []const u8) Error!usize {
    var is = false;
    try check(env, napi.napi_is_array(env, v, &is));
    if (!is) return wrongType(env, v, where, what);
    var len: u32 = 0;
    if (napi.napi_get_array_length(env, v, &len) != .ok) {
        if (napi.isExceptionPending(env)) return error.JsException;
        return wrongType(env, v, where, what);
    }
    return len;
}

fn element(env: Env, v: Value, i: usize) Error!Value {
    var out: Value = undefined;
    try check(env, napi.napi_get_element(env, v, @intCast(i), &out));
    return out;
}

fn wrongLength(env: Env, comptime where: []const u8, comptime n: usize, got: usize) Error {
    @branchHint(.cold);
    var buf: [20]u8 = undefined;
    const want = comptime std.fmt.comptimePrint("{d}", .{n});
    return napi.throwRange(env, &.{ where ++ " must have length " ++ want ++ ", got ", std.fmt.bufPrint(&buf, "{d}", .{got}) catch unreachable });
}

/// Non-numeric slices and arrays: JS arrays, read element by element into
/// per-call memory.
fn readArray(comptime T: type, cx: *Ctx, v: Value, comptime where: []const u8) Error!T {
    const env = cx.env;
    const was_copying = borrow.copyInside(T, cx);
    defer borrow.endCopyInside(T, cx, was_copying);
    const E = types.elementOf(T);
    if (comptime @typeInfo(T) == .vector) return try readArray([types.fixedLength(T).?]E, cx, v, where);
    const len = try arrayLength(env, v, where, "an array");
    if (comptime types.fixedLength(T)) |n| {
        if (len != n) return wrongLength(env, where, n, len);
        var out: T = undefined;
        for (&out, 0..) |*slot, i| slot.* = unbox(E, try read(E, cx, try element(env, v, i), where ++ " element"));
        return out;
    }
    const out = try borrow.allocArrayElements(E, cx, len, where, false);
    for (out, 0..) |*slot, i| slot.* = unbox(E, try read(E, cx, try element(env, v, i), where ++ " element"));
    // `[]Planet`: what the function changes goes back into the JS array's objects.
    if (comptime types.isMutableSlice(T) and @sizeOf(E) > 0) {
        if (cx.copy_back) try cx.addWriteBackWith(v, std.mem.sliceAsBytes(out), out.len, where, write_back.Elements(E, where).apply);
    }
    return out;
}

/// Tuples: JS arrays of exactly the tuple's length.
fn readTuple(comptime T: type, cx: *Ctx, v: Value, comptime where: []const u8) Error!T {
    const env = cx.env;
    const was_copying = borrow.copyInside(T, cx);
    defer borrow.endCopyInside(T, cx, was_copying);
    const field_types = comptime compat.structFieldTypes(T);
    const len = try arrayLength(env, v, where, "an array");
    if (len != field_types.len) return wrongLength(env, where, field_types.len, len);
    var out: T = undefined;
    inline for (field_types, 0..) |F, i| {
        out[i] = unbox(F, try read(F, cx, try element(env, v, i), std.fmt.comptimePrint("{s}[{d}]", .{ where, i })));
    }
    return out;
}

// ------------------------------------------------------------------ unions

/// A tagged union from a single-key object `{ tag: payload }`.
fn readUnion(comptime U: type, cx: *Ctx, v: Value, comptime where: []const u8) Error!U {
    const env = cx.env;
    const was_copying = borrow.copyInside(U, cx);
    defer borrow.endCopyInside(U, cx, was_copying);
    const names = comptime compat.unionFieldNames(U);
    const list = comptime blk: {
        var out: []const u8 = "";
        for (names, 0..) |n, i| out = out ++ (if (i == 0) "" else ", ") ++ "\"" ++ n ++ "\"";
        break :blk out;
    };
    const what = "an object with one key (one of " ++ list ++ ")";
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    var is = false;
    try check(env, napi.napi_is_array(env, v, &is));
    if (t != .object or is) return wrongType(env, v, where, what);
    var keys: Value = undefined;
    // Own, enumerable, string keys only.
    try check(env, napi.napi_get_all_property_names(env, v, .own_only, napi.KeyFilter.enumerable | napi.KeyFilter.skip_symbols, .numbers_to_strings, &keys));
    var count: u32 = 0;
    try check(env, napi.napi_get_array_length(env, keys, &count));
    if (count != 1) {
        var buf: [20]u8 = undefined;
        return napi.throwType(env, &.{ where ++ " must be " ++ what ++ ", got an object with ", std.fmt.bufPrint(&buf, "{d}", .{count}) catch unreachable, " keys" });
    }
    const key = try element(env, keys, 0);
    var buf: [longestName(names) + 5]u8 = undefined;
    var n: usize = 0;
    try check(env, napi.napi_get_value_string_utf8(env, key, &buf, buf.len, &n));
    inline for (names, comptime compat.unionFieldTypes(U)) |name, F| {
        if (n == name.len and std.mem.eql(u8, buf[0..n], name)) {
            if (F == void) return @unionInit(U, name, {});
            var pv: Value = undefined;
            try check(env, napi.napi_get_named_property(env, v, name, &pv));
            return @unionInit(U, name, unbox(F, try read(F, cx, pv, where ++ "." ++ name)));
        }
    }
    return napi.throwType(env, &.{ where ++ " has an unknown key \"", buf[0..n], "\" (expected one of " ++ list ++ ")" });
}

// ----------------------------------------------------------------- structs

/// Reads each field by name from a JS object.
pub fn readStruct(comptime S: type, cx: *Ctx, v: Value, comptime where: []const u8) Error!S {
    const env = cx.env;
    const was_copying = borrow.copyInside(S, cx);
    defer borrow.endCopyInside(S, cx, was_copying);
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    if (t != .object) return wrongType(env, v, where, "an object");
    return readObjectFields(S, cx, v, where);
}

/// Reads each field by name from `v`, known to be an object.
pub fn readObjectFields(comptime S: type, cx: *Ctx, v: Value, comptime where: []const u8) Error!S {
    const env = cx.env;
    var out: S = undefined;
    inline for (comptime compat.structFieldNames(S), 0..) |name, i| {
        var fv: Value = undefined;
        try check(env, napi.napi_get_named_property(env, v, name, &fv));
        @field(out, name) = unbox(compat.structFieldTypes(S)[i], try readField(S, i, cx, fv, where ++ "." ++ name));
    }
    return out;
}

test unsupported {
    const S = struct { a: []const u8, b: ?f64 = null };
    try std.testing.expect(comptime unsupported(S) == null);
    try std.testing.expect(comptime unsupported(?[]i32) == null);
    try std.testing.expect(comptime unsupported(*i32) != null);
    try std.testing.expect(comptime unsupported(struct { u8, u8 }) == null);
    try std.testing.expect(comptime unsupported(u129) != null);
    try std.testing.expect(comptime needsMemory(S));
    try std.testing.expect(comptime !needsMemory([]f64));
}
