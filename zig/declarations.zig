//! What each public declaration of the user's module becomes: a function, a constant, a
//! namespace, a class (and, inside a class, a method, a static or nothing), or a skipped
//! declaration with the reason. The exports object (exports.zig), the classes
//! (class_builder.zig) and the descriptor (describe.zig) all read this one classification.
//!
//! Classification never fails compilation: an unsupported declaration is recorded with a
//! reason instead, so one odd declaration does not break the whole module. Comptime only.

const std = @import("std");
const compat = @import("compat.zig");
const types = @import("types.zig");
const class_list = @import("class_list.zig");
const function = @import("function.zig");
const owned = @import("owned.zig");
const to_js = @import("to_js.zig");
const variable = @import("variable.zig");

/// The binding layer's entry (zigimport.zig), which a user file may import and re-export: it
/// is hidden, not exported. Reached through root.zig: importing it here would be a cycle.
const binding_entry = blk: {
    const root = @import("root");
    break :blk if (@hasDecl(root, "zigimport")) root.zigimport else struct {};
};

/// Namespaces nested deeper than this are skipped (also stops cycles).
const max_namespace_depth = class_list.max_namespace_depth;

/// Declaration listing the functions of a namespace that run on the thread
/// pool and return Promises: `pub const zigimport_async = .{ "slowSum" };`
pub const async_decl = "zigimport_async";

pub const Kind = enum { function, constant, variable, namespace, class, skipped, hidden };

pub const Item = struct {
    name: [:0]const u8,
    kind: Kind,
    reason: []const u8 = "",
};

pub const Skip = struct {
    name: []const u8,
    reason: []const u8,
};

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
            if (owned.isFreeName(name)) if (owned.unfreeable(V, 0)) |why| return .{ .name = name, .kind = .skipped, .reason = why };
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
        if (variable.unsupported(V)) |why| return .{ .name = name, .kind = .skipped, .reason = "variable: " ++ why };
        return .{ .name = name, .kind = .variable };
    }
    if (V == comptime_int) {
        const v = @field(M, name);
        if (v < std.math.minInt(i128) or v > std.math.maxInt(u128)) {
            return .{ .name = name, .kind = .skipped, .reason = "integer constant does not fit in 128 bits" };
        }
        return .{ .name = name, .kind = .constant };
    }
    if (V == comptime_float) return .{ .name = name, .kind = .constant };
    if (to_js.unsupportedConstant(@field(M, name))) |why| return .{ .name = name, .kind = .skipped, .reason = "constant: " ++ why };
    return .{ .name = name, .kind = .constant };
}

