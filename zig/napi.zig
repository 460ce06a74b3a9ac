//! Hand-written Node-API declarations (no @cImport: it is gone in Zig 0.17)
//! plus the few helpers every conversion needs: status checks and throwing.
//!
//! The symbols are not linked against anything: Node exports them from its
//! own binary and the dynamic loader resolves them when the addon is loaded.
//! Only functions available since Node-API 8 are declared.

const std = @import("std");

pub const Env = *opaque {};
pub const Value = *opaque {};
pub const CallbackInfo = *opaque {};
pub const Callback = *const fn (Env, CallbackInfo) callconv(.c) ?Value;
pub const Finalize = *const fn (Env, ?*anyopaque, ?*anyopaque) callconv(.c) void;

/// `napi_status`. Non-exhaustive so a newer Node returning a code we do not
/// know cannot trigger illegal behaviour.
pub const Status = enum(c_int) {
    ok,
    invalid_arg,
    object_expected,
    string_expected,
    name_expected,
    function_expected,
    number_expected,
    boolean_expected,
    array_expected,
    generic_failure,
    pending_exception,
    cancelled,
    escape_called_twice,
    handle_scope_mismatch,
    callback_scope_mismatch,
    queue_full,
    closing,
    bigint_expected,
    _,
};

pub const ValueType = enum(c_int) {
    undefined,
    null,
    boolean,
    number,
    string,
    symbol,
    object,
    function,
    external,
    bigint,
    _,
};

pub const TypedArrayType = enum(c_int) {
    int8,
    uint8,
    uint8_clamped,
    int16,
    uint16,
    int32,
    uint32,
    float32,
    float64,
    bigint64,
    biguint64,
    _,

    /// JavaScript constructor name, used in error messages.
    pub fn jsName(t: TypedArrayType) []const u8 {
        return switch (t) {
            .int8 => "Int8Array",
            .uint8 => "Uint8Array",
            .uint8_clamped => "Uint8ClampedArray",
            .int16 => "Int16Array",
            .uint16 => "Uint16Array",
            .int32 => "Int32Array",
            .uint32 => "Uint32Array",
            .float32 => "Float32Array",
            .float64 => "Float64Array",
            .bigint64 => "BigInt64Array",
            .biguint64 => "BigUint64Array",
            _ => "TypedArray",
        };
    }

    /// "an Int32Array", "a Float64Array" (comptime only).
    pub fn jsNameWithArticle(comptime t: TypedArrayType) []const u8 {
        const article = switch (t) {
            .int8, .int16, .int32 => "an ",
            else => "a ",
        };
        return comptime article ++ t.jsName();
    }
};

pub const PropertyAttributes = struct {
    pub const default: c_int = 0;
    pub const writable: c_int = 1;
    pub const enumerable: c_int = 2;
    pub const configurable: c_int = 4;
};

pub const ExtendedErrorInfo = extern struct {
    error_message: ?[*:0]const u8,
    engine_reserved: ?*anyopaque,
    engine_error_code: u32,
    error_code: Status,
};

pub const PropertyDescriptor = extern struct {
    utf8name: ?[*:0]const u8 = null,
    name: ?Value = null,
    method: ?Callback = null,
    getter: ?Callback = null,
    setter: ?Callback = null,
    value: ?Value = null,
    attributes: c_int = PropertyAttributes.default,
    data: ?*anyopaque = null,
};

// ---------------------------------------------------------------- externs

pub extern fn napi_get_cb_info(env: Env, info: CallbackInfo, argc: *usize, argv: ?[*]Value, this: ?*Value, data: ?*?*anyopaque) Status;
pub extern fn napi_typeof(env: Env, value: Value, result: *ValueType) Status;
pub extern fn napi_is_array(env: Env, value: Value, result: *bool) Status;
pub extern fn napi_is_typedarray(env: Env, value: Value, result: *bool) Status;
pub extern fn napi_is_exception_pending(env: Env, result: *bool) Status;

pub extern fn napi_get_undefined(env: Env, result: *Value) Status;
pub extern fn napi_get_null(env: Env, result: *Value) Status;
pub extern fn napi_get_boolean(env: Env, value: bool, result: *Value) Status;

