//! Stateful structs as JS classes (which structs: classes.zig). An instance
//! owns a heap "box" holding the Zig value, attached with `napi_wrap` and
//! type-tagged, so a method called on a foreign object is a TypeError and
//! never a reinterpretation of someone else's memory.
//!
//! Lifetime: `new C(...)` calls `C.init`; `deinit` runs once, either from an
//! explicit `dispose()` / `[Symbol.dispose]()` or from the GC finalizer.
//! A disposed instance keeps its (dead) box until it is collected, so using
//! it throws an Error (`code` ZIGIMPORT_DISPOSED) instead of touching
//! freed memory. Disposing while one of the object's methods runs (from a
//! callback) is refused for the same reason.
//!
//! Allocators: `init` and `deinit` get a long-lived allocator (memory stored
//! in the object must outlive the call); other methods get the per-call
//! arena like plain functions (freed when the call returns).

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const types = @import("types.zig");
const classes = @import("classes.zig");
const call = @import("call.zig");
const from_js = @import("from_js.zig");
const to_js = @import("to_js.zig");
const function = @import("function.zig");
const exports = @import("exports.zig");

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

pub const MemberKind = enum { method, static, hidden, skipped };

pub const Member = struct {
    name: [:0]const u8,
    kind: MemberKind,
    reason: []const u8 = "",
};

/// Whether `F` takes `self` (`C`, `*C` or `*const C`) first.
fn isMethod(comptime C: type, comptime F: type) bool {
    const params = compat.fnParamTypes(F);
    if (params.len == 0) return false;
    const P = params[0] orelse return false;
    return P == C or P == *C or P == *const C;
}

/// Instance methods, statics and skipped declarations of class `C`.
pub fn members(comptime C: type) []const Member {
    return comptime blk: {
        @setEvalBranchQuota(100_000);
        var out: []const Member = &.{};
        for (compat.declNames(C)) |name| {
            if (std.mem.eql(u8, name, "init") or std.mem.eql(u8, name, "deinit")) continue;
            const V = @TypeOf(@field(C, name));
            if (@typeInfo(V) == .@"fn" and isMethod(C, V)) {
                if (function.unsupportedFrom(V, 1, false)) |why| {
                    out = out ++ &[_]Member{.{ .name = name, .kind = .skipped, .reason = why }};
                } else {
                    out = out ++ &[_]Member{.{ .name = name, .kind = .method }};
                }
                continue;
            }
            const item = exports.classify(C, name, classes.max_namespace_depth);
            out = out ++ &[_]Member{switch (item.kind) {
                .function, .constant => .{ .name = name, .kind = .static },
                .skipped => .{ .name = name, .kind = .skipped, .reason = item.reason },
                else => .{ .name = name, .kind = .hidden },
            }};
        }
        break :blk out;
    };
}

/// Fields readable from JS (getters on the prototype).
pub fn readableFields(comptime C: type) []const usize {
    return comptime blk: {
        var out: []const usize = &.{};
        for (compat.structFieldTypes(C), 0..) |F, i| {
            if (to_js.unsupported(F) == null and types.kind(F) != .class) out = out ++ &[_]usize{i};
        }
        break :blk out;
    };
}

/// Null when `C.init` can be called from JS, else why not.
pub fn initUnsupported(comptime C: type) ?[]const u8 {
    return function.unsupportedFrom(@TypeOf(C.init), 0, false);
}

