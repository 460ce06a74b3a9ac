//! The call-overhead benchmark as WebAssembly built by Zig:
//!   zig build-exe calls.zig -target wasm32-freestanding -fno-entry -rdynamic -O ReleaseFast
//! Strings and arrays travel through `alloc`/`free` and views over the exported memory; a struct
//! is passed as its fields; a returned string is a pointer and a length (see `greetingLen`).
const std = @import("std");
const allocator = std.heap.wasm_allocator;

export fn alloc(len: usize) ?[*]u8 {
    const buf = allocator.alignedAlloc(u8, .@"16", len) catch return null;
    return buf.ptr;
}

export fn free(ptr: [*]u8, len: usize) void {
    allocator.free(@as([*]align(16) u8, @alignCast(ptr))[0..len]);
}

export fn addF64(a: f64, b: f64) f64 {
    return a + b;
}

export fn addI32(a: i32, b: i32) i32 {
    return a +% b;
}

export fn addI64(a: i64, b: i64) i64 {
    return a +% b;
}

export fn byteSum(ptr: [*]const u8, len: usize) u32 {
    var total: u32 = 0;
    for (ptr[0..len]) |c| total +%= c;
    return total;
}

export fn weigh(x: f64, y: f64, z: f64) f64 {
    return x + 2 * y + 3 * z;
}

const hello = "Hello, World!";

export fn greeting() [*]const u8 {
    return hello;
}

export fn greetingLen() usize {
    return hello.len;
}

export fn sum(ptr: [*]const f64, len: usize) f64 {
    var total: f64 = 0;
    for (ptr[0..len]) |v| total += v;
    return total;
}
