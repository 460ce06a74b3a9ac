//! Public entry of the zigimport binding layer: what `@import("zigimport")`
//! gives to the static root.zig (and to user files that want it).
//!
//! The build compiles `root.zig` as the root module with two dependencies,
//! `user` (the .zig file being imported from JavaScript) and `zigimport`
//! (this file); `root.zig` calls `exportModule(@import("user"))`.

/// Version of the binding layer (the Zig sources in this directory), as the
/// module descriptor reports it. The TypeScript side may fold it into cache keys.
pub const version = @import("describe.zig").binding_version;

/// Node-API declarations, for user code that wants to go lower level.
pub const napi = @import("napi.zig");

const exports = @import("exports.zig");
const signals = @import("signals.zig");
const host_api = @import("host_api.zig");

/// `zigimport.JsFunction(fn (A, B) R)`: a parameter type taking a JS function that Zig may
/// keep and call later, from any thread, until it calls `release()` (see js_function.zig).
pub const JsFunction = @import("js_function.zig").JsFunction;

/// For the binding layer only (function_pointer.zig reaches it here: importing it would be a
/// cycle): the Node-API callback of JS functions that call Zig function pointers of type `P`.
pub const function_value_callback = @import("function_value.zig").callback;

/// The panic handler root.zig installs for module `User` (see panic.zig).
pub const PanicHandler = @import("panic.zig").Handler;

/// Exports the Node-API module entry points for the public declarations of
/// `M`: `napi_register_module_v1` builds the exports object, and
/// `node_api_module_get_api_version_v1` declares the Node-API version used.
pub fn exportModule(comptime M: type) void {
    const entry = struct {
        fn register(env: napi.Env, exports_obj: napi.Value) callconv(.c) ?napi.Value {
            // Windows: Node-API comes from the host process (host_api.zig); without it, no call is safe.
            if (!host_api.resolve()) return null;
            // Stack overflows in this addon get a report (Debug, ReleaseSafe; see signals.zig).
            signals.install();
            exports.register(M, env, exports_obj) catch return null;
            return exports_obj;
        }
        fn apiVersion() callconv(.c) i32 {
            return 8;
        }
    };
    @export(&entry.register, .{ .name = "napi_register_module_v1" });
    @export(&entry.apiVersion, .{ .name = "node_api_module_get_api_version_v1" });
    if (@import("builtin").cpu.arch.isWasm()) {
        @import("wasm.zig").exportEntry(&entry.register);
        @import("wasm_fast.zig").exportFast(M);
    }
}

// Every file of the binding layer, so `zig test zig/zigimport.zig` runs all their tests (and
// compiles the ones that have none).
test {
    _ = @import("compat.zig");
    _ = @import("types.zig");
    _ = @import("napi.zig");
    _ = @import("function.zig");
    _ = @import("async_function.zig");
    _ = @import("from_js.zig");
    _ = @import("borrow.zig");
    _ = @import("call.zig");
    _ = @import("to_js.zig");
    _ = @import("panic.zig");
    _ = @import("signals.zig");
    _ = @import("class_list.zig");
    _ = @import("instance.zig");
    _ = @import("iterator.zig");
    _ = @import("declarations.zig");
    _ = @import("class_builder.zig");
    _ = @import("describe.zig");
    _ = @import("exports.zig");
    _ = @import("wasm.zig");
    _ = @import("wasm_fast.zig");
    _ = @import("variable.zig");
    _ = @import("host_api.zig");
    _ = @import("fixed_arity.zig");
    _ = @import("callback.zig");
    _ = @import("callback_read_back.zig");
    _ = @import("callback_param.zig");
    _ = @import("from_js_scalar.zig");
    _ = @import("type_support.zig");
    _ = @import("signature.zig");
    _ = @import("arguments.zig");
    _ = @import("function_value.zig");
    _ = @import("function_pointer.zig");
    _ = @import("js_function.zig");
    _ = @import("js_function_slots.zig");
    _ = @import("handle.zig");
    _ = @import("pointer.zig");
    _ = @import("write_back.zig");
    _ = @import("owned.zig");
    _ = @import("view.zig");
    _ = @import("view_box.zig");
}
