//! Which Zig types have a JS form, in each direction (in: a JS value read as a parameter,
//! out: a Zig value given to JS), and, when one has none, the short reason that
//! `__zigimport_skipped` shows. Split from the classifier (types.zig), which it asks.

const std = @import("std");
const compat = @import("compat.zig");
const types = @import("types.zig");
const error_values = @import("error_values.zig");
const iterator = @import("iterator.zig");

pub const Dir = enum { in, out };

/// Null when `T` can travel in direction `dir` (in: JS -> Zig parameter,
/// out: Zig -> JS result), else a short reason.
pub fn unsupported(comptime T: type, comptime dir: Dir) ?[]const u8 {
    return unsupportedIn(T, dir, 0);
}

fn unsupportedIn(comptime T: type, comptime dir: Dir, comptime depth: u32) ?[]const u8 {
    if (depth > 8) return "type nests too deeply";
    const not = "type " ++ @typeName(T) ++ " is not supported";
    switch (comptime types.kind(T)) {
        .number, .boolean => return null,
        .bigint => return if (@typeInfo(T).int.bits <= 128) null else "integers wider than 128 bits are not supported",
        .void => return if (dir == .out) null else "void parameters are not supported (a void value carries nothing to pass: remove the parameter)",
        .string => return if (dir == .in and @typeInfo(T).pointer.size == .one) not ++ " as a parameter" else null,
        .handle => return null,
        .struct_pointer => {
            // A recursive structure (`next: ?*const Node`) meets its own type again: the
            // first visit checked every field, so the second is not checked again.
            if (depth >= recursive_recheck_depth) return null;
            return unsupportedIn(@typeInfo(T).pointer.child, dir, depth + 1);
        },
        .typedarray => return null,
        .error_set => return if (dir == .in) error_values.unsupportedIn(T) else null,
        .error_union => {
            const eu = @typeInfo(T).error_union;
            if (dir == .in) if (error_values.unsupportedIn(eu.error_set)) |why| return why;
            if (eu.payload == void) return null;
            if (dir == .in and types.kind(eu.payload) == .function) return "error unions of callbacks are not supported";
            if (types.kind(eu.payload) == .error_union) return "nested error unions are not supported";
            return unsupportedIn(eu.payload, dir, depth + 1);
        },
        .array => return unsupportedIn(types.elementOf(T), dir, depth + 1),
        .tuple => {
            inline for (comptime compat.structFieldTypes(T), 0..) |F, i| {
                if (compat.isComptimeField(T, i)) return "tuples with comptime fields are not supported";
                if (unsupportedIn(F, dir, depth + 1)) |why| return std.fmt.comptimePrint("element {d}: ", .{i}) ++ why;
            }
            return null;
        },
        .optional => {
            const C = @typeInfo(T).optional.child;
            if (@typeInfo(C) == .optional) return "nested optionals are not supported";
            if (dir == .in and types.kind(C) == .function) return "optional callbacks are only supported as direct parameters and fields of a struct parameter";
            return unsupportedIn(C, dir, depth + 1);
        },
        .@"struct" => {
            const names = compat.structFieldNames(T);
            inline for (comptime compat.structFieldTypes(T), 0..) |F, i| {
                if (compat.isComptimeField(T, i)) return "comptime field " ++ names[i] ++ " is not supported";
                if (F == void) return "field " ++ names[i] ++ " has type void (a field that carries nothing has no JS form: remove it or make it a declaration)";
                if (dir == .in and types.kind(F) == .function) return "field " ++ names[i] ++ ": callbacks are only supported as parameters and fields of a struct parameter";
                if (unsupportedIn(F, dir, depth + 1)) |why| return "field " ++ names[i] ++ ": " ++ why;
            }
            return null;
        },
        .@"enum" => {
            // A non-exhaustive enum's unnamed values travel as numbers, so it needs no names.
            if (compat.enumIsExhaustive(T) and compat.enumFieldNames(T).len == 0) return "enum " ++ @typeName(T) ++ " has no values";
            return null;
        },
        .@"union" => {
            const names = compat.unionFieldNames(T);
            inline for (comptime compat.unionFieldTypes(T), 0..) |F, i| {
                if (F != void) {
                    if (dir == .in and types.kind(F) == .function) return "variant " ++ names[i] ++ ": callbacks are only supported as parameters";
                    if (unsupportedIn(F, dir, depth + 1)) |why| return "variant " ++ names[i] ++ ": " ++ why;
                }
            }
            return null;
        },
        .function => {
            const F = @typeInfo(T).pointer.child;
            if (compat.fnIsVarArgs(F) or compat.fnIsGeneric(F)) return "function type " ++ @typeName(T) ++ " is not supported";
            if (dir == .out) return functionValueUnsupported(F, depth);
            if (depth > 0) return "callbacks are only supported as direct parameters";
            if (!compat.fnIsAutoCallconv(F)) return "callbacks must use the default calling convention";
            const params = compat.fnParamTypes(F);
            if (params.len > max_callback_params) return std.fmt.comptimePrint("callbacks take at most {d} parameters", .{max_callback_params});
            inline for (params, 0..) |P, i| {
                if (unsupportedIn(P.?, .out, depth + 1)) |why| return std.fmt.comptimePrint("callback parameter {d}: ", .{i + 1}) ++ why;
                if (types.kind(P.?) == .class) return "callback parameters cannot be class instances";
            }
            const R = compat.fnReturnType(F).?;
            const Payload = compat.payloadOf(R);
            if (Payload != void) {
                if (types.kind(Payload) == .class) return "callbacks cannot return class instances";
                if (unsupportedIn(Payload, .in, depth + 1)) |why| return "callback result: " ++ why;
            }
            return null;
        },
        .js_function => {
            if (dir == .out) return "a JsFunction cannot be given back to JS";
            if (depth > 0) return "a JsFunction is only supported as a direct parameter";
            return T.zigimport_unsupported();
        },
        .iterator => {
            if (dir == .in) return "iterators can only be returned (type " ++ @typeName(T) ++ ")";
            if (iterator.unsupported(T)) |why| return why;
            const I = iterator.Item(T);
            if (types.kind(I) == .iterator) return "iterators of iterators are not supported";
            if (unsupportedIn(I, .out, depth + 1)) |why| return "iterator item: " ++ why;
            return null;
        },
        .class => {
            if (@typeInfo(T) == .pointer and dir == .out) return "class pointers cannot be returned (return the class by value)";
            return null;
        },
        .unsupported => {
            if (types.isAllocator(T)) return "an Allocator is only supported as a direct parameter";
            if (@typeInfo(T) == .pointer and @typeInfo(T).pointer.size == .one) {
                return "type " ++ @typeName(T) ++ " is not supported: only pointers to structs and opaque types have a JS form (return the value, or wrap it in a struct)";
            }
            return not;
        },
    }
}

