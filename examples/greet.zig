//! Greeting with an injected allocator and keyword arguments.
const std = @import("std");

/// Called from JavaScript as `hello("World")` or `hello({ name: "World" })`. zigimport passes the
/// allocator (it is not a JavaScript argument) and frees what it allocated once the returned
/// string has been copied into JavaScript.
pub fn hello(allocator: std.mem.Allocator, args: struct { name: []const u8 }) ![]const u8 {
    return std.fmt.allocPrint(allocator, "Hello, {s}!", .{args.name});
}