/// Creates the constructor of class `C` (export path `path`) and records
/// it for `wrapNew`.
pub fn define(comptime C: type, env: Env, comptime path: []const u8) Error!Value {
    const ms = comptime members(C);
    const fields = comptime readableFields(C);
    const count = comptime blk: {
        var n = 1 + fields.len; // dispose
        for (ms) |m| {
            if (m.kind == .method or m.kind == .static) n += 1;
        }
        break :blk n;
    };
    const a = napi.PropertyAttributes;
    var props: [count]napi.PropertyDescriptor = undefined;
    props[0] = .{ .utf8name = "dispose", .method = &Methods(C, path).dispose, .attributes = a.writable | a.configurable };
    var n: usize = 1;
    inline for (fields) |i| {
        const fname = comptime compat.structFieldNames(C)[i];
        props[n] = .{ .utf8name = fname, .getter = Methods(C, path).getter(i), .attributes = a.configurable };
        n += 1;
    }
    inline for (ms) |m| {
        switch (m.kind) {
            .method => {
                props[n] = .{
                    .utf8name = m.name,
                    .method = Methods(C, path).method(@field(C, m.name), m.name),
                    .attributes = a.writable | a.configurable,
                };
                n += 1;
            },
            .static => {
                const V = @TypeOf(@field(C, m.name));
                if (@typeInfo(V) == .@"fn") {
                    props[n] = .{
                        .utf8name = m.name,
                        .method = function.trampoline(@field(C, m.name), path ++ "." ++ m.name),
                        .attributes = a.writable | a.configurable | napi.static_property,
                    };
                } else {
                    props[n] = .{
                        .utf8name = m.name,
                        .value = try exports.constantValue(env, @field(C, m.name), "constant " ++ path ++ "." ++ m.name),
                        .attributes = a.enumerable | napi.static_property,
                    };
                }
                n += 1;
            },
            else => {},
        }
    }
    const short = comptime if (std.mem.lastIndexOfScalar(u8, path, '.')) |dot| path[dot + 1 ..] else path;
    var ctor: Value = undefined;
    try check(env, napi.napi_define_class(env, short.ptr, short.len, &Methods(C, path).construct, null, count, &props, &ctor));

    const st = try call.state(env);
    var ref: napi.Ref = undefined;
    try check(env, napi.napi_create_reference(env, ctor, 1, &ref));
    st.ctors[comptime classes.index(C).?] = ref;

    // prototype[Symbol.dispose] = prototype.dispose, where Symbol.dispose exists.
    var global: Value = undefined;
    var symbol_ctor: Value = undefined;
    var sym: Value = undefined;
    try check(env, napi.napi_get_global(env, &global));
    try check(env, napi.napi_get_named_property(env, global, "Symbol", &symbol_ctor));
    try check(env, napi.napi_get_named_property(env, symbol_ctor, "dispose", &sym));
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, sym, &t));
    if (t == .symbol) {
        var proto: Value = undefined;
        var dispose_fn: Value = undefined;
        try check(env, napi.napi_get_named_property(env, ctor, "prototype", &proto));
        try check(env, napi.napi_get_named_property(env, proto, "dispose", &dispose_fn));
        try check(env, napi.napi_set_property(env, proto, sym, dispose_fn));
    }
    return ctor;
}

/// The box behind `v`, checked: an instance of `C` that is not disposed.
fn boxOf(comptime C: type, env: Env, v: Value, comptime where: []const u8) Error!*Box(C) {
    const what = comptime "a " ++ classes.exportName(C) ++ " instance";
    var t: napi.ValueType = undefined;
    try check(env, napi.napi_typeof(env, v, &t));
    if (t != .object) return from_js.wrongType(env, v, where, what);
    const tag = tagOf(C);
    var ok = false;
    try check(env, napi.napi_check_object_type_tag(env, v, &tag, &ok));
    if (!ok) return from_js.wrongType(env, v, where, what);
    var data: ?*anyopaque = null;
    try check(env, napi.napi_unwrap(env, v, &data));
    const box: *Box(C) = @ptrCast(@alignCast(data orelse return from_js.wrongType(env, v, where, what)));
    if (!box.alive) return disposed(env, comptime classes.exportName(C), where);
    return box;
}

fn disposed(env: Env, comptime name: []const u8, comptime where: []const u8) Error {
    @branchHint(.cold);
    return napi.throwParts(env, .plain, "ZIGIMPORT_DISPOSED", &.{where ++ ": the " ++ name ++ " object has been disposed"});
}

/// A class instance argument: the Zig value inside it (not a copy).
/// The object behind `v`. With `pin`, the running call borrows it: it cannot be disposed
/// until the call ends (`call.Ctx.finish`).
pub fn unwrap(comptime C: type, cx: *call.Ctx, v: Value, comptime where: []const u8, comptime pin: bool) Error!*C {
    const box = try boxOf(C, cx.env, v, where);
    if (pin) try cx.pin(&box.busy);
    return &box.value;
}

