//! Every access to `@typeInfo` whose shape differs between the Zig releases we
//! support lives here, so the rest of the binding layer reads types through
//! plain helpers and never touches version-specific field names.
//!
//! Zig 0.17 stores reflection data as struct-of-arrays (`field_names`,
//! `field_types`, `param_types`, `decl_names`, pointer `attrs`), while 0.15
//! and 0.16 use arrays of per-item structs (`fields`, `params`, `decls`,
//! `is_const`). Tag names of `std.builtin.Type` (`.int`, `.@"struct"`, ...)
//! are the same in all three, so callers may still switch on them directly.
//!
//! All helpers are meant to be called at comptime only.

const builtin = @import("builtin");

/// True on Zig 0.17 and later (struct-of-arrays reflection).
pub const soa = builtin.zig_version.order(.{ .major = 0, .minor = 17, .patch = 0 }) != .lt;

/// True when the module is compiled with safety checks on.
/// (`std.builtin.OptimizeMode` tags were renamed to lower case in 0.17.)
/// Debug build (0.17 renamed the optimize modes to .debug/.safe/.fast/.small).
pub const debug = if (soa) builtin.mode == .debug else builtin.mode == .Debug;

pub const safety = if (soa)
    (builtin.mode == .debug or builtin.mode == .safe)
else
    (builtin.mode == .Debug or builtin.mode == .ReleaseSafe);

// ------------------------------------------------ pre-0.17 list conversion

/// `.name` of each element of a pre-0.17 `fields`/`decls`/error list, as 0.17 lists them.
fn namesOf(comptime list: anytype) []const [:0]const u8 {
    var names: [list.len][:0]const u8 = undefined;
    for (list, 0..) |item, i| names[i] = item.name;
    const final = names;
    return &final;
}

/// `.type` of each element of a pre-0.17 `fields` list, as 0.17 lists them.
fn typesOf(comptime list: anytype) []const type {
    var types: [list.len]type = undefined;
    for (list, 0..) |item, i| types[i] = item.type;
    const final = types;
    return &final;
}

// ---------------------------------------------------------------- structs

pub fn structFieldNames(comptime T: type) []const [:0]const u8 {
    const info = @typeInfo(T).@"struct";
    if (soa) return info.field_names;
    return comptime namesOf(info.fields);
}

pub fn structFieldTypes(comptime T: type) []const type {
    const info = @typeInfo(T).@"struct";
    if (soa) return info.field_types;
    return comptime typesOf(info.fields);
}

pub fn isTuple(comptime T: type) bool {
    return @typeInfo(T).@"struct".is_tuple;
}

/// Type-erased pointer to the default value of field `i`, or null.
fn fieldDefaultPtr(comptime T: type, comptime i: usize) ?*const anyopaque {
    const info = @typeInfo(T).@"struct";
    if (soa) return info.field_attrs[i].default_value_ptr;
    return info.fields[i].default_value_ptr;
}

pub fn fieldHasDefault(comptime T: type, comptime i: usize) bool {
    return fieldDefaultPtr(T, i) != null;
}

/// Default value of field `i` of struct `T` (null when it has none).
pub fn fieldDefault(comptime T: type, comptime i: usize) ?structFieldTypes(T)[i] {
    const F = comptime structFieldTypes(T)[i];
    const p = fieldDefaultPtr(T, i) orelse return null;
    const typed: *const F = @ptrCast(@alignCast(p));
    return typed.*;
}

pub fn isComptimeField(comptime T: type, comptime i: usize) bool {
    const info = @typeInfo(T).@"struct";
    if (soa) return info.field_attrs[i].@"comptime";
    return info.fields[i].is_comptime;
}

// ----------------------------------------------------------- declarations

/// Names of the public declarations of a struct, enum, union or opaque type.
pub fn declNames(comptime T: type) []const [:0]const u8 {
    switch (@typeInfo(T)) {
        inline .@"struct", .@"enum", .@"union", .@"opaque" => |info| {
            if (soa) return info.decl_names;
            return comptime namesOf(info.decls);
        },
        else => return &.{},
    }
}

// -------------------------------------------------------------- functions

pub fn fnIsGeneric(comptime F: type) bool {
    return @typeInfo(F).@"fn".is_generic;
}

