//! Walks the public declarations of the user's file at comptime and builds
//! the exports object: functions, constants, nested namespaces, and the
//! non-enumerable `__zigimport_skipped` list of what could not be exported.
//!
//! Classification never fails compilation: an unsupported declaration is
//! recorded with a reason instead, so one odd declaration does not break the
//! whole module.

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const to_js = @import("to_js.zig");
const function = @import("function.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// Name of the non-enumerable property listing skipped declarations.
pub const skipped_property = "__zigimport_skipped";

/// Namespaces nested deeper than this are skipped (also stops cycles).
const max_namespace_depth = 4;

const Kind = enum { function, constant, namespace, skipped, hidden };

const Item = struct {
    name: [:0]const u8,
    kind: Kind,
    reason: []const u8 = "",
};

const Skip = struct {
    name: []const u8,
    reason: []const u8,
};

/// Fills `exports` from the public declarations of `M`.
pub fn register(comptime M: type, env: Env, exports: Value) Error!void {
    try populate(M, env, exports, "", 0);
    try defineSkipped(comptime skippedIn(M, "", 0), env, exports);
}

fn classify(comptime M: type, comptime name: [:0]const u8, comptime depth: u32) Item {
    const V = @TypeOf(@field(M, name));
    switch (@typeInfo(V)) {
        .@"fn" => {
            if (function.unsupported(V)) |why| return .{ .name = name, .kind = .skipped, .reason = why };
            return .{ .name = name, .kind = .function };
        },
        .type => {
            // The user's panic handler, installed by root.zig, is not an export.
            if (depth == 0 and std.mem.eql(u8, name, "panic")) return .{ .name = name, .kind = .hidden };
            return classifyType(M, name, @field(M, name), depth);
        },
        else => {},
    }
    if (!compat.isConstPointer(@TypeOf(&@field(M, name)))) {
        return .{ .name = name, .kind = .skipped, .reason = "mutable variables are not exported" };
    }
    if (V == comptime_int) {
        const v = @field(M, name);
        if (v < std.math.minInt(i128) or v > std.math.maxInt(u128)) {
            return .{ .name = name, .kind = .skipped, .reason = "integer constant does not fit in 128 bits" };
        }
        return .{ .name = name, .kind = .constant };
    }
    if (V == comptime_float) return .{ .name = name, .kind = .constant };
    if (to_js.unsupported(V)) |why| return .{ .name = name, .kind = .skipped, .reason = "constant: " ++ why };
    return .{ .name = name, .kind = .constant };
}

fn classifyType(comptime M: type, comptime name: [:0]const u8, comptime T: type, comptime depth: u32) Item {
    // Declared inside M (directly or nested), as opposed to an import or alias.
    const local = comptime std.mem.startsWith(u8, @typeName(T), @typeName(M) ++ ".");
    switch (@typeInfo(T)) {
        .@"struct" => {
            if (T == std or T == @import("zigimport.zig")) return .{ .name = name, .kind = .hidden };
            // `pub const Self = @This();` and other references to an enclosing namespace.
            const enclosing = comptime T == M or std.mem.startsWith(u8, @typeName(M), @typeName(T) ++ ".");
            if (enclosing) return .{ .name = name, .kind = .hidden };
            if (compat.structFieldNames(T).len > 0) {
                // Data types (structs with fields) become classes in a later version.
                if (local) return .{ .name = name, .kind = .hidden };
            } else if (!local) {
                return .{ .name = name, .kind = .skipped, .reason = "namespaces declared elsewhere are not exported" };
            } else if (depth + 1 >= max_namespace_depth) {
                return .{ .name = name, .kind = .skipped, .reason = "namespace nests too deeply" };
            } else {
                return .{ .name = name, .kind = .namespace };
            }
        },
        .@"enum", .@"union" => if (local) return .{ .name = name, .kind = .hidden },
        else => {},
    }
    return .{ .name = name, .kind = .skipped, .reason = "type declarations are not exported" };
}

/// Declarations of `M` of one of the given kinds.
fn itemsOf(comptime M: type, comptime depth: u32, comptime kinds: []const Kind) []const Item {
    return comptime blk: {
        var list: []const Item = &.{};
        for (compat.declNames(M)) |name| {
            const item = classify(M, name, depth);
            if (std.mem.indexOfScalar(Kind, kinds, item.kind) != null) list = list ++ &[_]Item{item};
        }
        break :blk list;
    };
}

/// Skipped declarations of `M` and of its exported namespaces, with
/// qualified names ("geometry.scale").
fn skippedIn(comptime M: type, comptime prefix: []const u8, comptime depth: u32) []const Skip {
    return comptime blk: {
        @setEvalBranchQuota(100_000);
        var list: []const Skip = &.{};
        for (itemsOf(M, depth, &.{ .skipped, .namespace })) |item| {
            if (item.kind == .skipped) {
                list = list ++ &[_]Skip{.{ .name = prefix ++ item.name, .reason = item.reason }};
            } else {
                list = list ++ skippedIn(@field(M, item.name), prefix ++ item.name ++ ".", depth + 1);
            }
        }
        break :blk list;
    };
}

fn populate(comptime M: type, env: Env, obj: Value, comptime prefix: []const u8, comptime depth: u32) Error!void {
    @setEvalBranchQuota(100_000);
    const items = comptime itemsOf(M, depth, &.{ .function, .constant, .namespace });
    if (items.len == 0) return;
    var props: [items.len]napi.PropertyDescriptor = undefined;
    inline for (items, 0..) |item, i| {
        const value: Value = switch (item.kind) {
            .function => try makeFunction(env, item.name, function.trampoline(@field(M, item.name), prefix ++ item.name)),
            .constant => try constantValue(env, @field(M, item.name), "constant " ++ prefix ++ item.name),
            .namespace => blk: {
                var ns: Value = undefined;
                try check(env, napi.napi_create_object(env, &ns));
                try populate(@field(M, item.name), env, ns, prefix ++ item.name ++ ".", depth + 1);
                break :blk ns;
            },
            else => unreachable,
        };
        const a = napi.PropertyAttributes;
        props[i] = .{
            .utf8name = item.name,
            .value = value,
            // Functions behave like ordinary assigned exports; constants and
            // namespaces are read-only but enumerable.
            .attributes = if (item.kind == .function) a.writable | a.enumerable | a.configurable else a.enumerable,
        };
    }
    try check(env, napi.napi_define_properties(env, obj, items.len, &props));
}

fn makeFunction(env: Env, name: [:0]const u8, cb: napi.Callback) Error!Value {
    var f: Value = undefined;
    try check(env, napi.napi_create_function(env, name.ptr, name.len, cb, null, &f));
    return f;
}

/// Constants go through the same writers as results; comptime numbers are
/// first given the narrowest JS-friendly type (number when exact, else BigInt).
fn constantValue(env: Env, comptime value: anytype, comptime where: []const u8) Error!Value {
    const V = @TypeOf(value);
    if (V == comptime_float) return to_js.write(f64, env, value, where);
    if (V == comptime_int) {
        const max_safe = (1 << 53) - 1;
        if (value >= std.math.minInt(i32) and value <= std.math.maxInt(i32)) return to_js.write(i32, env, value, where);
        if (value >= -max_safe and value <= max_safe) return to_js.write(f64, env, value, where);
        if (value >= std.math.minInt(i64) and value <= std.math.maxInt(i64)) return to_js.write(i64, env, value, where);
        if (value >= 0 and value <= std.math.maxInt(u64)) return to_js.write(u64, env, value, where);
        if (value >= std.math.minInt(i128) and value <= std.math.maxInt(i128)) return to_js.write(i128, env, value, where);
        return to_js.write(u128, env, value, where);
    }
    return to_js.write(V, env, value, where);
}

/// `exports.__zigimport_skipped = [{ name, reason }, ...]`, non-enumerable.
fn defineSkipped(comptime list: []const Skip, env: Env, exports: Value) Error!void {
    var arr: Value = undefined;
    try check(env, napi.napi_create_array_with_length(env, list.len, &arr));
    inline for (list, 0..) |s, i| {
        var obj: Value = undefined;
        try check(env, napi.napi_create_object(env, &obj));
        try setString(env, obj, "name", s.name);
        try setString(env, obj, "reason", s.reason);
        try check(env, napi.napi_set_element(env, arr, i, obj));
    }
    const prop = [_]napi.PropertyDescriptor{.{ .utf8name = skipped_property, .value = arr }};
    try check(env, napi.napi_define_properties(env, exports, 1, &prop));
}

fn setString(env: Env, obj: Value, comptime key: [:0]const u8, s: []const u8) Error!void {
    var v: Value = undefined;
    try check(env, napi.napi_create_string_utf8(env, s.ptr, s.len, &v));
    try check(env, napi.napi_set_named_property(env, obj, key, v));
}
