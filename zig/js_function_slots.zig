//! The state behind each kept JS function (js_function.zig): a slot holding its Node-API
//! thread-safe function and a reference to the function, shared by every copy of the Zig
//! handle. Slots are never freed, only reused, and a handle names its slot and the slot's
//! generation: a handle whose generation no longer matches (released, or its JS environment
//! shut down) is refused instead of touching freed memory. One lock guards every slot; it is
//! never held while JavaScript runs.

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const tsfn = @import("napi_threadsafe.zig");

pub const State = enum(u8) { free, open, released };

pub const Slot = struct {
    generation: u32 = 0,
    state: State = .free,
    tsfn: ?tsfn.Tsfn = null,
    /// Strong reference to the function, for direct calls on its JS thread.
    ref: ?napi.Ref = null,
    env: ?napi.Env = null,
    js_thread: u64 = 0,
    next_free: ?*Slot = null,
};

/// A copyable handle: the slot and the generation it was made in.
pub const Handle = struct {
    slot: *Slot,
    generation: u32,
};

/// Slots are allocated this many at a time and never returned to the system.
const chunk_len = 64;

var lock_word = std.atomic.Value(u32).init(0);
var free_list: ?*Slot = null;

pub fn lock() void {
    while (lock_word.cmpxchgWeak(0, 1, .acquire, .monotonic) != null) std.atomic.spinLoopHint();
}
pub fn unlock() void {
    lock_word.store(0, .release);
}

fn takeSlot() ?*Slot {
    lock();
    defer unlock();
    if (free_list == null) {
        const chunk = std.heap.page_allocator.alloc(Slot, chunk_len) catch return null;
        for (chunk) |*s| {
            s.* = .{ .next_free = free_list };
            free_list = s;
        }
    }
    const s = free_list.?;
    free_list = s.next_free;
    s.next_free = null;
    return s;
}

/// The open slot behind `h`, or null (released, environment gone). Call with the lock held.
pub fn openSlot(h: Handle) ?*Slot {
    if (h.slot.generation != h.generation or h.slot.state != .open) return null;
    return h.slot;
}

/// Makes the thread-safe function for `func` (on its JS thread, during a call). `call_js`
/// runs queued calls. The function keeps Node running until released (like a timer).
pub fn open(env: napi.Env, func: napi.Value, call_js: tsfn.CallJs) napi.Error!Handle {
    const slot = takeSlot() orelse return napi.throwParts(env, .plain, "ZIGIMPORT_OUT_OF_MEMORY", &.{"zigimport: out of memory"});
    errdefer giveBack(slot);
    var name: napi.Value = undefined;
    try napi.check(env, napi.napi_create_string_utf8(env, "zigimport.JsFunction", 20, &name));
    var ref: napi.Ref = undefined;
    try napi.check(env, napi.napi_create_reference(env, func, 1, &ref));
    errdefer _ = napi.napi_delete_reference(env, ref);
    var handle: tsfn.Tsfn = undefined;
    try napi.check(env, tsfn.napi_create_threadsafe_function(env, func, null, name, 0, 1, slot, &finalize, slot, call_js, &handle));
    lock();
    defer unlock();
    slot.* = .{
        .generation = slot.generation,
        .state = .open,
        .tsfn = handle,
        .ref = ref,
        .env = env,
        .js_thread = compat.threadId(),
    };
    return .{ .slot = slot, .generation = slot.generation };
}

/// Lets the function go (any thread, any number of times). Calls already queued still run.
pub fn release(h: Handle) void {
    lock();
    const slot = openSlot(h) orelse {
        unlock();
        return;
    };
    slot.state = .released;
    const handle = slot.tsfn.?;
    unlock();
    _ = tsfn.napi_release_threadsafe_function(handle, .release);
}

/// Whether the running thread is the function's JS thread (then it may be called directly).
pub fn onJsThread(h: Handle) bool {
    lock();
    defer unlock();
    const slot = openSlot(h) orelse return false;
    return slot.js_thread == compat.threadId();
}

/// Node finalizes the thread-safe function after the last release or when the environment
/// shuts down (on the JS thread): the slot is freed and every handle to it goes stale.
fn finalize(env: napi.Env, data: ?*anyopaque, _: ?*anyopaque) callconv(.c) void {
    const slot: *Slot = @ptrCast(@alignCast(data.?));
    lock();
    const ref = slot.ref;
    slot.ref = null;
    unlock();
    if (ref) |r| _ = napi.napi_delete_reference(env, r);
    giveBack(slot);
}

fn giveBack(slot: *Slot) void {
    lock();
    defer unlock();
    slot.* = .{ .generation = slot.generation +% 1, .next_free = free_list };
    free_list = slot;
}

test "a stale handle is refused" {
    const slot = takeSlot().?;
    const h = Handle{ .slot = slot, .generation = slot.generation };
    slot.state = .open;
    lock();
    try std.testing.expect(openSlot(h) != null);
    unlock();
    giveBack(slot);
    lock();
    defer unlock();
    try std.testing.expect(openSlot(h) == null);
}