pub fn fnIsVarArgs(comptime F: type) bool {
    const info = @typeInfo(F).@"fn";
    if (soa) return info.attrs.varargs;
    return info.is_var_args;
}

/// Whether `F` uses the default (Zig) calling convention.
pub fn fnIsAutoCallconv(comptime F: type) bool {
    const info = @typeInfo(F).@"fn";
    if (soa) return info.attrs.@"callconv" == .auto;
    return info.calling_convention == .auto;
}

/// Parameter types; a null entry is an `anytype` (or otherwise generic) parameter.
pub fn fnParamTypes(comptime F: type) []const ?type {
    const info = @typeInfo(F).@"fn";
    if (soa) return info.param_types;
    return comptime blk: {
        var types: [info.params.len]?type = undefined;
        for (info.params, 0..) |p, i| types[i] = p.type;
        const final = types;
        break :blk &final;
    };
}

/// Return type, or null when it depends on a generic parameter.
pub fn fnReturnType(comptime F: type) ?type {
    return @typeInfo(F).@"fn".return_type;
}

// ------------------------------------------------------------------ enums

pub fn enumFieldNames(comptime E: type) []const [:0]const u8 {
    const info = @typeInfo(E).@"enum";
    if (soa) return info.field_names;
    return comptime namesOf(info.fields);
}

pub fn enumIsExhaustive(comptime E: type) bool {
    const info = @typeInfo(E).@"enum";
    if (soa) return info.mode == .exhaustive;
    return info.is_exhaustive;
}

// ----------------------------------------------------------------- unions

pub fn unionFieldNames(comptime U: type) []const [:0]const u8 {
    const info = @typeInfo(U).@"union";
    if (soa) return info.field_names;
    return comptime namesOf(info.fields);
}

pub fn unionFieldTypes(comptime U: type) []const type {
    const info = @typeInfo(U).@"union";
    if (soa) return info.field_types;
    return comptime typesOf(info.fields);
}

// ------------------------------------------------------------- error sets

/// Names of the errors in error set `E`, or null for `anyerror`.
pub fn errorSetNames(comptime E: type) ?[]const [:0]const u8 {
    const info = @typeInfo(E).error_set;
    if (soa) return info.error_names;
    const list = info orelse return null;
    return comptime namesOf(list);
}

// ---------------------------------------------------------------- threads

/// Id of the calling thread, without thread-local storage (see call.zig).
pub fn threadId() u64 {
    if (builtin.os.tag == .linux) return @intCast(@import("std").os.linux.gettid());
    return @intCast(@import("std").Thread.getCurrentId());
}

// --------------------------------------------------------------- pointers

pub fn isConstPointer(comptime P: type) bool {
    const info = @typeInfo(P).pointer;
    if (soa) return info.attrs.@"const";
    return info.is_const;
}

pub fn isVolatilePointer(comptime P: type) bool {
    const info = @typeInfo(P).pointer;
    if (soa) return info.attrs.@"volatile";
    return info.is_volatile;
}

// ------------------------------------------------------------------ tests

test "struct reflection" {
    const S = struct { a: u8, b: f64 = 2.5 };
    const std = @import("std");
    try std.testing.expectEqualStrings("a", structFieldNames(S)[0]);
    try std.testing.expect(comptime structFieldTypes(S)[1] == f64);
    try std.testing.expect(!fieldHasDefault(S, 0));
    try std.testing.expectEqual(@as(?f64, 2.5), fieldDefault(S, 1));
}

test "fn and enum reflection" {
    const std = @import("std");
    const E = enum { red, green };
    const f = struct {
        fn f(a: i32, b: anytype) void {
            _ = a;
            _ = b;
        }
        fn g(a: u8) E {
            _ = a;
            return .red;
        }
    };
    try std.testing.expect(fnIsGeneric(@TypeOf(f.f)));
    try std.testing.expect(comptime fnParamTypes(@TypeOf(f.f))[1] == null);
    try std.testing.expect(comptime fnReturnType(@TypeOf(f.g)).? == E);
    try std.testing.expectEqualStrings("green", enumFieldNames(E)[1]);
    try std.testing.expect(enumIsExhaustive(E));
    try std.testing.expect(isConstPointer([]const u8));
    try std.testing.expect(!isConstPointer([]u8));
}