pub extern fn napi_get_value_bool(env: Env, value: Value, result: *bool) Status;
pub extern fn napi_get_value_double(env: Env, value: Value, result: *f64) Status;
pub extern fn napi_get_value_bigint_int64(env: Env, value: Value, result: *i64, lossless: *bool) Status;
pub extern fn napi_get_value_bigint_uint64(env: Env, value: Value, result: *u64, lossless: *bool) Status;
pub extern fn napi_get_value_bigint_words(env: Env, value: Value, sign_bit: ?*c_int, word_count: *usize, words: ?[*]u64) Status;
pub extern fn napi_get_value_string_utf8(env: Env, value: Value, buf: ?[*]u8, bufsize: usize, result: ?*usize) Status;

pub extern fn napi_create_int32(env: Env, value: i32, result: *Value) Status;
pub extern fn napi_create_uint32(env: Env, value: u32, result: *Value) Status;
pub extern fn napi_create_double(env: Env, value: f64, result: *Value) Status;
pub extern fn napi_create_bigint_int64(env: Env, value: i64, result: *Value) Status;
pub extern fn napi_create_bigint_uint64(env: Env, value: u64, result: *Value) Status;
pub extern fn napi_create_bigint_words(env: Env, sign_bit: c_int, word_count: usize, words: [*]const u64, result: *Value) Status;
pub extern fn napi_create_string_utf8(env: Env, str: [*]const u8, length: usize, result: *Value) Status;

pub extern fn napi_create_object(env: Env, result: *Value) Status;
pub extern fn napi_create_array_with_length(env: Env, length: usize, result: *Value) Status;
pub extern fn napi_set_element(env: Env, object: Value, index: u32, value: Value) Status;
pub extern fn napi_get_named_property(env: Env, object: Value, name: [*:0]const u8, result: *Value) Status;
pub extern fn napi_set_named_property(env: Env, object: Value, name: [*:0]const u8, value: Value) Status;
pub extern fn napi_define_properties(env: Env, object: Value, count: usize, props: [*]const PropertyDescriptor) Status;
pub extern fn napi_create_function(env: Env, name: ?[*]const u8, length: usize, cb: Callback, data: ?*anyopaque, result: *Value) Status;

pub extern fn napi_get_typedarray_info(env: Env, value: Value, kind: ?*TypedArrayType, length: ?*usize, data: ?*?*anyopaque, arraybuffer: ?*Value, byte_offset: ?*usize) Status;
pub extern fn napi_create_arraybuffer(env: Env, byte_length: usize, data: *?*anyopaque, result: *Value) Status;
pub extern fn napi_is_detached_arraybuffer(env: Env, value: Value, result: *bool) Status;
pub extern fn napi_create_typedarray(env: Env, kind: TypedArrayType, length: usize, arraybuffer: Value, byte_offset: usize, result: *Value) Status;

pub extern fn napi_throw_error(env: Env, code: ?[*:0]const u8, msg: [*:0]const u8) Status;
pub extern fn napi_is_error(env: Env, value: Value, result: *bool) Status;
pub extern fn napi_create_error(env: Env, code: ?Value, msg: Value, result: *Value) Status;
pub extern fn napi_throw_type_error(env: Env, code: ?[*:0]const u8, msg: [*:0]const u8) Status;
pub extern fn napi_throw_range_error(env: Env, code: ?[*:0]const u8, msg: [*:0]const u8) Status;

pub extern fn napi_get_last_error_info(env: Env, result: **const ExtendedErrorInfo) Status;
pub extern fn napi_set_instance_data(env: Env, data: ?*anyopaque, finalize: Finalize, hint: ?*anyopaque) Status;
pub extern fn napi_get_instance_data(env: Env, data: *?*anyopaque) Status;

