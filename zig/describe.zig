//! The module descriptor (`__zigimport_describe()`, schema in
//! src/types/descriptor.ts), generated at comptime from the same
//! classification (`types.kind`) that picks the conversions, and from the
//! declaration classification (declarations.zig) that builds the exports
//! object, so they cannot disagree. Everything here runs at comptime only.

const std = @import("std");
const compat = @import("compat.zig");
const types = @import("types.zig");
const class_list = @import("class_list.zig");
const iterator = @import("iterator.zig");
const declarations = @import("declarations.zig");
const function = @import("function.zig");
const variable = @import("variable.zig");
const comptime_values = @import("comptime_values.zig");
const pointer = @import("pointer.zig");

/// Version of the binding layer (the Zig sources in this directory), the descriptor's
/// `binding` field; zigimport.zig re-exports it as `version`.
pub const binding_version = "0.2.0";

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
        const prefix = @typeName(class_list.User) ++ ".";
        const full = @typeName(T);
        if (!std.mem.startsWith(u8, full, prefix)) return null;
        const path = full[prefix.len..];
        var cur: type = class_list.User;
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

/// `TypeDesc` of `T` (for which `type_support.unsupported(T, ...)` is null).
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
                const open = if (compat.enumIsExhaustive(T)) "" else ",\"exhaustive\":false";
                break :blk "{\"kind\":\"enum\"," ++ z ++ nameField(T) ++ ",\"values\":" ++ join(items) ++ open ++ "}";
            },
            .@"union" => blk: {
                var items: []const []const u8 = &.{};
                for (compat.unionFieldNames(T), compat.unionFieldTypes(T)) |n, F| {
                    items = items ++ &[_][]const u8{"{\"name\":" ++ str(n) ++ ",\"type\":" ++ typeJson(F) ++ "}"};
                }
                break :blk "{\"kind\":\"union\"," ++ z ++ nameField(T) ++ ",\"variants\":" ++ join(items) ++ "}";
            },
            .function, .js_function => blk: {
                const F = if (@typeInfo(T) == .pointer) @typeInfo(T).pointer.child else T.zigimport_js_function;
                var items: []const []const u8 = &.{};
                // A function value's Allocator parameter is injected, not passed from JS.
                for (compat.fnParamTypes(F)) |P| {
                    if (!types.isAllocator(P.?)) items = items ++ &[_][]const u8{typeJson(P.?)};
                }
                break :blk "{\"kind\":\"function\"," ++ z ++ ",\"params\":" ++ join(items) ++
                    ",\"returns\":" ++ typeJson(compat.payloadOf(compat.fnReturnType(F).?)) ++ "}";
            },
            .error_set => "{\"kind\":\"error\"," ++ z ++ ",\"names\":" ++ errorNamesJson(T) ++ "}",
            .error_union => "{\"kind\":\"errorunion\"," ++ z ++ ",\"errors\":" ++ errorNamesJson(@typeInfo(T).error_union.error_set) ++
                ",\"payload\":" ++ typeJson(@typeInfo(T).error_union.payload) ++ "}",
            .iterator => "{\"kind\":\"iterator\"," ++ z ++ ",\"item\":" ++ typeJson(iterator.Item(T)) ++ "}",
            .class => "{\"kind\":\"class\"," ++ z ++ ",\"name\":" ++ str(class_list.exportName(types.classOf(T))) ++
                (if (@typeInfo(T) != .pointer and class_list.isDataClass(T)) ",\"fromObject\":true" else "") ++ "}",
            .handle => "{\"kind\":\"handle\"," ++ z ++ ",\"name\":" ++ str(types.handleName(T)) ++ "}",
            .struct_pointer => pointeeJson(T, &.{}),
            .unsupported => @compileError("zigimport: cannot describe " ++ @typeName(T)),
        };
    }
}

