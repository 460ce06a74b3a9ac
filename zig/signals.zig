//! Stack overflow reports. Deep recursion runs a thread into its stack guard; the kernel raises
//! SIGSEGV and, with nothing else said, the process vanishes. Debug and ReleaseSafe addons on
//! Linux install a SIGSEGV/SIGBUS handler that prints
//!
//!     zigimport: stack overflow in recurse() (deep.zig:6)
//!         at recurse (/app/deep.zig:6:5)
//!         ...
//!
//! and then lets the process die of the same SIGSEGV (its exit status does not change).
//!
//! - The handler runs on an alternate signal stack (`sigaltstack`): the overflowed stack has no
//!   room left. Alternate stacks are per thread; each thread that registers the addon (the main
//!   thread, worker threads) gets one, and so does each libuv pool thread that runs an async Zig
//!   function (a `sigaltstack` query per async call). Other threads (ones user code spawns) are
//!   not covered: their overflow stays a silent SIGSEGV.
//! - A fault is taken as a stack overflow when its address lies within `overflow_window` of the
//!   interrupted stack pointer (a push, call or stack probe just past the guard), and as ours when
//!   one of the innermost frames is in this addon.
//! - Everything else goes to the handler that was there before: Node's, which turns WebAssembly
//!   out-of-bounds accesses into a `RuntimeError` (V8's trap handler on x64 Linux), or another
//!   addon's, which chains the same way. Each addon installs once per process, on registration.
//! - ReleaseFast and ReleaseSmall builds install nothing (no libc to symbolize with, see panic.zig).

const std = @import("std");
const builtin = @import("builtin");
const compat = @import("compat.zig");
const panic = @import("panic.zig");

/// Whether this build reports stack overflows: the modes meant for finding bugs, on Linux, where
/// those builds link libc (symbolizing the addon's frames needs it).
pub const enabled = builtin.os.tag == .linux and compat.safety and builtin.link_libc and
    (builtin.cpu.arch == .x86_64 or builtin.cpu.arch == .aarch64);

/// The trace object's copies of `install` and `useAltStack` (traces_object.zig): an addon that
/// links it calls those, so that the unwinder and symbolizer of `onFault` are not compiled into
/// it again.
pub const install_symbol = "zigimport_install_fault_handler";
pub const alt_stack_symbol = "zigimport_use_alt_stack";
extern fn zigimport_install_fault_handler() callconv(.c) void;
extern fn zigimport_use_alt_stack() callconv(.c) void;

/// Bytes of alternate stack per thread: symbolizing (DWARF parsing) needs about 128 KiB, as
/// measured by std for its own handler; pages nobody touches cost nothing.
const alt_stack_size = 256 * 1024;

/// An existing alternate stack at least this big is kept (someone else set it up).
const alt_stack_min = 64 * 1024;

/// A fault this close to the stack pointer is the stack running out: a push or call writes just
/// below it, a stack probe of a large frame at most a probe interval (a page) further.
const overflow_window = 64 * 1024;

/// Frames unwound to find the addon and the function to name; the first `frames_shown` are printed.
const frames_unwound = 32;
const frames_shown = 8;

/// Symbol names are module-qualified; the imported file is the module named "user" (root.zig).
const user_prefix = "user.";

var installed = std.atomic.Value(bool).init(false);
var reporting = std.atomic.Value(bool).init(false);
var previous_segv: std.posix.Sigaction = undefined;
var previous_bus: std.posix.Sigaction = undefined;

/// Called when the addon registers on a thread: gives the thread an alternate stack, and installs
/// the handler once per process.
pub fn install() void {
    if (panic.trace_object_linked) return zigimport_install_fault_handler();
    if (!enabled) return;
    useAltStack();
    if (installed.swap(true, .acq_rel)) return;
    const action: std.posix.Sigaction = .{
        .handler = .{ .sigaction = onFault },
        .mask = std.posix.sigemptyset(),
        .flags = std.posix.SA.SIGINFO | std.posix.SA.ONSTACK,
    };
    // Read the previous action before replacing it: the handler may run as soon as it is in place.
    std.posix.sigaction(compat.sig_segv, null, &previous_segv);
    std.posix.sigaction(compat.sig_bus, null, &previous_bus);
    std.posix.sigaction(compat.sig_segv, &action, null);
    std.posix.sigaction(compat.sig_bus, &action, null);
}