pub const Ref = *opaque {};
pub const Deferred = *opaque {};
pub const AsyncWork = *opaque {};
pub const HandleScope = *opaque {};
pub const TypeTag = extern struct { lower: u64, upper: u64 };
pub const AsyncExecute = *const fn (Env, ?*anyopaque) callconv(.c) void;
pub const AsyncComplete = *const fn (Env, Status, ?*anyopaque) callconv(.c) void;

/// `napi_key_collection_mode` (js_native_api_types.h).
pub const KeyCollectionMode = enum(c_int) { include_prototypes = 0, own_only = 1 };
/// `napi_key_filter` bits (js_native_api_types.h); 0 is all properties.
pub const KeyFilter = struct {
    pub const all_properties: c_int = 0;
    pub const writable: c_int = 1 << 0;
    pub const enumerable: c_int = 1 << 1;
    pub const configurable: c_int = 1 << 2;
    pub const skip_strings: c_int = 1 << 3;
    pub const skip_symbols: c_int = 1 << 4;
};
/// `napi_key_conversion` (js_native_api_types.h).
pub const KeyConversion = enum(c_int) { keep_numbers = 0, numbers_to_strings = 1 };
pub extern fn napi_get_all_property_names(env: Env, object: Value, mode: KeyCollectionMode, filter: c_int, conversion: KeyConversion, result: *Value) Status;
pub extern fn napi_get_array_length(env: Env, value: Value, result: *u32) Status;
pub extern fn napi_get_element(env: Env, object: Value, index: u32, result: *Value) Status;
pub extern fn napi_set_property(env: Env, object: Value, key: Value, value: Value) Status;
pub extern fn napi_get_global(env: Env, result: *Value) Status;
pub extern fn napi_call_function(env: Env, recv: Value, func: Value, argc: usize, argv: ?[*]const Value, result: ?*Value) Status;
pub extern fn napi_open_handle_scope(env: Env, result: *HandleScope) Status;
pub extern fn napi_close_handle_scope(env: Env, scope: HandleScope) Status;
pub extern fn napi_define_class(env: Env, name: [*]const u8, length: usize, constructor: Callback, data: ?*anyopaque, property_count: usize, properties: ?[*]const PropertyDescriptor, result: *Value) Status;
pub extern fn napi_wrap(env: Env, js_object: Value, native_object: ?*anyopaque, finalize_cb: ?Finalize, finalize_hint: ?*anyopaque, result: ?*Ref) Status;
pub extern fn napi_add_finalizer(env: Env, js_object: Value, finalize_data: ?*anyopaque, finalize_cb: Finalize, finalize_hint: ?*anyopaque, result: ?*Ref) Status;
pub extern fn napi_unwrap(env: Env, js_object: Value, result: *?*anyopaque) Status;
pub extern fn napi_remove_wrap(env: Env, js_object: Value, result: ?*?*anyopaque) Status;
pub extern fn napi_type_tag_object(env: Env, value: Value, type_tag: *const TypeTag) Status;
pub extern fn napi_check_object_type_tag(env: Env, value: Value, type_tag: *const TypeTag, result: *bool) Status;
pub extern fn napi_create_reference(env: Env, value: Value, initial_refcount: u32, result: *Ref) Status;
pub extern fn napi_delete_reference(env: Env, ref: Ref) Status;
pub extern fn napi_get_reference_value(env: Env, ref: Ref, result: *Value) Status;
pub extern fn napi_new_instance(env: Env, constructor: Value, argc: usize, argv: ?[*]const Value, result: *Value) Status;
pub extern fn napi_get_new_target(env: Env, info: CallbackInfo, result: *?Value) Status;
pub extern fn napi_create_promise(env: Env, deferred: *Deferred, promise: *Value) Status;
pub extern fn napi_resolve_deferred(env: Env, deferred: Deferred, resolution: Value) Status;
pub extern fn napi_reject_deferred(env: Env, deferred: Deferred, rejection: Value) Status;
pub extern fn napi_get_and_clear_last_exception(env: Env, result: *Value) Status;
pub extern fn napi_create_async_work(env: Env, async_resource: ?Value, async_resource_name: Value, execute: AsyncExecute, complete: AsyncComplete, data: ?*anyopaque, result: *AsyncWork) Status;
pub extern fn napi_delete_async_work(env: Env, work: AsyncWork) Status;
pub extern fn napi_queue_async_work(env: Env, work: AsyncWork) Status;

