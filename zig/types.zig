//! Comptime classification of Zig types shared by the readers (from_js) and
//! the writers (to_js): which types are strings, typed arrays, big integers.

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const class_list = @import("class_list.zig");
const error_values = @import("error_values.zig");
const iterator = @import("iterator.zig");

/// `std.mem.Allocator` parameters are injected, never read from JS.
pub fn isAllocator(comptime T: type) bool {
    return T == std.mem.Allocator;
}

/// Integers that travel as JS numbers: up to 53 bits, exactly representable in a
/// double. Wider integers, `usize`/`isize` on 64-bit targets included, always travel
/// as BigInt (one JS type per Zig type): a result is never an error for being large.
pub fn isNumberInt(comptime T: type) bool {
    // usize/isize are BigInt on 32-bit targets too (WebAssembly), so a module's JS types do not
    // depend on what it was built for; values past 32 bits are then a RangeError.
    if (T == usize or T == isize) return false;
    return @typeInfo(T).int.bits <= 53;
}

/// Inclusive limits of the integers accepted for `T` from a JS number.
pub fn numberMin(comptime T: type) comptime_int {
    return std.math.minInt(T);
}
pub fn numberMax(comptime T: type) comptime_int {
    return std.math.maxInt(T);
}
/// `Number.MAX_SAFE_INTEGER`: the largest integer a double holds exactly.
pub const max_safe = (1 << 53) - 1;

/// How a Zig type travels to and from JavaScript. Readers (from_js),
/// writers (to_js) and the descriptor (describe.zig) all switch on this, so
/// they cannot disagree.
pub const Kind = enum {
    number,
    bigint,
    boolean,
    void,
    string,
    typedarray,
    array,
    tuple,
    optional,
    @"struct",
    @"enum",
    @"union",
    function,
    class,
    /// An error set value (`E`, `anyerror`): its name.
    error_set,
    /// `E!T` inside a value: a `T` or an `Error` whose `code` is the name (error_values.zig).
    error_union,
    /// A struct with `pub fn next(self: *Self) ?T`: a returned JS iterable (iterator.zig).
    iterator,
    /// `zigimport.JsFunction(fn (...) R)`: a JS function Zig keeps (js_function.zig).
    js_function,
    /// `*T` / `*const T` of a plain struct: a parameter copies the object in (and, for `*T`,
    /// its fields back after the call); a result is converted to an object (pointer.zig).
    struct_pointer,
    /// `*anyopaque`, `*opaque {}`: a type-tagged handle JS can only give back (handle.zig).
    handle,
    unsupported,
};

pub fn kind(comptime T: type) Kind {
    return switch (@typeInfo(T)) {
        .bool => .boolean,
        .float => .number,
        .int => if (isNumberInt(T)) .number else .bigint,
        .void => .void,
        .error_set => .error_set,
        .error_union => .error_union,
        .optional => .optional,
        .@"enum" => .@"enum",
        .@"struct" => if (isAllocator(T))
            .unsupported
        else if (compat.isTuple(T))
            .tuple
        else if (@hasDecl(T, "zigimport_js_function"))
            .js_function
        else if (class_list.isClass(T))
            .class
        else if (iterator.isIterator(T))
            .iterator
        else
            .@"struct",
        .@"union" => |u| if (u.tag_type != null) .@"union" else .unsupported,
        .array => |a| if (typedArrayKind(a.child) != null) .typedarray else .array,
        // Vectors of other elements (`@Vector(4, bool)`) are JS arrays of fixed length.
        .vector => |v| if (typedArrayKind(v.child) != null) .typedarray else .array,
        .pointer => |p| switch (p.size) {
            .slice => if (p.child == u8 and (compat.isConstPointer(T) or (p.sentinel_ptr != null and p.sentinel() == 0)))
                .string
            else if (p.sentinel_ptr != null)
                .unsupported
            else if (typedArrayKind(p.child) != null)
                .typedarray
            else
                .array,
            .one => if (@typeInfo(p.child) == .array and @typeInfo(p.child).array.child == u8)
                .string
            else if (@typeInfo(p.child) == .@"fn")
                .function
            else if (@typeInfo(p.child) == .@"struct" and class_list.isClass(p.child))
                .class
            else if (@typeInfo(p.child) == .@"opaque")
                .handle
            else if (@typeInfo(p.child) == .@"struct" and kind(p.child) == .@"struct")
                .struct_pointer
            else
                .unsupported,
            // A C string (`[*:0]const u8`): a JS string both ways.
            .many, .c => if (p.child == u8 and p.sentinel_ptr != null and p.sentinel() == 0) .string else .unsupported,
        },
        else => .unsupported,
    };
}

