//! Stateful structs as JS classes (which structs: class_list.zig; their members:
//! declarations.zig): the constructor, the prototype's methods, field getters and `dispose`.
//! The instances themselves (box, type tag, wrap, unwrap, dispose) are instance.zig.
//!
//! Lifetime: `new C(...)` calls `C.init`; `deinit` runs once, either from an
//! explicit `dispose()` / `[Symbol.dispose]()` or from the GC finalizer.
//!
//! Allocators: `init` and `deinit` get a long-lived allocator (memory stored
//! in the object must outlive the call); other methods get the per-call
//! arena like plain functions (freed when the call returns).

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");
const class_list = @import("class_list.zig");
const declarations = @import("declarations.zig");
const instance = @import("instance.zig");
const call = @import("call.zig");
const to_js = @import("to_js.zig");
const from_js = @import("from_js.zig");
const function = @import("function.zig");
const view = @import("view.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// Creates the constructor of class `C` (export path `path`) and records
/// it for `wrapNew`.
pub fn define(comptime C: type, env: Env, comptime path: []const u8) Error!Value {
    const ms = comptime declarations.members(C);
    const fields = comptime declarations.readableFields(C);
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
                        .value = try to_js.writeConstant(env, @field(C, m.name), "constant " ++ path ++ "." ++ m.name),
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
    st.ctors[comptime class_list.index(C).?] = ref;

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

fn Methods(comptime C: type, comptime path: []const u8) type {
    return struct {
        fn construct(env: Env, info: napi.CallbackInfo) callconv(.c) ?Value {
            return constructIn(env, info) catch null;
        }

        fn constructIn(env: Env, info: napi.CallbackInfo) Error!Value {
            const label = "new " ++ path ++ "()";
            if (comptime class_list.isDataClass(C)) return constructFields(env, info);
            const Init = @TypeOf(C.init);
            const S = function.Shape(Init, 0);
            var argv: [@max(S.max_args, 1)]Value = undefined;
            var argc: usize = argv.len;
            var this: Value = undefined;
            try check(env, napi.napi_get_cb_info(env, info, &argc, &argv, &this, null));
            try requireNew(env, info);
            var box: *instance.Box(C) = undefined;
            if (try adopted(env)) |b| {
                box = b;
            } else {
                if (comptime declarations.initUnsupported(C)) |why| {
                    return napi.throwType(env, &.{path ++ " cannot be constructed from JavaScript: init " ++ why});
                } else {
                    var scratch: [if (S.uses_memory) call.stack_scratch_size else 0]u8 = undefined;
                    var cx = call.Ctx{ .env = env, .stack = &scratch };
                    defer cx.finish();
                    var raw: S.R = undefined;
                    try function.callWith(C.init, 0, label, &cx, &argv, argc, .{}, instance.gpa, &raw);
                    const value: C = if (@typeInfo(S.R) == .error_union)
                        raw catch |err| return function.zigError(env, label ++ " failed: error.", @errorName(err))
                    else
                        raw;
                    box = try instance.create(C, env, value);
                }
            }
            try instance.attach(C, env, this, box);
            return this;
        }

        /// A data class (no `init`): `new S({ x, y })` converts the object like a struct argument.
        fn constructFields(env: Env, info: napi.CallbackInfo) Error!Value {
            const label = "new " ++ path ++ "()";
            var argv: [1]Value = undefined;
            var argc: usize = argv.len;
            var this: Value = undefined;
            try check(env, napi.napi_get_cb_info(env, info, &argc, &argv, &this, null));
            try requireNew(env, info);
            var box: *instance.Box(C) = undefined;
            if (try adopted(env)) |b| {
                box = b;
            } else {
                if (argc < 1) return napi.throwType(env, &.{label ++ " expects 1 argument (an object with the fields), got 0"});
                var scratch: [call.stack_scratch_size]u8 = undefined;
                var cx = call.Ctx{ .env = env, .stack = &scratch, .copy = true };
                defer cx.finish();
                const value = try from_js.readStruct(C, &cx, argv[0], comptime call.argumentWhere(label, 1));
                box = try instance.create(C, env, value);
            }
            try instance.attach(C, env, this, box);
            return this;
        }

        /// Classes are constructed with `new` only, as JS classes are.
        fn requireNew(env: Env, info: napi.CallbackInfo) Error!void {
            var target: ?Value = null;
            try check(env, napi.napi_get_new_target(env, info, &target));
            if (target == null) return napi.throwType(env, &.{"Class constructor " ++ path ++ " cannot be invoked without 'new'"});
        }

        /// The box of a value Zig returned, handed over by to_js (instance.wrapNew): the
        /// constructor adopts it instead of reading its JS arguments.
        fn adopted(env: Env) Error!?*instance.Box(C) {
            const st = try call.state(env);
            const p = st.adopt orelse return null;
            st.adopt = null;
            return @ptrCast(@alignCast(p));
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
            try instance.dispose(C, env, this, label);
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
                    const box = try instance.boxOf(C, env, this, path ++ "." ++ fname);
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
                    const box = try instance.boxOf(C, env, this, label);
                    var scratch: [if (S.uses_memory) call.stack_scratch_size else 0]u8 = undefined;
                    var cx = call.Ctx{ .env = env, .stack = &scratch };
                    defer cx.finish();
                    box.busy += 1;
                    defer box.busy -= 1;
                    const Self = S.params[0].?;
                    const self: Self = if (Self == C) box.value else &box.value;
                    var result: S.R = undefined;
                    try function.callWith(func, 1, label, &cx, &argv, argc, .{self}, null, &result);
                    if (S.View != null) {
                        // A pointer into the instance itself: a live view that keeps it alive.
                        const addr = view.address(S.R, result);
                        const base = @intFromPtr(&box.value);
                        if (addr >= base and addr < base + @sizeOf(C)) return view.writeOwnedResult(S.R, env, result, label, function.zigError, this);
                        if (cx.view_result) return view.writeResult(S.R, env, result, label, function.zigError);
                    }
                    return function.writeResult(S.R, env, result, label);
                }
            }.cb;
        }
    };
}
