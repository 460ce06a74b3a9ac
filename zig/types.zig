//! Comptime classification of Zig types shared by the readers (from_js) and
//! the writers (to_js): which types are strings, typed arrays, big integers.

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const class_list = @import("class_list.zig");
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
