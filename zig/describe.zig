//! The module descriptor (`__zigimport_describe()`, schema in
//! src/types/descriptor.ts), generated at comptime from the same
//! classification (`types.kind`) that picks the conversions, so the two
//! cannot disagree. Everything here runs at comptime only.

const std = @import("std");
const compat = @import("compat.zig");
const types = @import("types.zig");
const classes = @import("classes.zig");

/// A JSON string literal.
pub fn str(comptime s: []const u8) []const u8 {
    comptime {
        @setEvalBranchQuota(100_000);
        var out: []const u8 = "\"";
        for (s) |c| {
            out = out ++ switch (c) {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                0...8, 11, 12, 14...0x1f, 0x7f => std.fmt.comptimePrint("\\u{x:0>4}", .{c}),
                else => &[_]u8{c},
            };
        }
        return out ++ "\"";
    }
}

fn join(comptime items: []const []const u8) []const u8 {
    comptime {
        var out: []const u8 = "[";
        for (items, 0..) |item, i| out = out ++ (if (i == 0) "" else ",") ++ item;
        return out ++ "]";
    }
}

/// The declaration path of `T` in the user's module ("Shape",
/// "geometry.Rect"), or null when it is not a public declaration there.
pub fn declName(comptime T: type) ?[]const u8 {
    comptime {
        const prefix = @typeName(classes.User) ++ ".";
        const full = @typeName(T);
        if (!std.mem.startsWith(u8, full, prefix)) return null;
        const path = full[prefix.len..];
        var cur: type = classes.User;
        var it = std.mem.splitScalar(u8, path, '.');
        while (it.next()) |part| {
            if (@typeInfo(cur) != .@"struct" and @typeInfo(cur) != .@"enum" and @typeInfo(cur) != .@"union") return null;
            if (!@hasDecl(cur, part)) return null;
            if (@TypeOf(@field(cur, part)) != type) return null;
            cur = @field(cur, part);
        }
        return if (cur == T) path else null;
    }
}

fn nameField(comptime T: type) []const u8 {
    return if (declName(T)) |n| ",\"name\":" ++ str(n) else "";
}

/// `TypeDesc` of `T` (for which `types.unsupported(T, ...)` is null).
pub fn typeJson(comptime T: type) []const u8 {
    comptime {
        @setEvalBranchQuota(1_000_000);
        const z = "\"zig\":" ++ str(@typeName(T));
        return switch (types.kind(T)) {
            .number => "{\"kind\":\"number\"," ++ z ++ "}",
            .bigint => "{\"kind\":\"bigint\"," ++ z ++ "}",
            .boolean => "{\"kind\":\"boolean\"," ++ z ++ "}",
            .void => "{\"kind\":\"void\"," ++ z ++ "}",
            .string => "{\"kind\":\"string\"," ++ z ++ "}",
            .typedarray => blk: {
                const E = types.elementOf(T);
                const len = if (types.fixedLength(T)) |n| std.fmt.comptimePrint(",\"length\":{d}", .{n}) else "";
                break :blk "{\"kind\":\"typedarray\"," ++ z ++ ",\"array\":" ++ str(types.typedArrayKind(E).?.jsName()) ++
                    ",\"acceptsArray\":" ++ (if (types.acceptsArray(T)) "true" else "false") ++ len ++ "}";
            },
            .array => blk: {
                const len = if (types.fixedLength(T)) |n| std.fmt.comptimePrint(",\"length\":{d}", .{n}) else "";
                break :blk "{\"kind\":\"array\"," ++ z ++ ",\"element\":" ++ typeJson(types.elementOf(T)) ++ len ++ "}";
            },
            .tuple => blk: {
                var items: []const []const u8 = &.{};
                for (compat.structFieldTypes(T)) |F| items = items ++ &[_][]const u8{typeJson(F)};
                break :blk "{\"kind\":\"tuple\"," ++ z ++ ",\"elements\":" ++ join(items) ++ "}";
            },
            .optional => "{\"kind\":\"optional\"," ++ z ++ ",\"child\":" ++ typeJson(@typeInfo(T).optional.child) ++ "}",
            .@"struct" => "{\"kind\":\"struct\"," ++ z ++ nameField(T) ++ ",\"fields\":" ++ fieldsJson(T) ++ "}",
            .@"enum" => blk: {
                var items: []const []const u8 = &.{};
                for (compat.enumFieldNames(T)) |n| items = items ++ &[_][]const u8{str(n)};
                break :blk "{\"kind\":\"enum\"," ++ z ++ nameField(T) ++ ",\"values\":" ++ join(items) ++ "}";
            },
            .@"union" => blk: {
                var items: []const []const u8 = &.{};
                for (compat.unionFieldNames(T), compat.unionFieldTypes(T)) |n, F| {
                    items = items ++ &[_][]const u8{"{\"name\":" ++ str(n) ++ ",\"type\":" ++ typeJson(F) ++ "}"};
                }
                break :blk "{\"kind\":\"union\"," ++ z ++ nameField(T) ++ ",\"variants\":" ++ join(items) ++ "}";
            },
            .function => blk: {
                const F = @typeInfo(T).pointer.child;
                var items: []const []const u8 = &.{};
                for (compat.fnParamTypes(F)) |P| items = items ++ &[_][]const u8{typeJson(P.?)};
                break :blk "{\"kind\":\"function\"," ++ z ++ ",\"params\":" ++ join(items) ++
                    ",\"returns\":" ++ typeJson(compat.payloadOf(compat.fnReturnType(F).?)) ++ "}";
            },
            .class => "{\"kind\":\"class\"," ++ z ++ ",\"name\":" ++ str(classes.exportName(types.classOf(T))) ++ "}",
            .unsupported => @compileError("zigimport: cannot describe " ++ @typeName(T)),
        };
    }
}

