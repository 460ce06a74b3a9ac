//! Static root module of every zigimport addon. The build passes the user's
//! file as module `user` and the binding layer as module `zigimport`.

comptime {
    @import("zigimport").exportModule(@import("user"));
}
