//! Builds the exports object from the public declarations of the user's file (what each one
//! becomes: declarations.zig): functions, constants, nested namespaces, classes, the
//! non-enumerable `__zigimport_skipped` list of what could not be exported, and
//! `__zigimport_describe()` returning the module descriptor (describe.zig).

const napi = @import("napi.zig");
const to_js = @import("to_js.zig");
const function = @import("function.zig");
const async_function = @import("async_function.zig");
const declarations = @import("declarations.zig");
const class_builder = @import("class_builder.zig");
const variable = @import("variable.zig");
const describe = @import("describe.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// Name of the non-enumerable property listing skipped declarations.
pub const skipped_property = "__zigimport_skipped";

/// Name of the non-enumerable function returning the module descriptor.
pub const describe_property = "__zigimport_describe";

/// Fills `exports` from the public declarations of `M`.
pub fn register(comptime M: type, env: Env, exports: Value) Error!void {
    try populate(M, env, exports, "", 0);
    try defineSkipped(comptime declarations.skippedIn(M, "", 0), env, exports);
    try defineDescribe(M, env, exports);
}

fn populate(comptime M: type, env: Env, obj: Value, comptime prefix: []const u8, comptime depth: u32) Error!void {
    @setEvalBranchQuota(100_000);
    const items = comptime declarations.itemsOf(M, depth, declarations.exported_kinds);
    if (items.len == 0) return;
    var props: [items.len]napi.PropertyDescriptor = undefined;
    inline for (items, 0..) |item, i| {
        const a = napi.PropertyAttributes;
        if (item.kind == .variable) {
            // A live accessor: every read and write goes to the Zig variable itself.
            props[i] = .{
                .utf8name = item.name,
                .getter = variable.getter(M, item.name, prefix ++ item.name),
                .setter = variable.setter(M, item.name, prefix ++ item.name),
                .attributes = a.enumerable,
            };
            continue;
        }
        const value: Value = switch (item.kind) {
            .function => try makeFunction(env, item.name, if (comptime declarations.isAsync(M, item.name))
                async_function.trampoline(@field(M, item.name), prefix ++ item.name)
            else
                function.trampoline(@field(M, item.name), prefix ++ item.name)),
            .class => try class_builder.define(@field(M, item.name), env, prefix ++ item.name),
            .constant => try to_js.writeConstant(env, @field(M, item.name), "constant " ++ prefix ++ item.name),
            .namespace => blk: {
                var ns: Value = undefined;
                try check(env, napi.napi_create_object(env, &ns));
                try populate(@field(M, item.name), env, ns, prefix ++ item.name ++ ".", depth + 1);
                break :blk ns;
            },
            else => unreachable,
        };
        props[i] = .{
            .utf8name = item.name,
            .value = value,
            // Functions behave like ordinary assigned exports; constants and
            // namespaces are read-only but enumerable.
            .attributes = if (item.kind == .function or item.kind == .class) a.writable | a.enumerable | a.configurable else a.enumerable,
        };
    }
    try check(env, napi.napi_define_properties(env, obj, items.len, &props));
}

fn makeFunction(env: Env, name: [:0]const u8, cb: napi.Callback) Error!Value {
    var f: Value = undefined;
    try check(env, napi.napi_create_function(env, name.ptr, name.len, cb, null, &f));
    return f;
}

/// `exports.__zigimport_skipped = [{ name, reason }, ...]`, non-enumerable.
fn defineSkipped(comptime list: []const declarations.Skip, env: Env, exports: Value) Error!void {
    var arr: Value = undefined;
    try check(env, napi.napi_create_array_with_length(env, list.len, &arr));
    inline for (list, 0..) |s, i| {
        var obj: Value = undefined;
        try check(env, napi.napi_create_object(env, &obj));
        try setString(env, obj, "name", s.name);
        try setString(env, obj, "reason", s.reason);
        try check(env, napi.napi_set_element(env, arr, i, obj));
    }
    const prop = [_]napi.PropertyDescriptor{.{ .utf8name = skipped_property, .value = arr }};
    try check(env, napi.napi_define_properties(env, exports, 1, &prop));
}

fn setString(env: Env, obj: Value, comptime key: [:0]const u8, s: []const u8) Error!void {
    var v: Value = undefined;
    try check(env, napi.napi_create_string_utf8(env, s.ptr, s.len, &v));
    try check(env, napi.napi_set_named_property(env, obj, key, v));
}

// -------------------------------------------------------------- descriptor

/// `exports.__zigimport_describe()`: the module descriptor as JSON,
/// non-enumerable and read-only.
fn defineDescribe(comptime M: type, env: Env, exports: Value) Error!void {
    const cb = struct {
        fn get(e: Env, _: napi.CallbackInfo) callconv(.c) ?Value {
            const json = comptime describe.moduleJson(M);
            var out: Value = undefined;
            napi.check(e, napi.napi_create_string_utf8(e, json.ptr, json.len, &out)) catch return null;
            return out;
        }
    }.get;
    const f = try makeFunction(env, describe_property, cb);
    const prop = [_]napi.PropertyDescriptor{.{ .utf8name = describe_property, .value = f }};
    try check(env, napi.napi_define_properties(env, exports, 1, &prop));
}