/// A Zig function pointer given to JS (function_value.zig) is called like an exported function:
/// its parameters are read from JS (an Allocator injected, a callback as a direct parameter).
fn functionValueUnsupported(comptime F: type, comptime depth: u32) ?[]const u8 {
    inline for (compat.fnParamTypes(F), 0..) |P, i| {
        const why = if (types.isAllocator(P.?)) null else if (types.kind(P.?) == .function) unsupportedIn(P.?, .in, 0) else unsupportedIn(P.?, .in, depth + 1);
        if (why) |w| return std.fmt.comptimePrint("function value parameter {d}: ", .{i + 1}) ++ w;
    }
    const R = compat.fnReturnType(F).?;
    if (unsupportedIn(compat.payloadOf(R), .out, depth + 1)) |why| return "function value result: " ++ why;
    return null;
}

/// Zig cannot generate a function body with a computed number of parameters: fixed_arity.zig
/// spells them out up to this many (its `max_params`; a test keeps the two equal).
pub const max_callback_params = 32;

/// Nesting depth at which a struct pointer is taken to be a recursive structure's
/// second visit (see `.struct_pointer` in `unsupportedIn`).
const recursive_recheck_depth = 4;

test unsupported {
    const Node = struct { v: i32, next: ?*const @This() };
    try std.testing.expect(comptime unsupported(Node, .out) == null and unsupported(*const Node, .in) == null);
    try std.testing.expect(comptime unsupported(void, .in) != null and unsupported(void, .out) == null);
    try std.testing.expectEqualStrings("callbacks take at most 32 parameters", comptime unsupported(*const fn (
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
        i8,
    ) void, .in).?);
}
