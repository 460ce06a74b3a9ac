//! Instances of the exported classes (which structs: class_list.zig): the heap "box" holding
//! the Zig value, attached to its JS object with `napi_wrap` and type-tagged, so a method called
//! on a foreign object is a TypeError and never a reinterpretation of someone else's memory.
//!
//! The conversions (from_js, to_js) reach instances only through this file, never through the
//! class builder (class_builder.zig), which defines the constructors and prototypes.
//!
//! Lifetime: `deinit` runs once, either from an explicit `dispose()` / `[Symbol.dispose]()` or
//! from the GC finalizer. A disposed instance keeps its (dead) box until it is collected, so
//! using it throws an Error (`code` ZIGIMPORT_DISPOSED) instead of touching freed memory.
//! Disposing while one of the object's methods runs (from a callback) is refused for the same
//! reason.

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const class_list = @import("class_list.zig");
const call = @import("call.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// The long-lived allocator behind boxes and `init`/`deinit`: libc's malloc where the build
/// links libc (Debug and ReleaseSafe builds do, for panic traces), else Zig's thread-safe
/// general-purpose allocator (release builds use LLVM, which compiles its thread-locals right;
/// 0.15's self-hosted Debug backend does not, see call.zig). Never a whole page per object.
pub const gpa = if (@import("builtin").link_libc)
    std.heap.c_allocator
else if (@import("builtin").cpu.arch.isWasm())
    std.heap.wasm_allocator // one thread, no mmap (WebAssembly builds, zig/wasm.zig)
else if (compat.debug)
    std.heap.page_allocator
else
    std.heap.smp_allocator;

pub fn Box(comptime C: type) type {
    return struct {
        value: C,
        alive: bool = true,
        /// Calls currently using this object (its methods, and functions given it as `*C`).
        busy: u32 = 0,
    };
}

fn tagOf(comptime C: type) napi.TypeTag {
    const S = struct {
        var marker: u8 = 0;
    };
    // The address makes tags differ between addons (and reloads) that
    // happen to declare a struct of the same name.
    return .{ .lower = comptime std.hash.Fnv1a_64.hash(@typeName(C)), .upper = @intFromPtr(&S.marker) };
}

/// A box owning `value`; when there is no memory for it, `value` is released and the JS
/// error is a RangeError.
pub fn create(comptime C: type, env: Env, value: C) Error!*Box(C) {
    const box = gpa.create(Box(C)) catch {
        var copy = value;
        release(C, &copy);
        return call.outOfMemory(env);
    };
    box.* = .{ .value = value };
    return box;
}

/// Tags `this` as a `C` instance and attaches `box` to it. On failure the box is freed.
pub fn attach(comptime C: type, env: Env, this: Value, box: *Box(C)) Error!void {
    const tag = tagOf(C);
    napi.check(env, napi.napi_type_tag_object(env, this, &tag)) catch |err| {
        Finalizer(C).finalize(env, box, null);
        return err;
    };
    napi.check(env, napi.napi_wrap(env, this, box, &Finalizer(C).finalize, null, null)) catch |err| {
        Finalizer(C).finalize(env, box, null);
        return err;
    };
}

fn Finalizer(comptime C: type) type {
    return struct {
        fn finalize(_: Env, data: ?*anyopaque, _: ?*anyopaque) callconv(.c) void {
            const box: *Box(C) = @ptrCast(@alignCast(data orelse return));
            if (box.alive) release(C, &box.value);
            gpa.destroy(box);
        }
    };
}

/// Whether `v` is an object tagged as a `C` instance (disposed or not).
pub fn isInstance(comptime C: type, env: Env, v: Value) Error!bool {
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    if (t != .object) return false;
    const tag = tagOf(C);
    var ok = false;
    try check(env, napi.napi_check_object_type_tag(env, v, &tag, &ok));
    return ok;
}

/// The box behind `v`, checked: an instance of `C` that is not disposed.
pub fn boxOf(comptime C: type, env: Env, v: Value, comptime where: []const u8) Error!*Box(C) {
    const what = comptime "a " ++ class_list.exportName(C) ++ " instance";
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    if (t != .object) return napi.throwWrongType(env, v, where, what);
    const tag = tagOf(C);
    var ok = false;
    try check(env, napi.napi_check_object_type_tag(env, v, &tag, &ok));
    if (!ok) return napi.throwWrongType(env, v, where, what);
    var data: ?*anyopaque = null;
    try check(env, napi.napi_unwrap(env, v, &data));
    const box: *Box(C) = @ptrCast(@alignCast(data orelse return napi.throwWrongType(env, v, where, what)));
    if (!box.alive) return disposed(env, comptime class_list.exportName(C), where);
    return box;
}

fn disposed(env: Env, comptime name: []const u8, comptime where: []const u8) Error {
    @branchHint(.cold);
    return napi.throwParts(env, .plain, "ZIGIMPORT_DISPOSED", &.{where ++ ": the " ++ name ++ " object has been disposed"});
}

/// A class instance argument: the Zig value inside the object behind `v` (not a copy). With
/// `pin`, the running call borrows it: it cannot be disposed until the call ends
/// (`call.Ctx.finish`).
pub fn unwrap(comptime C: type, cx: *call.Ctx, v: Value, comptime where: []const u8, comptime pin: bool) Error!*C {
    const box = try boxOf(C, cx.env, v, where);
    if (pin) try cx.pin(&box.busy);
    return &box.value;
}

/// A new JS instance owning `value` (a class returned by value): the registered constructor
/// adopts the box (class_builder.zig).
pub fn wrapNew(comptime C: type, env: Env, value: C) Error!Value {
    const st = try call.state(env);
    const ref = st.ctors[comptime class_list.index(C).?] orelse
        return napi.throwParts(env, .plain, "ZIGIMPORT_NAPI", &.{comptime "zigimport: class " ++ class_list.exportName(C) ++ " is not registered"});
    const box = try create(C, env, value);
    var ctor: Value = undefined;
    var out: Value = undefined;
    st.adopt = box;
    defer if (st.adopt != null) {
        // The constructor did not take it.
        st.adopt = null;
        release(C, &box.value);
        gpa.destroy(box);
    };
    try check(env, napi.napi_get_reference_value(env, ref, &ctor));
    try check(env, napi.napi_new_instance(env, ctor, 0, null, &out));
    return out;
}

/// `this.dispose()`: runs `deinit` once. Disposing twice is a no-op; disposing while a call
/// uses the object is an Error (`code` ZIGIMPORT_BUSY).
pub fn dispose(comptime C: type, env: Env, this: Value, comptime label: []const u8) Error!void {
    {
        var ok = false;
        const tag = tagOf(C);
        try check(env, napi.napi_check_object_type_tag(env, this, &tag, &ok));
        if (ok) {
            var data: ?*anyopaque = null;
            try check(env, napi.napi_unwrap(env, this, &data));
            const b: *Box(C) = @ptrCast(@alignCast(data orelse return));
            if (!b.alive) return;
        }
    }
    const box = try boxOf(C, env, this, label);
    if (box.busy > 0) {
        return napi.throwParts(env, .plain, "ZIGIMPORT_BUSY", &.{label ++ ": cannot dispose while a call that uses the object is running"});
    }
    box.alive = false;
    release(C, &box.value);
}

/// Runs `C.deinit` when it exists (`self: *C` / `C`, optionally an allocator).
fn release(comptime C: type, value: *C) void {
    if (!@hasDecl(C, "deinit")) return;
    const F = @TypeOf(C.deinit);
    if (@typeInfo(F) != .@"fn") return;
    const params = comptime compat.fnParamTypes(F);
    var args: std.meta.ArgsTuple(F) = undefined;
    inline for (params, 0..) |P, i| {
        if (i == 0) {
            args[0] = if (P.? == C) value.* else value;
        } else if (P.? == std.mem.Allocator) {
            args[i] = gpa;
        } else {
            @compileError("zigimport: " ++ @typeName(C) ++ ".deinit may only take self and an allocator");
        }
    }
    _ = @call(.auto, C.deinit, args);
}
