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
const types = @import("types.zig");
const classes = @import("classes.zig");
const class = @import("class.zig");
const describe = @import("describe.zig");
const version = @import("zigimport.zig").version;

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// Name of the non-enumerable property listing skipped declarations.
pub const skipped_property = "__zigimport_skipped";

/// Name of the non-enumerable function returning the module descriptor.
pub const describe_property = "__zigimport_describe";

/// Namespaces nested deeper than this are skipped (also stops cycles).
const max_namespace_depth = classes.max_namespace_depth;

/// Declaration listing the functions of a namespace that run on the thread
/// pool and return Promises: `pub const zigimport_async = .{ "slowSum" };`
pub const async_decl = "zigimport_async";

pub const Kind = enum { function, constant, namespace, class, skipped, hidden };

pub const Item = struct {
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
    try defineDescribe(M, env, exports);
}

/// Whether `M` lists function `name` in `zigimport_async`.
pub fn isAsync(comptime M: type, comptime name: []const u8) bool {
    if (@typeInfo(M) != .@"struct" or !@hasDecl(M, async_decl)) return false;
    inline for (@field(M, async_decl)) |n| {
        if (comptime std.mem.eql(u8, n, name)) return true;
    }
    return false;
}

/// A name in `zigimport_async` that is not a public function of `M` is a mistake (a typo, a
/// renamed function): a compile error naming it, rather than a function that silently stays sync.
fn checkAsyncList(comptime M: type) void {
    for (@field(M, async_decl)) |n| {
        const listed: []const u8 = n;
        if (!@hasDecl(M, listed) or @typeInfo(@TypeOf(@field(M, listed))) != .@"fn") {
            @compileError("zigimport_async lists \"" ++ listed ++ "\", which is not a pub fn of " ++ @typeName(M));
        }
    }
}

