//! When memory owned by JavaScript may be handed to Zig without copying.
//!
//! A string or numeric slice argument given a Uint8Array or typed array is
//! borrowed (zero-copy) only while no JS code can run before the call ends:
//! JS could detach the ArrayBuffer (`transfer()`, `structuredClone` with
//! `transfer`, `postMessage`), after which the memory may be freed, or
//! refill it, changing an argument that was already read. JS runs in
//! getters and proxy traps met while reading objects, arrays, tuples and
//! unions (`types.runsJs`), and in callbacks the Zig function calls. So:
//! - inside an object, array, tuple or union, borrows are copied (`copyInside`);
//! - a read-only slice read before a parameter that runs JS is copied just
//!   before that JS runs (`duplicate`; function.zig), keeping the value it had
//!   when it was read;
//! - a mutable slice (`[]T`, writes visible to JS) is borrowed again after the
//!   last JS has run, or, when the function takes a callback, copied and
//!   written back when the call returns if its typed array is still attached
//!   (`call.Ctx.writeBack`);
//! - signatures where no JS can run (`fn sum(xs: []const f64)`,
//!   `fn fill(xs: []f64, v: f64)`) borrow as before, with no extra work.
//!
//! Also here: the length limit for copying plain arrays.

const std = @import("std");
const napi = @import("napi.zig");
const types = @import("types.zig");
const call = @import("call.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const Ctx = call.Ctx;
const check = napi.check;

/// Objects, arrays, tuples and unions: whatever they contain is copied, not
/// borrowed (a later getter could detach or refill it). Returns the previous
/// setting, for `endCopyInside`.
pub inline fn copyInside(comptime T: type, cx: *Ctx) bool {
    if (comptime !types.borrows(T)) return false;
    const was = cx.copy;
    cx.copy = true;
    return was;
}

/// Undoes `copyInside` (nothing at all for types that borrow nothing).
pub inline fn endCopyInside(comptime T: type, cx: *Ctx, was: bool) void {
    if (comptime types.borrows(T)) cx.copy = was;
}

/// Whether reading `v` as a `T` can run JS: `types.runsJs`, refined for
/// numeric slices, which run none when given a typed array.
pub fn willRunJs(comptime T: type, env: Env, v: Value) Error!bool {
    switch (comptime types.kind(T)) {
        .typedarray => {
            if (comptime !types.acceptsArray(T)) return false;
            var is = false;
            try check(env, napi.napi_is_typedarray(env, v, &is));
            return !is;
        },
        .optional => {
            var t: napi.ValueType = undefined;
            try check(env, napi.napi_typeof(env, v, &t));
            if (t == .undefined or t == .null) return false;
            return willRunJs(@typeInfo(T).optional.child, env, v);
        },
        else => return comptime types.runsJs(T),
    }
}

/// A per-call copy of a borrowed string or read-only numeric slice (or null),
/// taken before JS code that could change the original runs.
pub fn duplicate(comptime T: type, cx: *Ctx, x: T, comptime where: []const u8) Error!T {
    if (@typeInfo(T) == .optional) {
        return try duplicate(@typeInfo(T).optional.child, cx, x orelse return null, where);
    }
    const E = @typeInfo(T).pointer.child;
    if (x.len == 0) return x;
    const out = try allocElements(E, cx, x.len, where);
    @memcpy(out, x);
    return out;
}

/// A typed array's memory (`data`, `len` elements, from `v`) as the slice
/// `T`: borrowed, or copied when `cx.copy` is set or the view is misaligned
/// (external buffers). A copied mutable slice is written back to `v` when
/// the call returns, if `cx.copy_back`.
pub fn view(comptime T: type, cx: *Ctx, v: Value, data: ?*anyopaque, len: usize, comptime where: []const u8) Error!T {
    const E = types.elementOf(T);
    if (len == 0 or data == null) return empty(E);
    const misaligned = @intFromPtr(data.?) % @alignOf(E) != 0;
    if (cx.copy or misaligned) {
        const unaligned: [*]align(1) const E = @ptrCast(data.?);
        const out = try allocElements(E, cx, len, where);
        for (out, 0..) |*slot, i| slot.* = unaligned[i];
        if (comptime types.isMutableSlice(T)) {
            if (cx.copy_back) try cx.addWriteBack(v, std.mem.sliceAsBytes(out), out.len, where);
        }
        return out;
    }
    cx.borrowed = true;
    const ptr: [*]E = @ptrCast(@alignCast(data.?));
    return ptr[0..len];
}

/// A mutable slice argument (`[]T` or `?[]T`, last read from the typed array
/// `v`) taken again: borrowed anew after JS ran, or copied (see `view`).
fn reborrow(comptime T: type, cx: *Ctx, v: Value, comptime where: []const u8) Error!T {
    const Slice = if (@typeInfo(T) == .optional) @typeInfo(T).optional.child else T;
    var len: usize = 0;
    var data: ?*anyopaque = null;
    try check(cx.env, napi.napi_get_typedarray_info(cx.env, v, null, &len, &data, null, null));
    return try view(Slice, cx, v, data, len, where);
}

pub fn empty(comptime E: type) []E {
    const S = struct {
        var none: [0]E = .{};
    };
    return &S.none;
}

/// The borrow plan of a signature, at comptime: `params` are its parameter
/// types, `read_whole[i]` tells that parameter `i` is converted whole by
/// `from_js.read` (function.zig), `js_index[i]` its index among the JS
/// arguments, `callbacks` that JS runs during the call.
pub fn Plan(comptime params: []const ?type, comptime read_whole: []const bool, comptime js_index: []const usize, comptime callbacks: bool) type {
    return struct {
        /// Reading parameter `i` can run JS (getters, proxies: `types.runsJs`).
        pub fn runsJs(comptime i: usize) bool {
            return read_whole[i] and types.runsJs(params[i].?);
        }

        /// Parameters borrowed directly that JS may run after: a later
        /// parameter that can run JS, or a callback.
        pub const tracked = blk: {
            var t: [params.len]bool = @splat(false);
            for (params, 0..) |P, i| {
                if (!read_whole[i] or !types.borrowsDirectly(P.?)) continue;
                if (callbacks) t[i] = true;
                for (i + 1..params.len) |j| {
                    if (runsJs(j)) t[i] = true;
                }
            }
            break :blk t;
        };

        pub const any_tracked = trackedBefore(params.len);

        /// Whether a parameter before `i` is tracked: it may hold a borrow when reading `i` runs JS.
        pub fn trackedBefore(comptime i: usize) bool {
            for (0..i) |k| {
                if (tracked[k]) return true;
            }
            return false;
        }

        /// The per-call tracker; `label` is "name()".
        pub fn Tracker(comptime label: []const u8) type {
            const wheres = comptime blk: {
                var w: [params.len][]const u8 = undefined;
                for (0..params.len) |i| w[i] = call.argumentWhere(label, js_index[i] + 1);
                const final = w;
                break :blk &final;
            };
            return TrackerOf(params, &tracked, js_index, wheres, callbacks);
        }
    };
}

/// Which tracked parameters hold JS memory during one call, so that readArgs
/// (function.zig) can copy them or borrow them again before JS runs.
fn TrackerOf(
    comptime params: []const ?type,
    comptime tracked: []const bool,
    comptime js_index: []const usize,
    comptime wheres: []const []const u8,
    comptime callbacks: bool,
) type {
    return struct {
        const Self = @This();
        /// Parameter `i` currently borrows JS memory.
        held: [params.len]bool = @splat(false),
        /// A mutable borrow JS may have detached since: to be borrowed again.
        stale: [params.len]bool = @splat(false),

        pub inline fn startRead(_: *Self, comptime i: usize, cx: *Ctx) void {
            if (comptime tracked[i]) cx.borrowed = false;
        }

        pub inline fn endRead(t: *Self, comptime i: usize, cx: *Ctx) void {
            if (comptime tracked[i]) t.held[i] = cx.borrowed;
        }

        /// JS may run while parameter `i` is read: read-only borrows made so
        /// far are copied now (they keep the value they had when read);
        /// mutable ones are borrowed again at the end (`settle`).
        pub inline fn beforeJs(t: *Self, comptime i: usize, cx: *Ctx, args: anytype) Error!void {
            inline for (0..i) |k| {
                if (comptime tracked[k]) {
                    if (t.held[k]) {
                        if (comptime types.isMutableBorrow(params[k].?)) {
                            t.stale[k] = true;
                        } else {
                            args[k] = try duplicate(params[k].?, cx, args[k], wheres[k]);
                            t.held[k] = false;
                        }
                    }
                }
            }
        }

        /// After the last argument. With callbacks JS runs during the call, so
        /// every borrow left is copied (mutable ones written back when the call
        /// returns); without, stale mutable borrows are borrowed again.
        pub inline fn settle(t: *Self, cx: *Ctx, args: anytype, argv: []const Value) Error!void {
            inline for (params, 0..) |P, k| {
                if (comptime tracked[k]) {
                    if (callbacks and t.held[k]) {
                        if (comptime types.isMutableBorrow(P.?)) {
                            const was = cx.copy;
                            cx.copy = true;
                            defer cx.copy = was;
                            args[k] = try reborrow(P.?, cx, argv[js_index[k]], wheres[k]);
                        } else {
                            args[k] = try duplicate(P.?, cx, args[k], wheres[k]);
                        }
                    } else if (t.stale[k]) {
                        args[k] = try reborrow(P.?, cx, argv[js_index[k]], wheres[k]);
                    }
                }
            }
        }
    };
}

/// Elements a plain JS array may have to be copied: V8 stores no dense array
/// longer than about 2^27 elements, so a longer one is sparse (mostly holes)
/// and copying it would reserve up to 2^32 elements for nothing.
pub const max_array_length = 1 << 27;

/// Per-call memory for `n` elements copied from an argument; running out is a
/// RangeError naming the argument (not a bare ENOMEM).
pub fn allocElements(comptime E: type, cx: *Ctx, n: usize, comptime where: []const u8) Error![]E {
    return (try cx.allocSliceOrNull(E, n)) orelse outOfMemory(cx.env, where, n, " elements");
}

/// The same for the elements of a plain JS array, whose length is first
/// checked against `max_array_length`. `typed`: the parameter also takes a
/// typed array (the error says so).
pub fn allocArrayElements(comptime E: type, cx: *Ctx, n: usize, comptime where: []const u8, comptime typed: bool) Error![]E {
    if (n > max_array_length) return tooLong(cx.env, where, n, if (typed) "; pass a typed array" else "");
    return allocElements(E, cx, n, where);
}

/// `n` bytes for a string argument: the stack scratch when they fit, else the arena.
pub fn copyBuffer(cx: *Ctx, n: usize, comptime where: []const u8) Error![]u8 {
    if (n <= cx.stack.len) return cx.alloc(n);
    return (try cx.allocSliceOrNull(u8, n)) orelse outOfMemory(cx.env, where, n - 1, " bytes");
}

fn tooLong(env: Env, comptime where: []const u8, n: usize, comptime hint: []const u8) Error {
    @branchHint(.cold);
    var buf: [20]u8 = undefined;
    const limit = comptime std.fmt.comptimePrint("{d}", .{max_array_length});
    return napi.throwRange(env, &.{ where ++ ": array length ", std.fmt.bufPrint(&buf, "{d}", .{n}) catch unreachable, " is too large (a plain array is copied " ++
        "element by element, at most " ++ limit ++ " elements" ++ hint ++ ")" });
}

fn outOfMemory(env: Env, comptime where: []const u8, n: usize, comptime unit: []const u8) Error {
    @branchHint(.cold);
    var buf: [20]u8 = undefined;
    return napi.throwParts(env, .range, "ZIGIMPORT_OUT_OF_MEMORY", &.{ where ++ ": out of memory copying ", std.fmt.bufPrint(&buf, "{d}", .{n}) catch unreachable, unit });
}

test max_array_length {
    // Far below 2^32 - 1 (the longest JS array), at or above V8's dense limit.
    try std.testing.expect(max_array_length < std.math.maxInt(u32) and max_array_length >= 134_217_725);
}

test Plan {
    const all = [_]bool{ true, true, true };
    const idx = [_]usize{ 0, 1, 2 };
    const Point = struct { x: f64 };
    // Nothing can run JS: nothing is tracked (zero-copy, no extra work).
    const sum = Plan(&.{[]const f64}, all[0..1], idx[0..1], false);
    try std.testing.expect(!sum.any_tracked);
    const fill = Plan(&.{ []f64, f64 }, all[0..2], idx[0..2], false);
    try std.testing.expect(!fill.any_tracked);
    const two_strings = Plan(&.{ []const u8, []const u8 }, all[0..2], idx[0..2], false);
    try std.testing.expect(!two_strings.any_tracked);
    // A later parameter can run JS (an object; a plain array for []const f64).
    const join = Plan(&.{ []const u8, Point }, all[0..2], idx[0..2], false);
    try std.testing.expect(join.tracked[0] and join.runsJs(1) and join.trackedBefore(1));
    const dot = Plan(&.{ []const f64, []const f64 }, all[0..2], idx[0..2], false);
    try std.testing.expect(dot.tracked[0] and !dot.tracked[1]);
    // A callback: every direct borrow is tracked, an object is not (its contents are copied).
    const map = Plan(&.{ []f64, ?[]const u8, Point }, &all, &idx, true);
    try std.testing.expect(map.tracked[0] and map.tracked[1] and !map.tracked[2]);
}
