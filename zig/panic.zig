//! Panic handling for addons.
//!
//! Debug and ReleaseSafe builds use Zig's full handler: the panic message and a stack trace
//! naming the user's file and line. Symbolizing the addon's own frames needs libc, so those
//! builds link it (`-lc`, added by the compile command). The trace machinery (about 0.5 s of
//! CPU per Debug compile) comes precompiled in the trace object (traces_object.zig), linked by
//! the compile command on Linux; without it (a Zig project's build.zig) it is compiled in.
//! ReleaseFast and ReleaseSmall builds use a lean handler that prints
//! `thread N panic: <msg>` and aborts, without compiling the trace machinery.
//!
//! A user file may declare its own `pub const panic` namespace, as in any Zig program,
//! and root.zig uses that instead.

const std = @import("std");
const builtin = @import("builtin");
const compat = @import("compat.zig");

/// The panic namespace root.zig exposes for module `User`: the user's own
/// `pub const panic` namespace when it declares one, else the lean handler.
pub fn Handler(comptime User: type) type {
    if (@hasDecl(User, "panic") and @TypeOf(User.panic) == type) return User.panic;
    if (builtin.os.tag != .linux) return std.debug.FullPanic(std.debug.defaultPanic);
    if (trace_object_linked) return std.debug.FullPanic(objectTrace);
    if (wantsTrace()) return std.debug.FullPanic(std.debug.defaultPanic);
    return std.debug.FullPanic(lean);
}

/// The trace object's panic handler (traces_object.zig): std's, compiled once, not per addon.
pub const trace_panic_symbol = "zigimport_trace_panic";

/// Whether this addon links the trace object: its root (root_traced.zig) says so.
pub const trace_object_linked = @hasDecl(@import("root"), "zigimport_trace_object_linked");

extern fn zigimport_trace_panic(msg_ptr: [*]const u8, msg_len: usize, first_trace_addr: usize) callconv(.c) noreturn;

fn objectTrace(msg: []const u8, first_trace_addr: ?usize) noreturn {
    @branchHint(.cold);
    zigimport_trace_panic(msg.ptr, msg.len, first_trace_addr orelse 0);
}

/// Stack traces in the modes meant for finding bugs, when libc is there to symbolize them.
fn wantsTrace() bool {
    return compat.safety and builtin.link_libc;
}

fn lean(msg: []const u8, first_trace_addr: ?usize) noreturn {
    @branchHint(.cold);
    _ = first_trace_addr;
    const linux = std.os.linux;
    const tid = linux.gettid();
    // A stack buffer (nothing is allocated in a panic); "thread 4294967295 panic: " fits.
    var prefix: [32]u8 = undefined;
    writeAll(std.fmt.bufPrint(&prefix, "thread {d} panic: ", .{@as(u32, @intCast(@max(tid, 0)))}) catch "thread ? panic: ");
    writeAll(msg);
    writeAll("\nnote: build in Debug or ReleaseSafe (ZIGIMPORT_OPTIMIZE) for a stack trace\n");
    // SIGABRT, like the default handler's abort(); it is 6 on every Linux arch.
    _ = linux.syscall2(.tkill, @as(usize, @intCast(@max(tid, 0))), 6);
    @trap();
}

/// Writes to stderr with plain syscalls: usable from a panic or a signal handler.
pub fn writeAll(bytes: []const u8) void {
    var rest = bytes;
    while (rest.len > 0) {
        const rc = std.os.linux.write(2, rest.ptr, rest.len);
        // Negative errno values come back as huge usize values.
        if (rc == 0 or rc > rest.len) return;
        rest = rest[rc..];
    }
}