/// Gives the calling thread an alternate signal stack unless it has a big enough one.
pub fn useAltStack() void {
    if (panic.trace_object_linked) return zigimport_use_alt_stack();
    if (!enabled) return;
    var current: std.posix.stack_t = undefined;
    std.posix.sigaltstack(null, &current) catch return;
    const disabled = current.flags & std.c.SS.DISABLE != 0;
    if (!disabled and current.size >= alt_stack_min) return;
    // Never freed: it lives as long as the thread, and pool threads live as long as the process.
    const memory = std.heap.page_allocator.alloc(u8, alt_stack_size) catch return;
    var stack: std.posix.stack_t = .{ .sp = memory.ptr, .flags = 0, .size = memory.len };
    std.posix.sigaltstack(&stack, null) catch std.heap.page_allocator.free(memory);
}

fn onFault(sig: compat.HandlerSignal, info: *const std.posix.siginfo_t, ctx: ?*anyopaque) callconv(.c) void {
    if (isStackOverflow(info, ctx) and reportIfOurs(ctx)) {
        // Returning re-runs the faulting instruction under the default action: the process ends
        // with SIGSEGV, as it would have without us.
        restoreDefault(compat.sig_segv);
        restoreDefault(compat.sig_bus);
        return;
    }
    chain(sig, info, ctx);
}

fn isStackOverflow(info: *const std.posix.siginfo_t, ctx: ?*anyopaque) bool {
    // Kernel-made faults only (SEGV_MAPERR, SEGV_ACCERR, BUS_*), not kill(), not SI_KERNEL
    // (a general protection fault has no address).
    const si_kernel = 0x80;
    if (info.code <= 0 or info.code >= si_kernel) return false;
    const regs = compat.signalRegisters(ctx) orelse return false;
    const address = @intFromPtr(info.fields.sigfault.addr);
    const distance = if (address >= regs.sp) address - regs.sp else regs.sp - address;
    return distance <= overflow_window;
}

/// Prints the report when one of the innermost frames is in this addon; false leaves the fault
/// to the previous handler (another addon's, or Node's).
fn reportIfOurs(ctx: ?*anyopaque) bool {
    var buffer: [frames_unwound]usize = undefined;
    const frames = compat.unwindFromSignal(ctx, &buffer);
    const own = compat.moduleName(@intFromPtr(&onFault)) orelse return false;
    const ours = for (frames) |address| {
        const module = compat.moduleName(address) orelse continue;
        if (std.mem.eql(u8, module, own)) break true;
    } else false;
    if (!ours) return false;
    // A second thread overflowing meanwhile dies without a second report.
    if (reporting.swap(true, .acq_rel)) return true;
    var text: [4096]u8 = undefined;
    var out = std.Io.Writer.fixed(&text);
    writeReport(&out, frames) catch {};
    panic.writeAll(out.buffered());
    return true;
}

