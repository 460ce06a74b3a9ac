//! Zig function pointers (`*const fn (...) R`) given to JavaScript: a result, a constant (a
//! table of them), a field. Each becomes a JS function created with `napi_create_function`
//! whose data is the pointer; the Node-API callback, one per signature and site, converts the
//! arguments with the same checks as an exported function and calls through the pointer
//! (function_value.zig). That callback needs the whole call machinery, which itself writes
//! results here, so it is reached through the public entry (root.zig re-exports it) rather
//! than imported: importing it would be a cycle.

const napi = @import("napi.zig");

const binding_entry = blk: {
    const root = @import("root");
    break :blk if (@hasDecl(root, "zigimport")) root.zigimport else struct {};
};

/// A new JS function calling `ptr`; `where` ("ops(): return value") names it in errors.
pub fn write(comptime P: type, env: napi.Env, ptr: P, comptime where: []const u8) napi.Error!napi.Value {
    const callback = binding_entry.function_value_callback(P, where);
    var out: napi.Value = undefined;
    // Node-API carries the pointer as untyped data; function_value.zig turns it back into a `P`.
    const data: ?*anyopaque = @ptrFromInt(@intFromPtr(ptr));
    try napi.check(env, napi.napi_create_function(env, "", 0, callback, data, &out));
    return out;
}
