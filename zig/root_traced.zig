//! Root module of Debug and ReleaseSafe addons on Linux: root.zig, plus the declaration that
//! tells panic.zig and signals.zig that the trace object (traces_object.zig, built once and
//! linked by the compile command) provides the stack trace machinery.

pub const user = @import("user");
pub const zigimport = @import("zigimport");

/// Read by panic.zig and signals.zig through `@import("root")`.
pub const zigimport_trace_object_linked = true;

pub const panic = zigimport.PanicHandler(user);

comptime {
    zigimport.exportModule(user);
}