/// `TypeDesc` of a struct pointer: the struct, with `pointer` set. A pointer back to a
/// struct being described (`next: ?*const Node`) is a `ref` to it, so a recursive
/// structure has a finite description.
fn pointeeJson(comptime T: type, comptime seen: []const type) []const u8 {
    comptime {
        const S = @typeInfo(T).pointer.child;
        const ptr = ",\"pointer\":" ++ (if (compat.isConstPointer(T)) "\"const\"" else "\"mutable\"");
        const z = "\"zig\":" ++ str(@typeName(S));
        for (seen) |X| if (X == S) return "{\"kind\":\"ref\"," ++ z ++ nameField(S) ++ ptr ++ "}";
        var items: []const []const u8 = &.{};
        for (compat.structFieldNames(S), compat.structFieldTypes(S), 0..) |n, F, i| {
            const opt = @typeInfo(F) == .optional;
            const C = if (opt) @typeInfo(F).optional.child else F;
            const tj = if (types.kind(C) != .struct_pointer)
                typeJson(F)
            else if (opt)
                "{\"kind\":\"optional\",\"zig\":" ++ str(@typeName(F)) ++ ",\"child\":" ++ pointeeJson(C, seen ++ &[_]type{S}) ++ "}"
            else
                pointeeJson(C, seen ++ &[_]type{S});
            items = items ++ &[_][]const u8{"{\"name\":" ++ str(n) ++ ",\"type\":" ++ tj ++
                ",\"hasDefault\":" ++ (if (compat.fieldHasDefault(S, i)) "true" else "false") ++ "}"};
        }
        return "{\"kind\":\"struct\"," ++ z ++ nameField(S) ++ ptr ++ ",\"fields\":" ++ join(items) ++ "}";
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
    if (@typeInfo(R) != .error_union) return "[]";
    return errorNamesJson(@typeInfo(R).error_union.error_set);
}

/// The names of error set `E` as a JSON array, `null` for anyerror.
fn errorNamesJson(comptime E: type) []const u8 {
    comptime {
        const names = compat.errorSetNames(E) orelse return "null";
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
            ",\"async\":" ++ (if (is_async) "true" else "false") ++ ",\"kwargs\":" ++ (if (kwargs) "true" else "false") ++ lengthsJson(F) ++ "}";
    }
}

/// `,"lengths":[i…]` when some parameters of `F` are the length of the many-item pointer before
/// them (JS passes one array for both): their indexes among the parameters that are not
/// allocators, so the declarations can leave their names out. Empty when there are none.
fn lengthsJson(comptime F: type) []const u8 {
    comptime {
        const params = compat.fnParamTypes(F);
        var items: []const []const u8 = &.{};
        var n = 0;
        for (params, 0..) |P, i| {
            if (P != null and types.isAllocator(P.?)) continue;
            if (pointer.isLength(params, i)) items = items ++ &[_][]const u8{std.fmt.comptimePrint("{d}", .{n})};
            n += 1;
        }
        return if (items.len == 0) "" else ",\"lengths\":" ++ join(items);
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
            .string => str(switch (@typeInfo(V).pointer.size) {
                .one => value[0..],
                .slice => value,
                else => std.mem.span(value), // a C string
            }),
            .@"enum" => if (std.enums.tagName(V, value)) |n| str(n) else std.fmt.comptimePrint("{d}", .{compat.enumInt(value)}),
            .error_set => str(@errorName(value)),
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

// ------------------------------------------------------------------ module

/// The whole descriptor of module `M`: `ModuleDesc` in src/types/descriptor.ts.
pub fn moduleJson(comptime M: type) []const u8 {
    comptime {
        @setEvalBranchQuota(10_000_000);
        var skipped: []const u8 = "";
        for (declarations.skippedIn(M, "", 0), 0..) |sk, i| {
            skipped = skipped ++ (if (i == 0) "" else ",") ++ "{\"name\":" ++ str(sk.name) ++ ",\"reason\":" ++ str(sk.reason) ++ "}";
        }
        return "{\"format\":1,\"binding\":" ++ str(binding_version) ++ ",\"exports\":" ++ membersJson(M, "", 0) ++
            ",\"skipped\":[" ++ skipped ++ "]}";
    }
}

fn membersJson(comptime M: type, comptime prefix: []const u8, comptime depth: u32) []const u8 {
    comptime {
        var out: []const u8 = "[";
        for (declarations.itemsOf(M, depth, declarations.exported_kinds), 0..) |item, i| {
            const V = @TypeOf(@field(M, item.name));
            const json = switch (item.kind) {
                .function => fnJson(item.name, V, 0, declarations.isAsync(M, item.name)),
                .constant => constantJson(item.name, @field(M, item.name)),
                .variable => variableJson(item.name, V),
                .namespace => "{\"kind\":\"namespace\",\"name\":" ++ str(item.name) ++ ",\"members\":" ++
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
    return functionJson(name, F, S.js_params, is_async, S.kwargs != null);
}

/// `VariableDesc`: a `pub var`, read (and, unless `readonly`, assigned) live.
fn variableJson(comptime name: []const u8, comptime V: type) []const u8 {
    const readonly = if (variable.assignable(V)) "false" else "true";
    return "{\"kind\":\"variable\",\"name\":" ++ str(name) ++ ",\"type\":" ++ typeJson(variable.Payload(V)) ++
        ",\"readonly\":" ++ readonly ++ ",\"errors\":" ++ errorsJson(V) ++ "}";
}

fn constantJson(comptime name: []const u8, comptime value: anytype) []const u8 {
    const V = @TypeOf(value);
    if (comptime comptime_values.handles(V)) return comptimeOnlyJson(name, value);
    const t = if (V == comptime_int)
        comptimeIntJson(value)
    else if (V == comptime_float)
        "{\"kind\":\"number\",\"zig\":\"comptime_float\"}"
    else
        typeJson(V);
    return "{\"kind\":\"constant\",\"name\":" ++ str(name) ++ ",\"type\":" ++ t ++ ",\"value\":" ++ valueJson(value) ++ "}";
}

/// A comptime-only constant (comptime_values.zig): its runtime form, under the source's type name.
fn comptimeOnlyJson(comptime name: []const u8, comptime value: anytype) []const u8 {
    comptime {
        const V = @TypeOf(value);
        const R = comptime_values.Runtime(value);
        const t = if (@typeInfo(V) == .enum_literal)
            "{\"kind\":\"string\",\"zig\":" ++ str(comptime_values.zigName(V)) ++ "}"
        else blk: {
            const E = @typeInfo(V).array.child;
            const element_kind = if (types.kind(@typeInfo(R).array.child) == .bigint) "bigint" else "number";
            break :blk "{\"kind\":\"array\",\"zig\":" ++ str(@typeName(V)) ++ ",\"element\":{\"kind\":\"" ++ element_kind ++
                "\",\"zig\":" ++ str(@typeName(E)) ++ "}" ++ std.fmt.comptimePrint(",\"length\":{d}", .{@typeInfo(V).array.len}) ++ "}";
        };
        return "{\"kind\":\"constant\",\"name\":" ++ str(name) ++ ",\"type\":" ++ t ++ ",\"value\":" ++ valueJson(comptime_values.runtime(value)) ++ "}";
    }
}

fn classJson(comptime C: type, comptime name: []const u8) []const u8 {
    comptime {
        // A data class is built from an object with its fields (an anonymous struct type).
        const fieldwise = class_list.isDataClass(C);
        const ctor = if (fieldwise)
            "[{\"kind\":\"struct\",\"zig\":" ++ str(@typeName(C)) ++ ",\"fields\":" ++ fieldsJson(C) ++ "}]"
        else if (declarations.initUnsupported(C) == null) blk: {
            const S = function.Shape(@TypeOf(C.init), 0);
            var items: []const u8 = "";
            for (S.js_params, 0..) |P, i| items = items ++ (if (i == 0) "" else ",") ++ typeJson(P);
            break :blk "[" ++ items ++ "]";
        } else "null";
        const ctor_errors = if (fieldwise)
            "[]"
        else if (declarations.initUnsupported(C) == null)
            errorsJson(compat.fnReturnType(@TypeOf(C.init)).?)
        else
            "[]";
        var methods: []const u8 = "";
        var statics: []const u8 = "";
        for (declarations.members(C)) |m| {
            const V = @TypeOf(@field(C, m.name));
            if (m.kind == .method) {
                methods = methods ++ (if (methods.len == 0) "" else ",") ++ fnJson(m.name, V, 1, false);
            } else if (m.kind == .static) {
                const j = if (@typeInfo(V) == .@"fn") fnJson(m.name, V, 0, false) else constantJson(m.name, @field(C, m.name));
                statics = statics ++ (if (statics.len == 0) "" else ",") ++ j;
            }
        }
        var fields: []const u8 = "";
        for (declarations.readableFields(C)) |i| {
            const F = compat.structFieldTypes(C)[i];
            fields = fields ++ (if (fields.len == 0) "" else ",") ++ "{\"name\":" ++ str(compat.structFieldNames(C)[i]) ++
                ",\"type\":" ++ typeJson(F) ++ ",\"hasDefault\":" ++ (if (compat.fieldHasDefault(C, i)) "true" else "false") ++ "}";
        }
        return "{\"kind\":\"class\",\"name\":" ++ str(name) ++ ",\"constructorParams\":" ++ ctor ++
            ",\"constructorErrors\":" ++ ctor_errors ++
            ",\"methods\":[" ++ methods ++ "],\"fields\":[" ++ fields ++ "],\"statics\":[" ++ statics ++ "]}";
    }
}

test moduleJson {
    const M = struct {
        /// Sums two numbers.
        pub fn add(a: i32, b: i32) i32 {
            return a + b;
        }
        pub const big = 1 << 60;
        pub const ns = struct {
            pub fn half(x: f64) error{Negative}!f64 {
                if (x < 0) return error.Negative;
                return x / 2;
            }
        };
    };
    try std.testing.expectEqualStrings("{\"format\":1,\"binding\":\"" ++ binding_version ++ "\",\"exports\":[" ++
        "{\"kind\":\"function\",\"name\":\"add\",\"params\":[{\"kind\":\"number\",\"zig\":\"i32\"},{\"kind\":\"number\",\"zig\":\"i32\"}]," ++
        "\"returns\":{\"kind\":\"number\",\"zig\":\"i32\"},\"errors\":[],\"async\":false,\"kwargs\":false}," ++
        "{\"kind\":\"constant\",\"name\":\"big\",\"type\":{\"kind\":\"bigint\",\"zig\":\"comptime_int\"},\"value\":\"1152921504606846976\"}," ++
        "{\"kind\":\"namespace\",\"name\":\"ns\",\"members\":[{\"kind\":\"function\",\"name\":\"half\",\"params\":[{\"kind\":\"number\",\"zig\":\"f64\"}]," ++
        "\"returns\":{\"kind\":\"number\",\"zig\":\"f64\"},\"errors\":[\"Negative\"],\"async\":false,\"kwargs\":false}]}" ++
        "],\"skipped\":[]}", comptime moduleJson(M));
}