pub fn classify(comptime M: type, comptime name: [:0]const u8, comptime depth: u32) Item {
    const V = @TypeOf(@field(M, name));
    if (comptime std.mem.eql(u8, name, async_decl)) {
        comptime checkAsyncList(M);
        return .{ .name = name, .kind = .hidden };
    }
    switch (@typeInfo(V)) {
        .@"fn" => {
            if (function.unsupportedFrom(V, 0, isAsync(M, name))) |why| return .{ .name = name, .kind = .skipped, .reason = why };
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
                // Stateful structs become classes; data types are left out quietly.
                if (local and classes.isClass(T)) return .{ .name = name, .kind = .class };
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
        for (itemsOf(M, depth, &.{ .skipped, .namespace, .class })) |item| {
            if (item.kind == .skipped) {
                list = list ++ &[_]Skip{.{ .name = prefix ++ item.name, .reason = item.reason }};
            } else if (item.kind == .class) {
                const C = @field(M, item.name);
                if (class.initUnsupported(C)) |why| {
                    list = list ++ &[_]Skip{.{ .name = prefix ++ item.name ++ ".init", .reason = why }};
                }
                for (class.members(C)) |m| {
                    if (m.kind == .skipped) list = list ++ &[_]Skip{.{ .name = prefix ++ item.name ++ "." ++ m.name, .reason = m.reason }};
                }
            } else {
                list = list ++ skippedIn(@field(M, item.name), prefix ++ item.name ++ ".", depth + 1);
            }
        }
        break :blk list;
    };
}

fn populate(comptime M: type, env: Env, obj: Value, comptime prefix: []const u8, comptime depth: u32) Error!void {
    @setEvalBranchQuota(100_000);
    const items = comptime itemsOf(M, depth, &.{ .function, .constant, .namespace, .class });
    if (items.len == 0) return;
    var props: [items.len]napi.PropertyDescriptor = undefined;
    inline for (items, 0..) |item, i| {
        const value: Value = switch (item.kind) {
            .function => try makeFunction(env, item.name, if (comptime isAsync(M, item.name))
                function.asyncTrampoline(@field(M, item.name), prefix ++ item.name)
            else
                function.trampoline(@field(M, item.name), prefix ++ item.name)),
            .class => try class.define(@field(M, item.name), env, prefix ++ item.name),
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
            .attributes = if (item.kind == .function or item.kind == .class) a.writable | a.enumerable | a.configurable else a.enumerable,
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
pub fn constantValue(env: Env, comptime value: anytype, comptime where: []const u8) Error!Value {
    const V = @TypeOf(value);
    if (V == comptime_float) return to_js.write(f64, env, value, where);
    if (V == comptime_int) {
        if (value >= std.math.minInt(i32) and value <= std.math.maxInt(i32)) return to_js.write(i32, env, value, where);
        if (value >= -types.max_safe and value <= types.max_safe) return to_js.write(f64, env, value, where);
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

// -------------------------------------------------------------- descriptor

/// `exports.__zigimport_describe()`: the module descriptor as JSON,
/// non-enumerable and read-only.
fn defineDescribe(comptime M: type, env: Env, exports: Value) Error!void {
    const cb = struct {
        fn get(e: Env, _: napi.CallbackInfo) callconv(.c) ?Value {
            const json = comptime moduleJson(M);
            var out: Value = undefined;
            napi.check(e, napi.napi_create_string_utf8(e, json.ptr, json.len, &out)) catch return null;
            return out;
        }
    }.get;
    const f = try makeFunction(env, describe_property, cb);
    const prop = [_]napi.PropertyDescriptor{.{ .utf8name = describe_property, .value = f }};
    try check(env, napi.napi_define_properties(env, exports, 1, &prop));
}

fn moduleJson(comptime M: type) []const u8 {
    comptime {
        @setEvalBranchQuota(10_000_000);
        var skipped: []const u8 = "";
        for (skippedIn(M, "", 0), 0..) |sk, i| {
            skipped = skipped ++ (if (i == 0) "" else ",") ++ "{\"name\":" ++ describe.str(sk.name) ++ ",\"reason\":" ++ describe.str(sk.reason) ++ "}";
        }
        return "{\"format\":1,\"binding\":" ++ describe.str(version) ++ ",\"exports\":" ++ membersJson(M, "", 0) ++
            ",\"skipped\":[" ++ skipped ++ "]}";
    }
}

fn membersJson(comptime M: type, comptime prefix: []const u8, comptime depth: u32) []const u8 {
    comptime {
        var out: []const u8 = "[";
        for (itemsOf(M, depth, &.{ .function, .constant, .namespace, .class }), 0..) |item, i| {
            const V = @TypeOf(@field(M, item.name));
            const json = switch (item.kind) {
                .function => fnJson(item.name, V, 0, isAsync(M, item.name)),
                .constant => constantJson(item.name, @field(M, item.name)),
                .namespace => "{\"kind\":\"namespace\",\"name\":" ++ describe.str(item.name) ++ ",\"members\":" ++
                    membersJson(@field(M, item.name), prefix ++ item.name ++ ".", depth + 1) ++ "}",
                .class => classJson(@field(M, item.name), item.name),
                else => unreachable,
            };
            out = out ++ (if (i == 0) "" else ",") ++ json;
        }
        return out ++ "]";
    }
}

fn fnJson(comptime name: []const u8, comptime F: type, comptime skip: usize, comptime is_async: bool) []const u8 {
    const S = function.Shape(F, skip);
    return describe.functionJson(name, F, S.js_params, is_async, S.kwargs != null);
}

fn constantJson(comptime name: []const u8, comptime value: anytype) []const u8 {
    const V = @TypeOf(value);
    const t = if (V == comptime_int)
        describe.comptimeIntJson(value)
    else if (V == comptime_float)
        "{\"kind\":\"number\",\"zig\":\"comptime_float\"}"
    else
        describe.typeJson(V);
    return "{\"kind\":\"constant\",\"name\":" ++ describe.str(name) ++ ",\"type\":" ++ t ++ ",\"value\":" ++ describe.valueJson(value) ++ "}";
}

fn classJson(comptime C: type, comptime name: []const u8) []const u8 {
    comptime {
        const ctor = if (class.initUnsupported(C) == null) blk: {
            const S = function.Shape(@TypeOf(C.init), 0);
            var items: []const u8 = "";
            for (S.js_params, 0..) |P, i| items = items ++ (if (i == 0) "" else ",") ++ describe.typeJson(P);
            break :blk "[" ++ items ++ "]";
        } else "null";
        const ctor_errors = if (class.initUnsupported(C) == null)
            describe.errorsJson(compat.fnReturnType(@TypeOf(C.init)).?)
        else
            "[]";
        var methods: []const u8 = "";
        var statics: []const u8 = "";
        for (class.members(C)) |m| {
            const V = @TypeOf(@field(C, m.name));
            if (m.kind == .method) {
                methods = methods ++ (if (methods.len == 0) "" else ",") ++ fnJson(m.name, V, 1, false);
            } else if (m.kind == .static) {
                const j = if (@typeInfo(V) == .@"fn") fnJson(m.name, V, 0, false) else constantJson(m.name, @field(C, m.name));
                statics = statics ++ (if (statics.len == 0) "" else ",") ++ j;
            }
        }
        var fields: []const u8 = "";
        for (class.readableFields(C)) |i| {
            const F = compat.structFieldTypes(C)[i];
            fields = fields ++ (if (fields.len == 0) "" else ",") ++ "{\"name\":" ++ describe.str(compat.structFieldNames(C)[i]) ++
                ",\"type\":" ++ describe.typeJson(F) ++ ",\"hasDefault\":" ++ (if (compat.fieldHasDefault(C, i)) "true" else "false") ++ "}";
        }
        return "{\"kind\":\"class\",\"name\":" ++ describe.str(name) ++ ",\"constructorParams\":" ++ ctor ++
            ",\"constructorErrors\":" ++ ctor_errors ++
            ",\"methods\":[" ++ methods ++ "],\"fields\":[" ++ fields ++ "],\"statics\":[" ++ statics ++ "]}";
    }
}