fn writeReport(out: *std.Io.Writer, frames: []const usize) std.Io.Writer.Error!void {
    var places: [frames_unwound]compat.CodeLocation = undefined;
    for (frames, 0..) |address, i| places[i] = compat.codeLocation(address);
    // Name the innermost function of the user's file (the overflow may hit inside std or libc).
    var named: compat.CodeLocation = if (frames.len > 0) places[0] else .{};
    for (places[0..frames.len]) |place| {
        const function = place.function orelse continue;
        if (std.mem.startsWith(u8, function, user_prefix)) {
            named = place;
            break;
        }
    }
    try out.print("zigimport: stack overflow in {s}()", .{shortName(named.function)});
    if (named.file) |file| try out.print(" ({s}:{d})", .{ std.fs.path.basename(file), named.line });
    try out.writeAll("\n");
    for (places[0..@min(frames.len, frames_shown)], frames[0..@min(frames.len, frames_shown)]) |place, address| {
        try out.print("    at {s}", .{shortName(place.function)});
        if (place.file) |file| {
            var normal: [1024]u8 = undefined;
            try out.print(" ({s}:{d}:{d})\n", .{ withoutDotDot(file, &normal), place.line, place.column });
        } else {
            try out.print(" (0x{x})\n", .{address});
        }
    }
    if (frames.len > frames_shown) try out.writeAll("    ...\n");
}

/// `/a/tmp/b/../../c.zig` as `/a/c.zig`: ReleaseSafe debug info names files relative to the
/// compile's temporary folder. Paths that do not fit `buffer`, or are relative, stay as they are.
fn withoutDotDot(file: []const u8, buffer: []u8) []const u8 {
    if (file.len == 0 or file[0] != '/' or std.mem.indexOf(u8, file, "/..") == null) return file;
    var len: usize = 0;
    var parts = std.mem.tokenizeScalar(u8, file, '/');
    while (parts.next()) |part| {
        if (std.mem.eql(u8, part, ".")) continue;
        if (std.mem.eql(u8, part, "..")) {
            len = std.mem.lastIndexOfScalar(u8, buffer[0..len], '/') orelse 0;
            continue;
        }
        if (len + 1 + part.len > buffer.len) return file;
        buffer[len] = '/';
        @memcpy(buffer[len + 1 ..][0..part.len], part);
        len += 1 + part.len;
    }
    return if (len == 0) "/" else buffer[0..len];
}

test withoutDotDot {
    var buffer: [64]u8 = undefined;
    try std.testing.expectEqualStrings("/a/c.zig", withoutDotDot("/a/tmp/b/../../c.zig", &buffer));
    try std.testing.expectEqualStrings("/x/./y.zig", withoutDotDot("/x/./y.zig", &buffer));
    try std.testing.expectEqualStrings("rel/../y.zig", withoutDotDot("rel/../y.zig", &buffer));
    try std.testing.expectEqualStrings("/y.zig", withoutDotDot("/../../y.zig", &buffer));
}

fn shortName(function: ?[]const u8) []const u8 {
    const name = function orelse return "???";
    return if (std.mem.startsWith(u8, name, user_prefix)) name[user_prefix.len..] else name;
}

/// Hands the fault to the handler that was installed before ours.
fn chain(sig: compat.HandlerSignal, info: *const std.posix.siginfo_t, ctx: ?*anyopaque) void {
    const is_bus = compat.signalNumber(sig) == compat.signalNumber(compat.sig_bus);
    const previous = if (is_bus) &previous_bus else &previous_segv;
    if (previous.flags & std.posix.SA.SIGINFO != 0) {
        if (previous.handler.sigaction) |handler| return handler(sig, info, ctx);
    } else if (previous.handler.handler) |handler| {
        // 0 is SIG_DFL (null above) and 1 is SIG_IGN: neither is a function to call.
        if (@intFromPtr(handler) > 1) return handler(sig);
    }
    // The default action: restore it. A fault the kernel made happens again on return and ends
    // the process; a signal someone sent is sent again.
    restoreDefault(if (is_bus) compat.sig_bus else compat.sig_segv);
    if (info.code <= 0) {
        const linux = std.os.linux;
        _ = linux.syscall2(.tkill, @as(usize, @intCast(@max(linux.gettid(), 0))), compat.signalNumber(sig));
    }
}

fn restoreDefault(sig: compat.Signal) void {
    const action: std.posix.Sigaction = .{
        .handler = .{ .handler = null },
        .mask = std.posix.sigemptyset(),
        .flags = 0,
    };
    std.posix.sigaction(sig, &action, null);
}
