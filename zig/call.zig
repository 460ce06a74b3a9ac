//! Per-call memory: a small stack buffer for argument strings plus an arena
//! for long strings and for the `std.mem.Allocator` injected into user
//! functions. The arena is reset (keeping a little capacity) when the
//! outermost call returns, so whatever the user function allocated for its
//! result is freed once the result has been copied to JS.
//!
//! The arena lives in Node-API instance data, one per JS environment (main
//! thread and each worker), rather than in a `threadlocal`: Zig 0.15's x86_64
//! Debug backend miscompiles thread-local access in shared objects (a register
//! is clobbered by `__tls_get_addr`). A depth counter keeps a nested call (a JS
//! getter invoked while reading arguments that itself calls into the addon)
//! from resetting memory the outer call still uses.
//!
//! `Ctx` also carries what borrow.zig decides about memory borrowed from
//! typed arrays: whether to copy it, and the copies to write back.

const std = @import("std");
const napi = @import("napi.zig");
const class_list = @import("class_list.zig");

/// `"add(): argument 1"`: the `where` of JS argument `number` (1-based) of the function or
/// method `label` in error messages. Call it as `comptime argumentWhere(...)`: the text is a
/// comptime prefix.
pub fn argumentWhere(comptime label: []const u8, comptime number: usize) []const u8 {
    return std.fmt.comptimePrint("{s}: argument {d}", .{ label, number });
}

/// Bytes of stack reserved per call for argument strings when a signature
/// takes strings; longer strings spill into the arena.
pub const stack_scratch_size = 512;

/// Capacity kept by the arena between calls, so steady-state calls that
/// allocate a little do not go back to the OS each time.
const retained_bytes = 64 * 1024;

pub const State = struct {
    arena: std.heap.ArenaAllocator,
    depth: u32 = 0,
    /// Constructors of the exported classes (class_builder.zig), by class index.
    ctors: [class_list.list.len]?napi.Ref = @splat(null),
    /// A native object a class constructor is asked to adopt (instance.wrapNew).
    adopt: ?*anyopaque = null,
    /// Struct pointers being converted, one inside another (pointer.zig): bounds a
    /// recursive structure, so a cycle is an error instead of a stack overflow.
    pointer_depth: u32 = 0,
};

/// This environment's state, created on first use and freed by Node when
/// the environment shuts down.
pub fn state(env: napi.Env) napi.Error!*State {
    var data: ?*anyopaque = null;
    try napi.check(env, napi.napi_get_instance_data(env, &data));
    if (data) |p| return @ptrCast(@alignCast(p));
    const s = std.heap.page_allocator.create(State) catch return outOfMemory(env);
    s.* = .{ .arena = std.heap.ArenaAllocator.init(std.heap.page_allocator) };
    napi.check(env, napi.napi_set_instance_data(env, s, &release, null)) catch |err| {
        std.heap.page_allocator.destroy(s);
        return err;
    };
    return s;
}

fn release(_: napi.Env, data: ?*anyopaque, _: ?*anyopaque) callconv(.c) void {
    const s: *State = @ptrCast(@alignCast(data orelse return));
    s.arena.deinit();
    std.heap.page_allocator.destroy(s);
}

/// Marks the start of a call that may use the arena.
pub fn enter(env: napi.Env) napi.Error!*State {
    const s = try state(env);
    s.depth += 1;
    return s;
}

/// Marks its end; the outermost call frees what the arena handed out.
pub fn leave(s: *State) void {
    s.depth -= 1;
    if (s.depth == 0) _ = s.arena.reset(.{ .retain_with_limit = retained_bytes });
}

/// A class instance whose memory the running call borrows (a `*C` argument): while pinned,
/// `dispose()` (say, from a callback) is refused instead of freeing memory in use.
pub const Pin = struct {
    busy: *u32,
    next: ?*Pin,
};