/// `FieldDesc[]` of struct `T`.
pub fn fieldsJson(comptime T: type) []const u8 {
    comptime {
        var items: []const []const u8 = &.{};
        for (compat.structFieldNames(T), compat.structFieldTypes(T), 0..) |n, F, i| {
            items = items ++ &[_][]const u8{"{\"name\":" ++ str(n) ++ ",\"type\":" ++ typeJson(F) ++
                ",\"hasDefault\":" ++ (if (compat.fieldHasDefault(T, i)) "true" else "false") ++ "}"};
        }
        return join(items);
    }
}

/// `errors` of a function returning `R`: names, `null` for anyerror.
pub fn errorsJson(comptime R: type) []const u8 {
    comptime {
        if (@typeInfo(R) != .error_union) return "[]";
        const names = compat.errorSetNames(@typeInfo(R).error_union.error_set) orelse return "null";
        var items: []const []const u8 = &.{};
        for (names) |n| items = items ++ &[_][]const u8{str(n)};
        return join(items);
    }
}

/// `FunctionDesc` of `F`, listing the JS-visible parameters `params`.
pub fn functionJson(comptime name: []const u8, comptime F: type, comptime params: []const type, comptime is_async: bool, comptime kwargs: bool) []const u8 {
    comptime {
        var items: []const []const u8 = &.{};
        for (params) |P| items = items ++ &[_][]const u8{typeJson(P)};
        const R = compat.fnReturnType(F).?;
        return "{\"kind\":\"function\",\"name\":" ++ str(name) ++ ",\"params\":" ++ join(items) ++
            ",\"returns\":" ++ typeJson(compat.payloadOf(R)) ++ ",\"errors\":" ++ errorsJson(R) ++
            ",\"async\":" ++ (if (is_async) "true" else "false") ++ ",\"kwargs\":" ++ (if (kwargs) "true" else "false") ++ "}";
    }
}

/// A constant's value as JSON (bigints as decimal strings), null when it
/// has no JSON form.
pub fn valueJson(comptime value: anytype) []const u8 {
    comptime {
        @setEvalBranchQuota(1_000_000);
        const V = @TypeOf(value);
        if (V == comptime_int) return numberOrBig(value);
        if (V == comptime_float) return floatJson(@as(f64, value));
        return switch (types.kind(V)) {
            .number => if (@typeInfo(V) == .float) floatJson(@floatCast(value)) else std.fmt.comptimePrint("{d}", .{value}),
            .bigint => "\"" ++ std.fmt.comptimePrint("{d}", .{value}) ++ "\"",
            .boolean => if (value) "true" else "false",
            .string => str(if (@typeInfo(V).pointer.size == .one) value[0..] else value),
            .@"enum" => str(@tagName(value)),
            .optional => if (value) |inner| valueJson(inner) else "null",
            .@"struct" => blk: {
                var out: []const u8 = "{";
                for (compat.structFieldNames(V), 0..) |n, i| {
                    out = out ++ (if (i == 0) "" else ",") ++ str(n) ++ ":" ++ valueJson(@field(value, n));
                }
                break :blk out ++ "}";
            },
            .tuple => blk: {
                var items: []const []const u8 = &.{};
                for (0..compat.structFieldTypes(V).len) |i| items = items ++ &[_][]const u8{valueJson(value[i])};
                break :blk join(items);
            },
            .array, .typedarray => blk: {
                if (@typeInfo(V) == .pointer and @typeInfo(V).pointer.size == .slice) {
                    var items: []const []const u8 = &.{};
                    for (value) |x| items = items ++ &[_][]const u8{valueJson(x)};
                    break :blk join(items);
                }
                if (@typeInfo(V) == .array) {
                    var items: []const []const u8 = &.{};
                    for (value) |x| items = items ++ &[_][]const u8{valueJson(x)};
                    break :blk join(items);
                }
                break :blk "null";
            },
            .@"union" => switch (value) {
                inline else => |payload, tag| "{" ++ str(@tagName(tag)) ++ ":" ++
                    (if (@TypeOf(payload) == void) "null" else valueJson(payload)) ++ "}",
            },
            else => "null",
        };
    }
}

/// comptime_int constants become numbers when they fit in a double exactly,
/// else bigints (decimal strings here), like their JS values.
fn numberOrBig(comptime v: comptime_int) []const u8 {
    if (v >= -types.max_safe and v <= types.max_safe) return std.fmt.comptimePrint("{d}", .{v});
    return "\"" ++ std.fmt.comptimePrint("{d}", .{v}) ++ "\"";
}

fn floatJson(comptime x: f64) []const u8 {
    if (std.math.isNan(x) or std.math.isInf(x)) return "null";
    if (x == @trunc(x) and @abs(x) < 1e15) return std.fmt.comptimePrint("{d}", .{@as(i64, @intFromFloat(x))});
    return std.fmt.comptimePrint("{e}", .{x});
}

/// JS kind of a comptime_int constant (number or bigint by size).
pub fn comptimeIntJson(comptime v: comptime_int) []const u8 {
    if (v >= -types.max_safe and v <= types.max_safe) return "{\"kind\":\"number\",\"zig\":\"comptime_int\"}";
    return "{\"kind\":\"bigint\",\"zig\":\"comptime_int\"}";
}
