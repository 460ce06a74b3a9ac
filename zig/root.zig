//! Static root module of every zigimport addon. The build passes the user's
//! file as module `user` and the binding layer as module `zigimport`.

/// Public so the binding layer can reach them as `@import("root").user` and
/// `@import("root").zigimport`.
pub const user = @import("user");
pub const zigimport = @import("zigimport");

/// Zig panics print their message and abort; a user file may declare its own
/// `pub const panic` namespace (e.g. std's, for stack traces).
pub const panic = zigimport.PanicHandler(user);

comptime {
    zigimport.exportModule(user);
}
