//! The WebAssembly fast path: for each top-level function whose parameters are numbers, booleans,
//! strings (`[]const u8`) or numeric slices and whose result is a number, a boolean or void, a
//! plain wasm export `__zigimport_fast_<name>` taking the lowered arguments (a slice as pointer and
//! length). The JavaScript glue (src/wasm/fast-path.ts) calls it directly when the arguments
//! already have the expected JS types, and the Node-API function otherwise, so errors stay the
//! Node-API path's. Compiled only into wasm32 builds (zigimport.zig).

const std = @import("std");
const compat = @import("compat.zig");
const declarations = @import("declarations.zig");
const owned = @import("owned.zig");

pub const prefix = "__zigimport_fast_";

/// Scalars passed as themselves (the wasm C ABI widens the small ones to i32).
const scalars = [_]type{ bool, f64, f32, i32, u32, i16, u16, i8, u8 };

/// Slices passed as (pointer, length): `[]const u8` is a string, the rest typed arrays.
const slices = [_]type{
    []const u8,  []u8,  []const i8,  []i8,  []const u16, []u16, []const i16, []i16,
    []const u32, []u32, []const i32, []i32, []const f32, []f32, []const f64, []f64,
};

fn isOneOf(comptime T: type, comptime list: []const type) bool {
    inline for (list) |L| if (T == L) return true;
    return false;
}

const max_lowered = 6;

/// The wasm parameter types of `F`, or null when `F` has no fast path.
fn lowered(comptime F: type) ?[]const type {
    return comptime blk: {
        @setEvalBranchQuota(10_000);
        if (compat.fnIsGeneric(F) or compat.fnIsVarArgs(F)) break :blk null;
        const R = compat.fnReturnType(F) orelse break :blk null;
        if (R != void and !isOneOf(R, &scalars)) break :blk null;
        var out: []const type = &.{};
        for (compat.fnParamTypes(F)) |P| {
            const T = P orelse break :blk null;
            if (isOneOf(T, &scalars)) {
                out = out ++ &[_]type{T};
            } else if (isOneOf(T, &slices)) {
                out = out ++ &[_]type{ usize, usize };
            } else break :blk null;
        }
        if (out.len > max_lowered) break :blk null;
        break :blk out;
    };
}

fn Invoker(comptime func: anytype) type {
    const F = @TypeOf(func);
    const params = compat.fnParamTypes(F);
    const R = compat.fnReturnType(F).?;
    const L = lowered(F).?;
    return struct {
        fn invoke(raw: anytype) R {
            var args: std.meta.ArgsTuple(F) = undefined;
            comptime var j = 0;
            inline for (params, 0..) |P, i| {
                const T = P.?;
                if (comptime isOneOf(T, &scalars)) {
                    args[i] = raw[j];
                    j += 1;
                } else {
                    const E = std.meta.Elem(T);
                    const len: usize = raw[j + 1];
                    const Many = if (comptime isConst(T)) [*]const E else [*]E;
                    args[i] = if (len == 0) &.{} else @as(Many, @ptrFromInt(raw[j]))[0..len];
                    j += 2;
                }
            }
            return @call(.auto, func, args);
        }
        fn c0() callconv(.c) R {
            return invoke(.{});
        }
        fn c1(a: L[0]) callconv(.c) R {
            return invoke(.{a});
        }
        fn c2(a: L[0], b: L[1]) callconv(.c) R {
            return invoke(.{ a, b });
        }
        fn c3(a: L[0], b: L[1], c: L[2]) callconv(.c) R {
            return invoke(.{ a, b, c });
        }
        fn c4(a: L[0], b: L[1], c: L[2], d: L[3]) callconv(.c) R {
            return invoke(.{ a, b, c, d });
        }
        fn c5(a: L[0], b: L[1], c: L[2], d: L[3], e: L[4]) callconv(.c) R {
            return invoke(.{ a, b, c, d, e });
        }
        fn c6(a: L[0], b: L[1], c: L[2], d: L[3], e: L[4], f: L[5]) callconv(.c) R {
            return invoke(.{ a, b, c, d, e, f });
        }
    };
}

fn isConst(comptime T: type) bool {
    return compat.isConstPointer(T);
}

fn exportOne(comptime func: anytype, comptime name: []const u8) void {
    const I = Invoker(func);
    const options: std.builtin.ExportOptions = .{ .name = prefix ++ name };
    switch (lowered(@TypeOf(func)).?.len) {
        0 => @export(&I.c0, options),
        1 => @export(&I.c1, options),
        2 => @export(&I.c2, options),
        3 => @export(&I.c3, options),
        4 => @export(&I.c4, options),
        5 => @export(&I.c5, options),
        6 => @export(&I.c6, options),
        else => unreachable,
    }
}

/// Exports the fast entry of every eligible top-level, non-async function of `M`.
pub fn exportFast(comptime M: type) void {
    @setEvalBranchQuota(100_000);
    const items = comptime declarations.itemsOf(M, 0, &.{.function});
    inline for (items) |item| {
        if (comptime declarations.isAsync(M, item.name)) continue;
        // A free function gets the Zig memory behind the array (owned.zig), not a copy.
        if (comptime owned.isFreeName(item.name)) continue;
        const func = @field(M, item.name);
        if (comptime lowered(@TypeOf(func)) != null) exportOne(func, item.name);
    }
}

test lowered {
    const M = struct {
        fn add(a: f64, b: f64) f64 {
            return a + b;
        }
        fn len(s: []const u8, xs: []f64) u32 {
            return @intCast(s.len + xs.len);
        }
        fn big(a: u64) u64 {
            return a;
        }
        fn fails() !void {}
    };
    try std.testing.expectEqual(2, lowered(@TypeOf(M.add)).?.len);
    try std.testing.expectEqual(4, lowered(@TypeOf(M.len)).?.len);
    try std.testing.expect(lowered(@TypeOf(M.big)) == null);
    try std.testing.expect(lowered(@TypeOf(M.fails)) == null);
    try std.testing.expectEqual(3, Invoker(M.len).invoke(.{ @intFromPtr("abc"), 3, 0, 0 }));
}