pub const static_property: c_int = 1 << 10;

// ---------------------------------------------------------------- helpers

/// Every failed conversion returns this after a JS exception has been made
/// pending; the trampoline then returns null and Node rethrows it.
pub const Error = error{JsException};

pub const ErrorKind = enum { plain, type, range };

/// Turns a failed status into `error.JsException`. A status of
/// `pending_exception` (a getter threw, say) keeps the JS exception as it is.
pub inline fn check(env: Env, status: Status) Error!void {
    if (status != .ok) return failed(env);
}

fn failed(env: Env) Error {
    @branchHint(.cold);
    // Read Node's description first: any further Node-API call clears it.
    var info: *const ExtendedErrorInfo = undefined;
    var detail: []const u8 = "unknown error";
    if (napi_get_last_error_info(env, &info) == .ok) {
        if (info.error_message) |m| detail = std.mem.span(m);
    }
    if (isExceptionPending(env)) return error.JsException;
    // Unexpected failure (wrong JS types are checked by the callers first).
    return throwParts(env, .plain, "ZIGIMPORT_NAPI", &.{ "zigimport: Node-API call failed: ", detail });
}

pub fn isExceptionPending(env: Env) bool {
    var pending = false;
    _ = napi_is_exception_pending(env, &pending);
    return pending;
}

/// Throws an error whose message is the concatenation of `parts` (truncated
/// to fit a stack buffer: error paths must not allocate) and returns the
/// error to propagate. Never throws over an exception that is already pending.
pub fn throwParts(env: Env, kind: ErrorKind, code: ?[*:0]const u8, parts: []const []const u8) Error {
    @branchHint(.cold);
    if (isExceptionPending(env)) return error.JsException;
    var buf: [1024]u8 = undefined;
    var len: usize = 0;
    for (parts) |part| {
        const n = @min(part.len, buf.len - 1 - len);
        @memcpy(buf[len..][0..n], part[0..n]);
        len += n;
    }
    buf[len] = 0;
    const msg: [*:0]const u8 = buf[0..len :0];
    _ = switch (kind) {
        .plain => napi_throw_error(env, code, msg),
        .type => napi_throw_type_error(env, code, msg),
        .range => napi_throw_range_error(env, code, msg),
    };
    return error.JsException;
}

pub fn throwType(env: Env, parts: []const []const u8) Error {
    @branchHint(.cold);
    return throwParts(env, .type, null, parts);
}

pub fn throwRange(env: Env, parts: []const []const u8) Error {
    @branchHint(.cold);
    return throwParts(env, .range, null, parts);
}

/// "add(): argument 1 must be a number, got string": a TypeError naming what `value` is.
pub fn throwWrongType(env: Env, value: Value, comptime where: []const u8, comptime what: []const u8) Error {
    @branchHint(.cold);
    return throwType(env, &.{ where ++ " must be " ++ what ++ ", got ", describe(env, value) });
}

/// What a JS value is, for "got ..." in error messages: the `typeof` name,
/// refined to "null", "array" or the typed-array constructor name.
pub fn describe(env: Env, value: Value) []const u8 {
    @branchHint(.cold);
    var t: ValueType = undefined;
    if (napi_typeof(env, value, &t) != .ok) return "unknown";
    return switch (t) {
        .undefined => "undefined",
        .null => "null",
        .boolean => "boolean",
        .number => "number",
        .string => "string",
        .symbol => "symbol",
        .function => "function",
        .external => "external",
        .bigint => "bigint",
        .object => blk: {
            var is = false;
            if (napi_is_array(env, value, &is) == .ok and is) break :blk "array";
            var kind: TypedArrayType = undefined;
            if (napi_is_typedarray(env, value, &is) == .ok and is and
                napi_get_typedarray_info(env, value, &kind, null, null, null, null) == .ok)
                break :blk kind.jsName();
            break :blk "object";
        },
        _ => "unknown",
    };
}
