//! The shape of a supported signature, computed once at comptime: which parameters come from
//! JS and at which argument index, which are injected (an Allocator) or filled from another
//! (a many-item pointer's length), the callbacks, the kwargs form, and what the call must
//! track (borrows, write-backs, owned results, live views). function.zig and arguments.zig
//! read it.

const std = @import("std");
const compat = @import("compat.zig");
const types = @import("types.zig");
const from_js = @import("from_js.zig");
const callback_param = @import("callback_param.zig");
const borrow = @import("borrow.zig");
const owned = @import("owned.zig");
const view = @import("view.zig");
const pointer = @import("pointer.zig");

/// The function type behind `func` in `callWith`: a function, or a pointer to one (a function
/// value, function_value.zig).
pub fn FnOf(comptime T: type) type {
    return if (@typeInfo(T) == .pointer) @typeInfo(T).pointer.child else T;
}

/// Shape of a supported signature (a function type, or a pointer to one), computed once at
/// comptime. The first `skip` parameters are not read from JS.
pub fn Shape(comptime FnOrPointer: type, comptime skip: usize) type {
    const F = FnOf(FnOrPointer);
    return struct {
        pub const params = compat.fnParamTypes(F);
        pub const R = compat.fnReturnType(F).?;
        pub const Payload = compat.payloadOf(R);
        fn fromJs(comptime i: usize) bool {
            return i >= skip and !types.isAllocator(params[i].?) and !pointer.isLength(params, i);
        }
        /// The slice JS passes for parameter `i` when it is a many-item pointer with a length after it.
        pub fn manySlice(comptime i: usize) ?type {
            return if (i >= skip and pointer.hasLength(params, i)) pointer.ManySlice(params[i].?).? else null;
        }
        /// Whether JS can run after parameter `i` is read (a later parameter, or a callback):
        /// then a many-item pointer's array is copied (and written back for `[*]T`).
        pub fn jsRunsAfter(comptime i: usize) bool {
            if (callbacks > 0) return true;
            for (i + 1..params.len) |j| if (fromJs(j) and types.runsJs(params[j].?)) return true;
            return false;
        }
        /// Number of parameters passed from JS (allocators are injected).
        pub const js_count = blk: {
            var n = 0;
            for (params, 0..) |_, i| {
                if (fromJs(i)) n += 1;
            }
            break :blk n;
        };
        /// JS argument index of each parameter (others: unused).
        pub const js_index = blk: {
            var idx: [params.len]usize = undefined;
            var n = 0;
            for (params, 0..) |_, i| {
                idx[i] = n;
                if (fromJs(i)) n += 1;
            }
            break :blk idx;
        };
        /// The JS-visible parameter types, for the descriptor.
        pub const js_params = blk: {
            var out: []const type = &.{};
            for (params, 0..) |P, i| {
                if (fromJs(i)) out = out ++ &[_]type{manySlice(i) orelse P.?};
            }
            break :blk out;
        };
        /// Index of the only JS parameter when it is a struct with fields:
        /// such functions also accept their fields as positional arguments.
        pub const kwargs: ?usize = blk: {
            if (js_count != 1) break :blk null;
            for (params, 0..) |P, i| {
                if (!fromJs(i)) continue;
                // A struct with callback fields (an options object) is always passed as an object.
                if (types.kind(P.?) == .@"struct" and compat.structFieldNames(P.?).len > 0 and !callback_param.hasCallbackFields(P.?)) break :blk i;
            }
            break :blk null;
        };
        /// Fewest and most JS arguments accepted.
        pub const min_args = if (kwargs) |k| requiredFields(params[k].?) else js_count;
        pub const max_args = if (kwargs) |k| compat.structFieldNames(params[k].?).len else js_count;
        pub const uses_memory = blk: {
            for (params, 0..) |P, i| {
                if (i >= skip and (types.isAllocator(P.?) or from_js.needsMemory(P.?))) break :blk true;
            }
            break :blk false;
        };
        pub const injects_allocator = blk: {
            for (params) |P| {
                if (types.isAllocator(P.?)) break :blk true;
            }
            break :blk false;
        };
        /// Callback parameters (optional ones included), called by Zig during the call.
        pub const direct_callbacks = blk: {
            var n = 0;
            for (params, 0..) |P, i| {
                if (i >= skip and callback_param.isCallback(P.?)) n += 1;
            }
            break :blk n;
        };
        /// Struct parameters with callback fields (callback_param.readStruct).
        pub const field_callbacks = blk: {
            for (params, 0..) |P, i| {
                if (i >= skip and callback_param.hasCallbackFields(P.?)) break :blk true;
            }
            break :blk false;
        };
        /// Whether JS can run during the call through a callback.
        pub const callbacks = direct_callbacks + @intFromBool(field_callbacks);
        /// Parameters converted whole by `from_js.read` (not filled by the caller, injected,
        /// callbacks, or a kwargs struct, whose fields may come one per argument).
        const read_whole = blk: {
            var r: [params.len]bool = @splat(false);
            for (params, 0..) |P, i| r[i] = fromJs(i) and kwargs == null and !callback_param.isCallback(P.?);
            break :blk r;
        };
        /// Which borrowed parameters must be copied or borrowed again (borrow.zig).
        pub const borrows = borrow.Plan(params, &read_whole, &js_index, callbacks > 0);
        /// A numeric slice result that may be Zig's own memory, remembered for a free function (owned.zig).
        pub const tracks_result = owned.tracksResult(R, injects_allocator);
        /// A `*S` result that may be a live view of Zig memory (view.zig).
        pub const View = view.ViewOf(R, injects_allocator);
        /// Some parameter can hold a copy of a mutable slice to write back (`call.Ctx.writeBack`).
        pub const may_write_back = blk: {
            for (params, 0..) |P, i| {
                // Objects and arrays can hold `*T` struct pointers and `[]Struct` slices (write_back.zig).
                if (fromJs(i) and !callback_param.isCallback(P.?) and (types.borrows(P.?) or types.runsJs(P.?) or manySlice(i) != null)) break :blk true;
            }
            break :blk false;
        };
    };
}

/// Positional arguments needed before every remaining field may be omitted
/// (it has a default or is optional).
fn requiredFields(comptime S: type) usize {
    var n: usize = 0;
    for (compat.structFieldTypes(S), 0..) |F, i| {
        if (!compat.fieldHasDefault(S, i) and @typeInfo(F) != .optional) n = i + 1;
    }
    return n;
}

test requiredFields {
    const A = struct { a: u8, b: u8 = 1, c: ?u8 };
    try std.testing.expectEqual(@as(usize, 1), comptime requiredFields(A));
    const B = struct { a: u8 = 0, b: u8 };
    try std.testing.expectEqual(@as(usize, 2), comptime requiredFields(B));
}
