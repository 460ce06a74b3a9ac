//! Zig errors as JS values (issue 12 point 6). An error set value (`E`, `anyerror`)
//! travels as its name, a string. An error union `E!T` inside a value (a parameter, a
//! field, an element) is either a `T` or an `Error` whose `code` is the Zig error name,
//! the same shape a failing call throws, so a caught error can be handed straight back.
//! A function's own `E!T` result still throws (function.zig).

const std = @import("std");
const napi = @import("napi.zig");
const compat = @import("compat.zig");

const Env = napi.Env;
const Value = napi.Value;
const Error = napi.Error;
const check = napi.check;

/// Null when error set `E` can travel in direction `dir`, else a short reason.
/// `anyerror` has no closed list of names to read one from.
pub fn unsupportedIn(comptime E: type) ?[]const u8 {
    if (compat.errorSetNames(E) == null) return "anyerror cannot be read from JS (its names are open-ended): use a named error set";
    if (compat.errorSetNames(E).?.len == 0) return "error set " ++ @typeName(E) ++ " has no names";
    return null;
}

/// `"A", "B"` for messages.
fn nameList(comptime E: type) []const u8 {
    comptime {
        var out: []const u8 = "";
        for (compat.errorSetNames(E).?, 0..) |n, i| out = out ++ (if (i == 0) "" else ", ") ++ "\"" ++ n ++ "\"";
        return out;
    }
}

fn longest(comptime E: type) usize {
    comptime {
        var m: usize = 0;
        for (compat.errorSetNames(E).?) |n| m = @max(m, n.len);
        return m;
    }
}

/// An error set or error union value as the payload of a reader's result: Zig allows no
/// `Error!E` of an error set, and 0.15 does not coerce into a nested `Error!(E!T)`, so
/// readers return these boxed (from_js.Read).
pub fn Box(comptime T: type) type {
    return struct { value: T };
}

/// The error of `E` named by the string `v`; a TypeError for anything else.
pub fn readName(comptime E: type, env: Env, v: Value, comptime where: []const u8) Error!Box(E) {
    // Room for one more UTF-8 sequence than the longest name, so a longer input
    // can never be truncated into a valid name.
    var buf: [longest(E) + 5]u8 = undefined;
    var n: usize = 0;
    const st = napi.napi_get_value_string_utf8(env, v, &buf, buf.len, &n);
    if (st == .string_expected) return napi.throwWrongType(env, v, where, "an error name (one of " ++ comptime nameList(E) ++ ")");
    try check(env, st);
    return byName(E, env, buf[0..n], where);
}

fn byName(comptime E: type, env: Env, name: []const u8, comptime where: []const u8) Error!Box(E) {
    inline for (comptime compat.errorSetNames(E).?) |known| {
        if (std.mem.eql(u8, name, known)) return .{ .value = @field(E, known) };
    }
    const list = comptime nameList(E);
    return napi.throwType(env, &.{ where ++ " must be one of " ++ list ++ ", got \"", name, "\"" });
}

/// The error's name as a new JS string.
pub fn writeName(env: Env, err: anyerror) Error!Value {
    const name = @errorName(err);
    var out: Value = undefined;
    try check(env, napi.napi_create_string_utf8(env, name.ptr, name.len, &out));
    return out;
}

/// Whether `v` is an `Error` (its prototype chain), without running JS.
pub fn isErrorObject(env: Env, v: Value) Error!bool {
    var is = false;
    try check(env, napi.napi_is_error(env, v, &is));
    return is;
}

/// The error of `E` named by the `code` of the `Error` `v` (reading `code` may run a getter).
pub fn readErrorObject(comptime E: type, env: Env, v: Value, comptime where: []const u8) Error!Box(E) {
    var code: Value = undefined;
    try check(env, napi.napi_get_named_property(env, v, "code", &code));
    return readName(E, env, code, where ++ ".code");
}

/// A new `Error` with `code` the error name and message `error.Name`, as a call throws.
pub fn writeErrorObject(env: Env, err: anyerror) Error!Value {
    const name = @errorName(err);
    var code: Value = undefined;
    try check(env, napi.napi_create_string_utf8(env, name.ptr, name.len, &code));
    var buf: [256]u8 = undefined;
    const text = std.fmt.bufPrint(&buf, "error.{s}", .{name}) catch "error";
    var msg: Value = undefined;
    try check(env, napi.napi_create_string_utf8(env, text.ptr, text.len, &msg));
    var out: Value = undefined;
    try check(env, napi.napi_create_error(env, code, msg, &out));
    return out;
}
