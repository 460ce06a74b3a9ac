//! Which structs of the user's module are exported as JS classes, and under
//! which export path. A struct is a class when it has fields and a public
//! `init` function returning the struct (or an error union of it), and is
//! declared (as a public declaration) in the user's file or in one of its
//! exported namespaces.
//!
//! The list is computed once from the user module, reached as
//! `@import("root").user` (root.zig re-exports it), so that every
//! conversion can ask "is this type a class?" without the module being
//! passed around.

const std = @import("std");
const compat = @import("compat.zig");

const root = @import("root");
pub const User = if (@hasDecl(root, "user")) root.user else struct {};

/// Namespaces nested deeper than this are not exported (see declarations.zig).
pub const max_namespace_depth = 4;

pub const Entry = struct { T: type, path: []const u8 };

pub const list: []const Entry = collect(User, "", 0);

/// A struct with fields and `pub fn init(...) T` (or `!T`), or a data class.
pub fn candidate(comptime T: type) bool {
    if (@typeInfo(T) != .@"struct" or compat.isTuple(T)) return false;
    if (compat.structFieldNames(T).len == 0) return false;
    // A kept JS function (js_function.zig) is a parameter type, not a class.
    if (@hasDecl(T, "zigimport_js_function")) return false;
    if (!@hasDecl(T, "init")) return isDataClass(T);
    const F = @TypeOf(T.init);
    if (@typeInfo(F) != .@"fn") return false;
    const R = compat.fnReturnType(F) orelse return false;
    const Payload = compat.payloadOf(R);
    return Payload == T;
}

/// A struct with fields, no `init` and at least one method (`self: T`, `*T` or `*const T`):
/// a class built field-wise (`new S({ x, y })`) whose instances also convert from plain objects.
/// Iterators (a `next` method) are results of their own kind (iterator.zig), not classes.
pub fn isDataClass(comptime T: type) bool {
    return comptime blk: {
        if (@typeInfo(T) != .@"struct" or compat.isTuple(T)) break :blk false;
        if (compat.structFieldNames(T).len == 0 or @hasDecl(T, "init") or @hasDecl(T, "next")) break :blk false;
        break :blk isPlainData(T) and hasMethod(T);
    };
}

/// Has a function whose first parameter is `T`, `*T` or `*const T`.
fn hasMethod(comptime T: type) bool {
    for (compat.declNames(T)) |name| {
        const F = @TypeOf(@field(T, name));
        if (@typeInfo(F) != .@"fn") continue;
        const params = compat.fnParamTypes(F);
        if (params.len == 0) continue;
        const P = params[0] orelse continue;
        if (P == T or P == *T or P == *const T) return true;
    }
    return false;
}

/// A struct with methods whose fields are not all plain data (a data class box would keep
/// pointers into memory that dies with the call): its methods are skipped with a reason.
pub fn hasMethodsButPointers(comptime T: type) bool {
    return comptime @typeInfo(T) == .@"struct" and !compat.isTuple(T) and compat.structFieldNames(T).len > 0 and
        !@hasDecl(T, "init") and !@hasDecl(T, "next") and !isPlainData(T) and hasMethod(T);
}

/// Values that hold no pointer: copying them copies everything they mean.
pub fn isPlainData(comptime F: type) bool {
    return switch (@typeInfo(F)) {
        .int, .float, .bool, .@"enum", .void => true,
        .optional => |o| isPlainData(o.child),
        .array => |a| isPlainData(a.child),
        .vector => |v| isPlainData(v.child),
        .@"struct" => blk: {
            for (compat.structFieldTypes(F)) |G| if (!isPlainData(G)) break :blk false;
            break :blk true;
        },
        else => false,
    };
}

/// Declared inside M (directly or nested), as opposed to an import or alias.
pub fn isLocal(comptime M: type, comptime T: type) bool {
    return comptime std.mem.startsWith(u8, @typeName(T), @typeName(M) ++ ".");
}

/// `pub const Self = @This();` and other references to an enclosing namespace.
pub fn isEnclosing(comptime M: type, comptime T: type) bool {
    return comptime T == M or std.mem.startsWith(u8, @typeName(M), @typeName(T) ++ ".");
}

/// A namespace: a local struct without fields.
pub fn isNamespace(comptime M: type, comptime T: type) bool {
    return @typeInfo(T) == .@"struct" and !compat.isTuple(T) and compat.structFieldNames(T).len == 0 and
        isLocal(M, T) and !isEnclosing(M, T) and T != std;
}

fn collect(comptime M: type, comptime prefix: []const u8, comptime depth: u32) []const Entry {
    return comptime blk: {
        @setEvalBranchQuota(100_000);
        var out: []const Entry = &.{};
        for (compat.declNames(M)) |name| {
            if (@TypeOf(@field(M, name)) != type) continue;
            const T = @field(M, name);
            if (@typeInfo(T) != .@"struct" or !isLocal(M, T) or isEnclosing(M, T)) continue;
            if (candidate(T)) {
                out = out ++ &[_]Entry{.{ .T = T, .path = prefix ++ name }};
            } else if (isNamespace(M, T) and depth + 1 < max_namespace_depth) {
                out = out ++ collect(T, prefix ++ name ++ ".", depth + 1);
            }
        }
        break :blk out;
    };
}

pub fn index(comptime T: type) ?usize {
    inline for (list, 0..) |e, i| {
        if (e.T == T) return i;
    }
    return null;
}

pub fn isClass(comptime T: type) bool {
    return index(T) != null;
}

/// Export path of class `T` ("Counter", "geo.Shape").
pub fn exportName(comptime T: type) []const u8 {
    return list[index(T).?].path;
}
