//! Root of the trace object: the stack trace machinery of Debug and ReleaseSafe addons
//! (std.debug's DWARF reader and unwinder, for panic traces and stack overflow reports), compiled
//! once per Zig version and mode into an object file that every such addon links
//! (src/compile/trace-object.ts), instead of into every addon: it was about 0.5 s of each Debug
//! compile's 0.7 s of CPU time.
//!
//! Built with libc (`-lc`: symbolizing finds loaded modules with `dl_iterate_phdr`) and linked
//! into the addon, so `dl_iterate_phdr` and the addresses it symbolizes are the addon's own.
//! The functions are hidden: each addon calls its own copy, never another addon's.

const std = @import("std");
const panic = @import("panic.zig");
const signals = @import("signals.zig");

fn tracePanic(msg_ptr: [*]const u8, msg_len: usize, first_trace_addr: usize) callconv(.c) noreturn {
    std.debug.defaultPanic(msg_ptr[0..msg_len], if (first_trace_addr == 0) null else first_trace_addr);
}

fn installFaultHandler() callconv(.c) void {
    signals.install();
}

fn useAltStack() callconv(.c) void {
    signals.useAltStack();
}

comptime {
    @export(&tracePanic, .{ .name = panic.trace_panic_symbol, .visibility = .hidden });
    @export(&installFaultHandler, .{ .name = signals.install_symbol, .visibility = .hidden });
    @export(&useAltStack, .{ .name = signals.alt_stack_symbol, .visibility = .hidden });
}