fn classifyType(comptime M: type, comptime name: [:0]const u8, comptime T: type, comptime depth: u32) Item {
    const local = comptime class_list.isLocal(M, T);
    switch (@typeInfo(T)) {
        .@"struct" => {
            if (T == std or T == binding_entry) return .{ .name = name, .kind = .hidden };
            if (comptime class_list.isEnclosing(M, T)) return .{ .name = name, .kind = .hidden };
            if (compat.structFieldNames(T).len > 0) {
                // Stateful structs become classes; data types are left out quietly.
                if (local and class_list.isClass(T)) return .{ .name = name, .kind = .class };
                if (local and class_list.hasMethodsButPointers(T)) return .{ .name = name, .kind = .skipped, .reason = "struct with methods and pointer fields: its methods are not exported (its values convert as plain objects; give it an init to make it a class)" };
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
pub fn itemsOf(comptime M: type, comptime depth: u32, comptime kinds: []const Kind) []const Item {
    return comptime blk: {
        var list: []const Item = &.{};
        for (compat.declNames(M)) |name| {
            const item = classify(M, name, depth);
            if (std.mem.indexOfScalar(Kind, kinds, item.kind) != null) list = list ++ &[_]Item{item};
        }
        break :blk list;
    };
}

/// The kinds that become properties of the exports object (or of a namespace in it).
pub const exported_kinds: []const Kind = &.{ .function, .constant, .variable, .namespace, .class };

/// Skipped declarations of `M` and of its exported namespaces and classes, with
/// qualified names ("geometry.scale").
pub fn skippedIn(comptime M: type, comptime prefix: []const u8, comptime depth: u32) []const Skip {
    return comptime blk: {
        @setEvalBranchQuota(100_000);
        var list: []const Skip = &.{};
        for (itemsOf(M, depth, &.{ .skipped, .namespace, .class })) |item| {
            if (item.kind == .skipped) {
                list = list ++ &[_]Skip{.{ .name = prefix ++ item.name, .reason = item.reason }};
            } else if (item.kind == .class) {
                const C = @field(M, item.name);
                if (!class_list.isDataClass(C)) {
                    if (initUnsupported(C)) |why| list = list ++ &[_]Skip{.{ .name = prefix ++ item.name ++ ".init", .reason = why }};
                }
                for (members(C)) |m| {
                    if (m.kind == .skipped) list = list ++ &[_]Skip{.{ .name = prefix ++ item.name ++ "." ++ m.name, .reason = m.reason }};
                }
            } else {
                list = list ++ skippedIn(@field(M, item.name), prefix ++ item.name ++ ".", depth + 1);
            }
        }
        break :blk list;
    };
}

// ----------------------------------------------------------------- classes

pub const MemberKind = enum { method, static, hidden, skipped };

pub const Member = struct {
    name: [:0]const u8,
    kind: MemberKind,
    reason: []const u8 = "",
};

/// Whether `F` takes `self` (`C`, `*C` or `*const C`) first.
fn isMethod(comptime C: type, comptime F: type) bool {
    const params = compat.fnParamTypes(F);
    if (params.len == 0) return false;
    const P = params[0] orelse return false;
    return P == C or P == *C or P == *const C;
}

/// Instance methods, statics and skipped declarations of class `C`.
pub fn members(comptime C: type) []const Member {
    return comptime blk: {
        @setEvalBranchQuota(100_000);
        var out: []const Member = &.{};
        for (compat.declNames(C)) |name| {
            if (std.mem.eql(u8, name, "init") or std.mem.eql(u8, name, "deinit")) continue;
            const V = @TypeOf(@field(C, name));
            if (@typeInfo(V) == .@"fn" and isMethod(C, V)) {
                if (function.unsupportedFrom(V, 1, false) orelse (if (owned.isFreeName(name)) owned.unfreeable(V, 1) else null)) |why| {
                    out = out ++ &[_]Member{.{ .name = name, .kind = .skipped, .reason = why }};
                } else {
                    out = out ++ &[_]Member{.{ .name = name, .kind = .method }};
                }
                continue;
            }
            const item = classify(C, name, max_namespace_depth);
            out = out ++ &[_]Member{switch (item.kind) {
                .function, .constant => .{ .name = name, .kind = .static },
                .skipped => .{ .name = name, .kind = .skipped, .reason = item.reason },
                .variable => .{ .name = name, .kind = .skipped, .reason = "variables inside a class are not exported (put them in a namespace)" },
                else => .{ .name = name, .kind = .hidden },
            }};
        }
        break :blk out;
    };
}

/// Fields readable from JS (getters on the prototype).
pub fn readableFields(comptime C: type) []const usize {
    return comptime blk: {
        var out: []const usize = &.{};
        for (compat.structFieldTypes(C), 0..) |F, i| {
            if (to_js.unsupported(F) == null and types.kind(F) != .class) out = out ++ &[_]usize{i};
        }
        break :blk out;
    };
}

/// Null when `C.init` can be called from JS, else why not.
pub fn initUnsupported(comptime C: type) ?[]const u8 {
    return function.unsupportedFrom(@TypeOf(C.init), 0, false);
}

test "what each declaration becomes" {
    const M = struct {
        pub fn add(a: i32, b: i32) i32 {
            return a + b;
        }
        pub fn slowAdd(a: i32, b: i32) i32 {
            return a + b;
        }
        pub fn raw(p: [*]u8) void {
            _ = p;
        }
        pub const answer = 42;
        pub var counter: i32 = 0;
        pub const geometry = struct {
            pub fn area(w: f64, h: f64) f64 {
                return w * h;
            }
        };
        pub const zigimport_async = .{"slowAdd"};
        pub const io = std;
    };
    const expectEqual = std.testing.expectEqual;
    try expectEqual(Kind.function, comptime classify(M, "add", 0).kind);
    try expectEqual(Kind.skipped, comptime classify(M, "raw", 0).kind);
    try expectEqual(Kind.constant, comptime classify(M, "answer", 0).kind);
    try expectEqual(Kind.variable, comptime classify(M, "counter", 0).kind);
    try expectEqual(Kind.namespace, comptime classify(M, "geometry", 0).kind);
    try expectEqual(Kind.skipped, comptime classify(M, "geometry", max_namespace_depth - 1).kind);
    try expectEqual(Kind.hidden, comptime classify(M, "zigimport_async", 0).kind);
    try expectEqual(Kind.hidden, comptime classify(M, "io", 0).kind);
    try std.testing.expect(comptime isAsync(M, "slowAdd") and !isAsync(M, "add"));
    const skipped = comptime skippedIn(M, "", 0);
    try expectEqual(@as(usize, 1), skipped.len);
    try std.testing.expectEqualStrings("raw", skipped[0].name);
}
