//! CRC-32 in C, called from Zig, exported to JavaScript.
//! zigimport: link_libc=true, c_sources=crc.c, include_paths=.
//!
//! `@cImport` is gone in current Zig: declare the C functions you call with `extern fn`.

extern fn crc32_bytes(data: [*]const u8, len: usize) u32;
extern fn strlen(s: [*:0]const u8) usize;

/// CRC-32 of a string or bytes, computed by crc.c.
pub fn crc32(data: []const u8) u32 {
    return crc32_bytes(data.ptr, data.len);
}

/// Length of a NUL-terminated string, measured by libc's strlen.
pub fn cStrlen(text: [:0]const u8) usize {
    return strlen(text.ptr);
}
