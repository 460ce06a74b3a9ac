//! Windows: Node-API functions resolved from the host process at load time.
//!
//! A Windows DLL cannot leave symbols undefined for the loading process to fill, as ELF and
//! Mach-O addons do. Linking against an import library for `node.exe` would tie the addon to a
//! host of that name (Bun, Electron and a renamed node.exe would fail to load it). Instead,
//! every Node-API function napi.zig declares is defined in the addon itself, as a forwarder
//! through a pointer that registration fills with `GetProcAddress(GetModuleHandleW(null), name)`:
//! whatever executable loaded the addon provides them (node-gyp's delay-load hook does the same).
//!
//! The list is napi.zig's own declarations, read at comptime: a function declared there is
//! forwarded here, with nothing written twice. On other systems this file does nothing.
const builtin = @import("builtin");
const compat = @import("compat.zig");
const napi = @import("napi.zig");

/// Only Windows needs forwarders.
pub const enabled = builtin.os.tag == .windows;

const Module = *opaque {};
extern "kernel32" fn GetModuleHandleW(name: ?[*:0]const u16) callconv(.winapi) ?Module;
extern "kernel32" fn GetProcAddress(module: Module, name: [*:0]const u8) callconv(.winapi) ?*const anyopaque;

/// Every `napi_*` function napi.zig declares (its `pub extern fn`s).
const names: []const [:0]const u8 = blk: {
    @setEvalBranchQuota(100_000);
    var found: []const [:0]const u8 = &.{};
    for (compat.declNames(napi)) |name| {
        // By name only: taking a declaration's type would reference the extern itself, which a
        // `zig test` executable (no Node host) cannot link. napi.zig names nothing else napi_*.
        if (!startsWith(name, "napi_")) continue;
        found = found ++ [_][:0]const u8{name};
    }
    break :blk found;
};

fn startsWith(text: []const u8, prefix: []const u8) bool {
    if (text.len < prefix.len) return false;
    for (text[0..prefix.len], prefix) |x, y| if (x != y) return false;
    return true;
}

/// The forwarder for napi.zig's `name`: the same signature, calling through `target`.
fn Forwarder(comptime name: [:0]const u8) type {
    const F = @TypeOf(@field(napi, name));
    const P = compat.fnParamTypes(F);
    const R = compat.fnReturnType(F).?;
    return struct {
        /// Filled by `resolve` before any Node-API call (registration's first step).
        var target: *const F = undefined;

        fn f0() callconv(.c) R {
            return target();
        }
        fn f1(a: P[0].?) callconv(.c) R {
            return target(a);
        }
        fn f2(a: P[0].?, b: P[1].?) callconv(.c) R {
            return target(a, b);
        }
        fn f3(a: P[0].?, b: P[1].?, c: P[2].?) callconv(.c) R {
            return target(a, b, c);
        }
        fn f4(a: P[0].?, b: P[1].?, c: P[2].?, d: P[3].?) callconv(.c) R {
            return target(a, b, c, d);
        }
        fn f5(a: P[0].?, b: P[1].?, c: P[2].?, d: P[3].?, e: P[4].?) callconv(.c) R {
            return target(a, b, c, d, e);
        }
        fn f6(a: P[0].?, b: P[1].?, c: P[2].?, d: P[3].?, e: P[4].?, f: P[5].?) callconv(.c) R {
            return target(a, b, c, d, e, f);
        }
        fn f7(a: P[0].?, b: P[1].?, c: P[2].?, d: P[3].?, e: P[4].?, f: P[5].?, g: P[6].?) callconv(.c) R {
            return target(a, b, c, d, e, f, g);
        }
        fn f8(a: P[0].?, b: P[1].?, c: P[2].?, d: P[3].?, e: P[4].?, f: P[5].?, g: P[6].?, h: P[7].?) callconv(.c) R {
            return target(a, b, c, d, e, f, g, h);
        }

        const forward = switch (P.len) {
            0 => f0,
            1 => f1,
            2 => f2,
            3 => f3,
            4 => f4,
            5 => f5,
            6 => f6,
            7 => f7,
            8 => f8,
            else => @compileError("host_api.zig: add a forwarder for " ++ name ++ "'s parameter count"),
        };
    };
}

// The forwarders take the names napi.zig's `extern fn`s refer to, so the linker binds those
// declarations to them instead of looking for an import library.
comptime {
    if (enabled) for (names) |name| @export(&Forwarder(name).forward, .{ .name = name });
}

/// Fills every forwarder's pointer from the host process. False when the host lacks one of
/// them (not a Node-API host): the addon must then not register, since any call would crash.
pub fn resolve() bool {
    if (!enabled) return true;
    const host = GetModuleHandleW(null) orelse return false;
    inline for (names) |name| {
        const found = GetProcAddress(host, name) orelse return false;
        Forwarder(name).target = @ptrCast(@alignCast(found));
    }
    return true;
}

test "the forwarded list is napi.zig's Node-API functions, and nothing else" {
    const std = @import("std");
    try std.testing.expect(names.len > 50);
    inline for (names) |name| try std.testing.expect(startsWith(name, "napi_"));
    try std.testing.expect(comptime contains(names, "napi_create_function"));
    try std.testing.expect(comptime !contains(names, "napi_register_module_v1"));
}

fn contains(list: []const [:0]const u8, wanted: []const u8) bool {
    for (list) |name| if (name.len == wanted.len and startsWith(name, wanted)) return true;
    return false;
}