/// A new JS instance owning `value` (a class returned by value).
pub fn wrapNew(comptime C: type, env: Env, value: C) Error!Value {
    const st = try call.state(env);
    const ref = st.ctors[comptime classes.index(C).?] orelse
        return napi.throwParts(env, .plain, "ZIGIMPORT_NAPI", &.{comptime "zigimport: class " ++ classes.exportName(C) ++ " is not registered"});
    const box = gpa.create(Box(C)) catch {
        var copy = value;
        release(C, &copy);
        return call.outOfMemory(env);
    };
    box.* = .{ .value = value };
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

fn Methods(comptime C: type, comptime path: []const u8) type {
    return struct {
        fn finalize(_: Env, data: ?*anyopaque, _: ?*anyopaque) callconv(.c) void {
            const box: *Box(C) = @ptrCast(@alignCast(data orelse return));
            if (box.alive) release(C, &box.value);
            gpa.destroy(box);
        }

        fn construct(env: Env, info: napi.CallbackInfo) callconv(.c) ?Value {
            return constructIn(env, info) catch null;
        }

        fn constructIn(env: Env, info: napi.CallbackInfo) Error!Value {
            const label = "new " ++ path ++ "()";
            const Init = @TypeOf(C.init);
            const S = function.Shape(Init, 0);
            var argv: [@max(S.max_args, 1)]Value = undefined;
            var argc: usize = argv.len;
            var this: Value = undefined;
            try check(env, napi.napi_get_cb_info(env, info, &argc, &argv, &this, null));
            var target: ?Value = null;
            try check(env, napi.napi_get_new_target(env, info, &target));
            if (target == null) return napi.throwType(env, &.{"Class constructor " ++ path ++ " cannot be invoked without 'new'"});
            const st = try call.state(env);
            var box: *Box(C) = undefined;
            if (st.adopt) |p| {
                st.adopt = null;
                box = @ptrCast(@alignCast(p));
            } else {
                if (comptime initUnsupported(C)) |why| {
                    return napi.throwType(env, &.{path ++ " cannot be constructed from JavaScript: init " ++ why});
                } else {
                    var scratch: [if (S.uses_memory) call.stack_scratch_size else 0]u8 = undefined;
                    var cx = call.Ctx{ .env = env, .stack = &scratch };
                    defer cx.finish();
                    var raw: S.R = undefined;
                    try function.callWith(C.init, 0, label, &cx, &argv, argc, .{}, gpa, &raw);
                    const value: C = if (@typeInfo(S.R) == .error_union)
                        raw catch |err| return function.zigError(env, label ++ " failed: error.", @errorName(err))
                    else
                        raw;
                    box = gpa.create(Box(C)) catch {
                        var copy = value;
                        release(C, &copy);
                        return call.outOfMemory(env);
                    };
                    box.* = .{ .value = value };
                }
            }
            const tag = tagOf(C);
            napi.check(env, napi.napi_type_tag_object(env, this, &tag)) catch |err| {
                finalize(env, box, null);
                return err;
            };
            napi.check(env, napi.napi_wrap(env, this, box, &finalize, null, null)) catch |err| {
                finalize(env, box, null);
                return err;
            };
            return this;
        }

        fn dispose(env: Env, info: napi.CallbackInfo) callconv(.c) ?Value {
            return disposeIn(env, info) catch null;
        }

        fn disposeIn(env: Env, info: napi.CallbackInfo) Error!Value {
            const label = path ++ ".dispose()";
            var this: Value = undefined;
            var argc: usize = 0;
            try check(env, napi.napi_get_cb_info(env, info, &argc, null, &this, null));
            var undef: Value = undefined;
            try check(env, napi.napi_get_undefined(env, &undef));
            // Disposing twice is a no-op.
            {
                var ok = false;
                const tag = tagOf(C);
                try check(env, napi.napi_check_object_type_tag(env, this, &tag, &ok));
                if (ok) {
                    var data: ?*anyopaque = null;
                    try check(env, napi.napi_unwrap(env, this, &data));
                    const b: *Box(C) = @ptrCast(@alignCast(data orelse return undef));
                    if (!b.alive) return undef;
                }
            }
            const box = try boxOf(C, env, this, label);
            if (box.busy > 0) {
                return napi.throwParts(env, .plain, "ZIGIMPORT_BUSY", &.{label ++ ": cannot dispose while a call that uses the object is running"});
            }
            box.alive = false;
            release(C, &box.value);
            return undef;
        }

        fn getter(comptime i: usize) napi.Callback {
            return &struct {
                fn get(env: Env, info: napi.CallbackInfo) callconv(.c) ?Value {
                    return getIn(env, info) catch null;
                }
                fn getIn(env: Env, info: napi.CallbackInfo) Error!Value {
                    const fname = comptime compat.structFieldNames(C)[i];
                    const F = comptime compat.structFieldTypes(C)[i];
                    var this: Value = undefined;
                    var argc: usize = 0;
                    try check(env, napi.napi_get_cb_info(env, info, &argc, null, &this, null));
                    const box = try boxOf(C, env, this, path ++ "." ++ fname);
                    return to_js.write(F, env, @field(box.value, fname), path ++ "." ++ fname);
                }
            }.get;
        }

        fn method(comptime func: anytype, comptime name: []const u8) napi.Callback {
            const label = path ++ "." ++ name ++ "()";
            const F = @TypeOf(func);
            const S = function.Shape(F, 1);
            return &struct {
                fn cb(env: Env, info: napi.CallbackInfo) callconv(.c) ?Value {
                    return invoke(env, info) catch null;
                }
                inline fn invoke(env: Env, info: napi.CallbackInfo) Error!Value {
                    var argv: [@max(S.max_args, 1)]Value = undefined;
                    var argc: usize = argv.len;
                    var this: Value = undefined;
                    try check(env, napi.napi_get_cb_info(env, info, &argc, &argv, &this, null));
                    const box = try boxOf(C, env, this, label);
                    var scratch: [if (S.uses_memory) call.stack_scratch_size else 0]u8 = undefined;
                    var cx = call.Ctx{ .env = env, .stack = &scratch };
                    defer cx.finish();
                    box.busy += 1;
                    defer box.busy -= 1;
                    const Self = S.params[0].?;
                    const self: Self = if (Self == C) box.value else &box.value;
                    var result: S.R = undefined;
                    try function.callWith(func, 1, label, &cx, &argv, argc, .{self}, null, &result);
                    return function.writeResult(S.R, env, result, label);
                }
            }.cb;
        }
    };
}