/// The class type behind a `.class` kind (`Counter` or `*Counter`).
pub fn classOf(comptime T: type) type {
    return if (@typeInfo(T) == .pointer) @typeInfo(T).pointer.child else T;
}

/// Element type of a `.typedarray` / `.array` kind (slice, array or vector).
pub fn elementOf(comptime T: type) type {
    return switch (@typeInfo(T)) {
        .pointer => |p| p.child,
        .array => |a| a.child,
        .vector => |v| v.child,
        else => @compileError("no element type: " ++ @typeName(T)),
    };
}

/// Fixed length of an array or vector, null for slices.
pub fn fixedLength(comptime T: type) ?usize {
    return switch (@typeInfo(T)) {
        .array => |a| a.len,
        .vector => |v| v.len,
        else => null,
    };
}

/// A mutable slice (`[]T`): borrowed from JS, writes visible to JS.
pub fn isMutableSlice(comptime T: type) bool {
    const info = @typeInfo(T);
    return info == .pointer and info.pointer.size == .slice and !compat.isConstPointer(T);
}

/// Whether a `.typedarray` parameter also accepts a plain JS array (copied):
/// everything but mutable slices, whose writes must reach JS.
pub fn acceptsArray(comptime T: type) bool {
    return !isMutableSlice(T);
}

/// Whether reading a `T` can hand out memory owned by JavaScript (a Uint8Array for a
/// `[]const u8`, a typed array for a numeric slice), directly or inside an object,
/// array, tuple or union. Such memory must not be borrowed while JS code can still
/// run before the call ends (function.zig decides, from_js.zig copies).
pub fn borrows(comptime T: type) bool {
    return switch (comptime kind(T)) {
        .string => @typeInfo(T).pointer.size == .slice and @typeInfo(T).pointer.sentinel_ptr == null,
        .typedarray => fixedLength(T) == null,
        .optional => borrows(@typeInfo(T).optional.child),
        .struct_pointer => borrowsPointee(@typeInfo(T).pointer.child),
        .error_union => borrows(@typeInfo(T).error_union.payload),
        .array => borrows(elementOf(T)),
        .@"struct", .tuple => blk: {
            for (compat.structFieldTypes(T)) |F| if (borrows(F)) break :blk true;
            break :blk false;
        },
        .@"union" => blk: {
            for (compat.unionFieldTypes(T)) |F| if (F != void and borrows(F)) break :blk true;
            break :blk false;
        },
        else => false,
    };
}

/// Whether reading a `T` can run JavaScript: property and element reads of objects,
/// arrays, tuples and unions meet getters and proxy traps. Scalars, strings, enums,
/// typed arrays and class instances are read without running any JS (Node-API does
/// not call `valueOf`/`toString`). A numeric slice that also accepts a plain array
/// runs JS only for a plain array (`from_js.willRunJs` tells at run time).
pub fn runsJs(comptime T: type) bool {
    return switch (comptime kind(T)) {
        .typedarray => acceptsArray(T),
        .optional => runsJs(@typeInfo(T).optional.child),
        // An error union reads the `code` of an Error, which may be a getter.
        .array, .tuple, .@"struct", .@"union", .error_union, .struct_pointer => true,
        else => false,
    };
}

/// A parameter borrowed as a whole (not inside an object or array): a string or
/// numeric slice, possibly optional. These are the ones function.zig tracks.
pub fn borrowsDirectly(comptime T: type) bool {
    const C = if (@typeInfo(T) == .optional) @typeInfo(T).optional.child else T;
    return switch (comptime kind(C)) {
        .string, .typedarray => borrows(C),
        else => false,
    };
}

/// A directly borrowed parameter whose writes must reach JS (`[]T`, `?[]T`).
pub fn isMutableBorrow(comptime T: type) bool {
    const C = if (@typeInfo(T) == .optional) @typeInfo(T).optional.child else T;
    return borrowsDirectly(T) and isMutableSlice(C);
}

pub const Dir = enum { in, out };

