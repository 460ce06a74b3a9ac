//! The Node-API callback behind a JS function that calls a Zig function pointer
//! (function_pointer.zig): one per signature and site, generated at comptime like an exported
//! function's trampoline (function.zig), except that the function comes from the callback's
//! data at run time.

const std = @import("std");
const napi = @import("napi.zig");
const call = @import("call.zig");
const function = @import("function.zig");

/// The callback for JS functions wrapping pointers of type `P`; `where` prefixes its errors
/// ("function from ops(): return value: argument 1 ...").
pub fn callback(comptime P: type, comptime where: []const u8) napi.Callback {
    const S = function.Shape(P, 0);
    const label = "function from " ++ where;
    return &struct {
        fn cb(env: napi.Env, info: napi.CallbackInfo) callconv(.c) ?napi.Value {
            return invoke(env, info) catch null;
        }

        fn invoke(env: napi.Env, info: napi.CallbackInfo) napi.Error!napi.Value {
            var argv: [@max(S.max_args, 1)]napi.Value = undefined;
            var argc: usize = argv.len;
            var data: ?*anyopaque = null;
            try napi.check(env, napi.napi_get_cb_info(env, info, &argc, &argv, null, &data));
            const ptr: P = @ptrFromInt(@intFromPtr(data orelse unreachable));
            var scratch: [if (S.uses_memory) call.stack_scratch_size else 0]u8 = undefined;
            var cx = call.Ctx{ .env = env, .stack = &scratch };
            defer cx.finish();
            var result: S.R = undefined;
            try function.callWith(ptr, 0, label, &cx, &argv, argc, .{}, null, &result);
            return function.writeResult(S.R, env, result, label);
        }
    }.cb;
}

test "a function pointer has the shape of its function" {
    const add = struct {
        fn add(a: i32, b: i32) i32 {
            return a + b;
        }
    }.add;
    const S = function.Shape(*const @TypeOf(add), 0);
    try std.testing.expectEqual(@as(usize, 2), S.js_count);
    try std.testing.expect(S.R == i32);
}