/// Conversion context handed to every `from_js` reader.
pub const Ctx = struct {
    env: napi.Env,
    /// Unused part of the caller's stack scratch buffer (may be empty).
    stack: []u8 = &.{},
    /// Per-environment state, entered on first use (see `finish`).
    state: ?*State = null,
    /// Async calls: the job's own arena, used instead of the per-call one.
    arena: ?*std.heap.ArenaAllocator = null,
    /// Copy what would otherwise be borrowed from JS (typed arrays,
    /// Uint8Arrays): set for async calls (the work runs after the call
    /// returns) and while reading objects, arrays and callback results, where
    /// JS code (getters, proxies, the callback again) can run after the borrow
    /// and detach or refill the memory.
    copy: bool = false,
    /// Whether a copied mutable slice (`[]T`) is written back to its typed
    /// array when the call returns (`writeBack`). Off where the JS value's
    /// handle does not live that long (async calls, callback results).
    copy_back: bool = true,
    /// Set by a reader that handed out memory owned by JS (function.zig
    /// tracks it per parameter).
    borrowed: bool = false,
    /// Copied mutable slices to write back, in reading order.
    write_backs: ?*WriteBack = null,
    last_write_back: ?*WriteBack = null,
    /// Class instances borrowed by this call, released by `finish`.
    pins: ?*Pin = null,
    /// The Zig memory of a numeric slice result to remember for a free function (owned.zig).
    zig_result: ?[]const u8 = null,
    /// The `*S` result points outside the call's arguments: returned as a live view (view.zig).
    view_result: bool = false,
    /// JS functions read for callback fields of struct arguments (callback_param.zig).
    held_callbacks: ?*HeldCallback = null,

    /// Removes the callbacks of struct arguments from their adapters (the call has returned);
    /// true when one of them threw, so the call rethrows.
    pub fn releaseCallbacks(cx: *Ctx) bool {
        var failed = false;
        var node = cx.held_callbacks;
        while (node) |h| : (node = h.next) {
            failed = failed or h.failed.*;
            h.pop_fn(h.frame);
        }
        cx.held_callbacks = null;
        return failed;
    }

    /// Marks an object busy until the call ends (see `Pin`).
    pub fn pin(cx: *Ctx, busy: *u32) napi.Error!void {
        const node = &(try cx.allocSlice(Pin, 1))[0];
        node.* = .{ .busy = busy, .next = cx.pins };
        busy.* += 1;
        cx.pins = node;
    }

    /// Remembers that `copy` must be written back to the typed array `value` when the call returns.
    pub fn addWriteBack(cx: *Ctx, value: napi.Value, copy: []const u8, elements: usize, where: []const u8) napi.Error!void {
        try cx.addWriteBackWith(value, copy, elements, where, null);
    }

    /// The same, written by `apply_fn` (write_back.zig: object fields, array elements).
    pub fn addWriteBackWith(cx: *Ctx, value: napi.Value, copy: []const u8, elements: usize, where: []const u8, apply_fn: ?ApplyFn) napi.Error!void {
        const node = &(try cx.allocSlice(WriteBack, 1))[0];
        node.* = .{ .value = value, .bytes = copy, .elements = elements, .where = where, .apply_fn = apply_fn };
        if (cx.last_write_back) |last| last.next = node else cx.write_backs = node;
        cx.last_write_back = node;
    }

    /// Copies every copied mutable slice back into its typed array. One that was detached or
    /// shrank while the call ran is skipped and reported as a TypeError naming the argument
    /// (the others are still written).
    pub fn writeBack(cx: *Ctx) napi.Error!void {
        var failed = false;
        var node = cx.write_backs;
        while (node) |wb| : (node = wb.next) {
            wb.apply(cx.env) catch {
                failed = true;
            };
        }
        cx.write_backs = null;
        cx.last_write_back = null;
        if (failed) return error.JsException;
    }

    /// The allocator whose memory lives until the call ends.
    pub fn allocator(cx: *Ctx) napi.Error!std.mem.Allocator {
        if (cx.arena) |a| return a.allocator();
        if (cx.state == null) cx.state = try enter(cx.env);
        return cx.state.?.arena.allocator();
    }

    /// `n` bytes that live until the call ends: from the stack scratch when
    /// they fit, else from the arena.
    pub fn alloc(cx: *Ctx, n: usize) napi.Error![]u8 {
        if (n <= cx.stack.len) {
            const out = cx.stack[0..n];
            cx.stack = cx.stack[n..];
            return out;
        }
        return cx.allocSlice(u8, n);
    }

    pub fn allocSlice(cx: *Ctx, comptime E: type, n: usize) napi.Error![]E {
        return (try cx.allocSliceOrNull(E, n)) orelse outOfMemory(cx.env);
    }

    /// Like `allocSlice`, but null when memory runs out, for callers that name what was too large.
    pub fn allocSliceOrNull(cx: *Ctx, comptime E: type, n: usize) napi.Error!?[]E {
        const a = try cx.allocator();
        return a.alloc(E, n) catch null;
    }

    /// Ends the call: releases pinned objects, then the outermost call frees the per-call memory.
    /// Inline, so that a call that pinned nothing and never entered the arena (every scalar
    /// signature) pays two compares, not an out-of-line call (25 instructions per call).
    pub inline fn finish(cx: *Ctx) void {
        if (cx.pins == null and cx.state == null) return;
        cx.endCall();
    }

    fn endCall(cx: *Ctx) void {
        var p = cx.pins;
        while (p) |node| : (p = node.next) node.busy.* -= 1;
        cx.pins = null;
        if (cx.state) |s| leave(s);
        cx.state = null;
    }
};