/// Null when `T` can travel in direction `dir` (in: JS -> Zig parameter,
/// out: Zig -> JS result), else a short reason.
pub fn unsupported(comptime T: type, comptime dir: Dir) ?[]const u8 {
    return unsupportedIn(T, dir, 0);
}

fn unsupportedIn(comptime T: type, comptime dir: Dir, comptime depth: u32) ?[]const u8 {
    if (depth > 8) return "type nests too deeply";
    const not = "type " ++ @typeName(T) ++ " is not supported";
    switch (comptime kind(T)) {
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
            if (dir == .in and kind(eu.payload) == .function) return "error unions of callbacks are not supported";
            if (kind(eu.payload) == .error_union) return "nested error unions are not supported";
            return unsupportedIn(eu.payload, dir, depth + 1);
        },
        .array => return unsupportedIn(elementOf(T), dir, depth + 1),
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
            if (dir == .in and kind(C) == .function) return "optional callbacks are only supported as direct parameters and fields of a struct parameter";
            return unsupportedIn(C, dir, depth + 1);
        },
        .@"struct" => {
            const names = compat.structFieldNames(T);
            inline for (comptime compat.structFieldTypes(T), 0..) |F, i| {
                if (compat.isComptimeField(T, i)) return "comptime field " ++ names[i] ++ " is not supported";
                if (F == void) return "field " ++ names[i] ++ " has type void (a field that carries nothing has no JS form: remove it or make it a declaration)";
                if (dir == .in and kind(F) == .function) return "field " ++ names[i] ++ ": callbacks are only supported as parameters and fields of a struct parameter";
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
                    if (dir == .in and kind(F) == .function) return "variant " ++ names[i] ++ ": callbacks are only supported as parameters";
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
                if (kind(P.?) == .class) return "callback parameters cannot be class instances";
            }
            const R = compat.fnReturnType(F).?;
            const Payload = compat.payloadOf(R);
            if (Payload != void) {
                if (kind(Payload) == .class) return "callbacks cannot return class instances";
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
            if (kind(I) == .iterator) return "iterators of iterators are not supported";
            if (unsupportedIn(I, .out, depth + 1)) |why| return "iterator item: " ++ why;
            return null;
        },
        .class => {
            if (@typeInfo(T) == .pointer and dir == .out) return "class pointers cannot be returned (return the class by value)";
            return null;
        },
        .unsupported => {
            if (isAllocator(T)) return "an Allocator is only supported as a direct parameter";
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
        const why = if (isAllocator(P.?)) null else if (kind(P.?) == .function) unsupportedIn(P.?, .in, 0) else unsupportedIn(P.?, .in, depth + 1);
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

/// `borrows` for the struct behind a pointer, which may point back to itself
/// (`next: ?*const Node`): such a structure's strings are copied anyway (it is read
/// as an object, with `copyInside`), so only its direct fields are asked.
fn borrowsPointee(comptime S: type) bool {
    for (compat.structFieldTypes(S)) |F| {
        const C = if (@typeInfo(F) == .optional) @typeInfo(F).optional.child else F;
        if (kind(C) != .struct_pointer and borrows(F)) return true;
    }
    return false;
}

/// A parameter the call writes back into its JS value when it returns: a `*T` struct
/// pointer (its fields), or a mutable slice of non-numeric elements (`[]Planet`).
pub fn writesBack(comptime T: type) bool {
    const C = if (@typeInfo(T) == .optional) @typeInfo(T).optional.child else T;
    return switch (comptime kind(C)) {
        .struct_pointer => !compat.isConstPointer(C),
        .array => isMutableSlice(C),
        else => false,
    };
}

/// The typed-array kind matching a slice element type, or null.
pub fn typedArrayKind(comptime E: type) ?napi.TypedArrayType {
    return switch (E) {
        i8 => .int8,
        u8 => .uint8,
        i16 => .int16,
        u16 => .uint16,
        i32 => .int32,
        u32 => .uint32,
        i64 => .bigint64,
        u64 => .biguint64,
        f32 => .float32,
        f64 => .float64,
        else => null,
    };
}

/// Short English description of what JS value a parameter accepts, for
/// error messages ("a number", "a Float64Array or null", ...).
pub fn expected(comptime T: type) []const u8 {
    return switch (comptime kind(T)) {
        .boolean => "a boolean",
        .number => if (@typeInfo(T) == .int) "a number" else "a number",
        .bigint => "a bigint or integer number",
        .optional => expected(@typeInfo(T).optional.child) ++ " or null",
        .@"enum" => if (compat.enumIsExhaustive(T)) "a string" else "a string or an integer",
        .@"struct" => "an object",
        .@"union" => "an object with one key",
        .string => "a string or Uint8Array",
        .typedarray => typedArrayKind(elementOf(T)).?.jsNameWithArticle() ++ (if (acceptsArray(T)) " or array" else ""),
        .array, .tuple => "an array",
        .function, .js_function => "a function",
        .error_set => "an error name",
        .error_union => (if (@typeInfo(T).error_union.payload == void) "undefined" else expected(@typeInfo(T).error_union.payload)) ++ " or an Error",
        .class => "a " ++ class_list.exportName(classOf(T)) ++ " instance",
        .struct_pointer => "an object",
        .handle => (if (std.mem.indexOfScalar(u8, "aeiouAEIOU", handleName(T)[0]) != null) "an " else "a ") ++ handleName(T) ++ " handle",
        else => "a value",
    };
}

/// The kind name of a handle type, also its brand in the declarations: the opaque type's
/// path in the user's module (`*m.gfx.Window` -> "gfx.Window"), else its Zig name ("anyopaque").
pub fn handleName(comptime T: type) []const u8 {
    const O = @typeInfo(if (@typeInfo(T) == .optional) @typeInfo(T).optional.child else T).pointer.child;
    const prefix = @typeName(class_list.User) ++ ".";
    const full = @typeName(O);
    return if (std.mem.startsWith(u8, full, prefix)) full[prefix.len..] else full;
}

/// `"a", "b", "c"` for an enum, for error messages.
pub fn enumNameList(comptime E: type) []const u8 {
    return comptime blk: {
        var out: []const u8 = "";
        for (compat.enumFieldNames(E), 0..) |name, i| {
            out = out ++ (if (i == 0) "" else ", ") ++ "\"" ++ name ++ "\"";
        }
        break :blk out;
    };
}

test kind {
    try std.testing.expect(kind([]const u8) == .string);
    try std.testing.expect(kind([:0]const u8) == .string);
    try std.testing.expect(kind([]u8) == .typedarray);
    try std.testing.expect(kind(*const [3:0]u8) == .string);
    try std.testing.expect(kind([]const f64) == .typedarray);
    try std.testing.expectEqualStrings("a Float64Array or null", comptime expected(?[]f64));
    try std.testing.expect(kind([*:0]const u8) == .string and kind([*]const u8) == .unsupported);
    try std.testing.expect(kind(*anyopaque) == .handle and kind(*const opaque {}) == .handle);
    const Point = struct { x: f64 };
    try std.testing.expect(kind(*Point) == .struct_pointer and kind(*const Point) == .struct_pointer);
    try std.testing.expect(comptime writesBack(*Point) and !writesBack(*const Point) and writesBack([]Point) and !writesBack([]const Point));
    const Node = struct { v: i32, next: ?*const @This() };
    try std.testing.expect(comptime unsupported(Node, .out) == null and unsupported(*const Node, .in) == null);
}

test borrows {
    try std.testing.expect(comptime borrows([]const u8));
    try std.testing.expect(comptime !borrows([:0]const u8));
    try std.testing.expect(comptime borrows(?[]f64));
    try std.testing.expect(comptime !borrows([4]f64));
    try std.testing.expect(comptime borrows(struct { a: u8, b: []const i32 }));
    try std.testing.expect(comptime borrows([]const []const u8));
    try std.testing.expect(comptime !borrows(struct { a: f64, b: bool }));
    try std.testing.expect(comptime borrowsDirectly(?[]const u8) and !borrowsDirectly(struct { b: []u8 }));
    try std.testing.expect(comptime isMutableBorrow([]f64) and !isMutableBorrow([]const f64) and !isMutableBorrow([]const u8));
}

test runsJs {
    try std.testing.expect(comptime !runsJs(f64) and !runsJs([]const u8) and !runsJs([]f64) and !runsJs(?[]u8));
    try std.testing.expect(comptime runsJs([]const f64) and runsJs(?[]const i32) and runsJs(struct { x: f64 }));
    try std.testing.expect(comptime runsJs([]const []const u8) and runsJs(struct { u8, u8 }));
}
