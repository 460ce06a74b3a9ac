//! What a WebAssembly build exports beyond the Node-API entry points, for emnapi (the JavaScript
//! implementation of Node-API that loads it, see src/wasm/load.ts): `malloc` and `free`, which
//! emnapi calls for the memory it hands to the module, and `napi_register_wasm_v1`, the name it
//! calls to build the exports object. Compiled only into wasm32 builds (zigimport.zig).

const std = @import("std");

/// emnapi's `free` gets only the pointer: each block starts with its size, padded to the
/// largest alignment C's malloc promises.
const header_size = 16;
const block_alignment: std.mem.Alignment = .@"16";

fn malloc(size: usize) callconv(.c) ?[*]u8 {
    const total = std.math.add(usize, size, header_size) catch return null;
    const block = std.heap.wasm_allocator.alignedAlloc(u8, block_alignment, total) catch return null;
    std.mem.writeInt(usize, block[0..@sizeOf(usize)], total, .little);
    return block.ptr + header_size;
}

fn free(ptr: ?[*]u8) callconv(.c) void {
    const p = ptr orelse return;
    const start: [*]align(16) u8 = @alignCast(p - header_size);
    const total = std.mem.readInt(usize, start[0..@sizeOf(usize)], .little);
    std.heap.wasm_allocator.free(start[0..total]);
}

/// Exports the allocator pair and `register` (the Node-API module entry) under emnapi's name.
pub fn exportEntry(comptime register: anytype) void {
    @export(&malloc, .{ .name = "malloc" });
    @export(&free, .{ .name = "free" });
    @export(register, .{ .name = "napi_register_wasm_v1" });
}

test "malloc and free round-trip a block" {
    if (!@import("builtin").cpu.arch.isWasm()) return error.SkipZigTest;
    const p = malloc(100) orelse return error.OutOfMemory;
    p[99] = 1;
    free(p);
    free(null);
}
