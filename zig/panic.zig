//! Panic handling for addons. Zig's default handler prints a stack trace,
//! but compiling its trace machinery (DWARF reading, unwinding) costs about
//! half a second of every Debug build, and inside a shared object without
//! libc it cannot even find the addon's own debug info on Zig 0.16+. So the
//! default here prints the panic message in the usual
//! `thread N panic: <msg>` form and aborts the process.
//!
//! A user file that wants full stack traces declares, as in any Zig program,
//!     pub const panic = @import("std").debug.FullPanic(@import("std").debug.defaultPanic);
//! and root.zig uses that instead (symbolized frames need the build to link
//! libc: `-lc`).

const std = @import("std");
const builtin = @import("builtin");
const napi = @import("napi.zig");

/// The panic namespace root.zig exposes for module `User`: the user's own
/// `pub const panic` namespace when it declares one, else the lean handler.
pub fn Handler(comptime User: type) type {
    if (@hasDecl(User, "panic") and @TypeOf(User.panic) == type) return User.panic;
    if (builtin.os.tag != .linux) return std.debug.FullPanic(std.debug.defaultPanic);
    return std.debug.FullPanic(lean);
}

fn lean(msg: []const u8, first_trace_addr: ?usize) noreturn {
    @branchHint(.cold);
    _ = first_trace_addr;
    const linux = std.os.linux;
    var num: [20]u8 = undefined;
    const tid = linux.gettid();
    writeAll("thread ");
    writeAll(napi.formatUnsigned(&num, @intCast(@max(tid, 0))));
    writeAll(" panic: ");
    writeAll(msg);
    writeAll("\nnote: for a stack trace, declare in the .zig file: " ++
        "pub const panic = @import(\"std\").debug.FullPanic(@import(\"std\").debug.defaultPanic);\n");
    // SIGABRT, like the default handler's abort(); it is 6 on every Linux arch.
    _ = linux.syscall2(.tkill, @as(usize, @intCast(@max(tid, 0))), 6);
    @trap();
}

fn writeAll(bytes: []const u8) void {
    var rest = bytes;
    while (rest.len > 0) {
        const rc = std.os.linux.write(2, rest.ptr, rest.len);
        // Negative errno values come back as huge usize values.
        if (rc == 0 or rc > rest.len) return;
        rest = rest[rc..];
    }
}