/// A callback frame (callback.zig) pushed while reading a struct argument's function field;
/// `pop_fn` removes it from its adapter's list.
pub const HeldCallback = struct {
    frame: *anyopaque,
    failed: *const bool,
    pop_fn: *const fn (*anyopaque) void,
    next: ?*HeldCallback = null,
};

/// Writes a copy back into the JS value it was read from (write_back.zig).
pub const ApplyFn = *const fn (napi.Env, napi.Value, []const u8) napi.Error!void;

/// A copied mutable slice and the typed array it was copied from (see `Ctx.writeBack`).
pub const WriteBack = struct {
    value: napi.Value,
    bytes: []const u8,
    elements: usize,
    /// "fill(): argument 1" (comptime text, static).
    where: []const u8,
    /// Writes `bytes` into a plain object or array instead of a typed array.
    apply_fn: ?ApplyFn = null,
    next: ?*WriteBack = null,

    fn apply(wb: *const WriteBack, env: napi.Env) napi.Error!void {
        if (wb.apply_fn) |f| return f(env, wb.value, wb.bytes);
        if (wb.elements == 0) return;
        var len: usize = 0;
        var data: ?*anyopaque = null;
        var buffer: napi.Value = undefined;
        try napi.check(env, napi.napi_get_typedarray_info(env, wb.value, null, &len, &data, &buffer, null));
        var detached = false;
        try napi.check(env, napi.napi_is_detached_arraybuffer(env, buffer, &detached));
        if (detached or data == null) {
            return napi.throwType(env, &.{ wb.where, ": its ArrayBuffer was detached during the call, so the function's writes were dropped" });
        }
        if (len < wb.elements) {
            var b1: [20]u8 = undefined;
            var b2: [20]u8 = undefined;
            return napi.throwType(env, &.{ wb.where, ": its typed array shrank from ", std.fmt.bufPrint(&b1, "{d}", .{wb.elements}) catch unreachable, " to ", std.fmt.bufPrint(&b2, "{d}", .{len}) catch unreachable, " elements during the call, so the function's writes were dropped" });
        }
        @memcpy(@as([*]u8, @ptrCast(data.?))[0..wb.bytes.len], wb.bytes);
    }
};

pub fn outOfMemory(env: napi.Env) napi.Error {
    @branchHint(.cold);
    return napi.throwParts(env, .plain, "ZIGIMPORT_OUT_OF_MEMORY", &.{"zigimport: out of memory"});
}
