//! Every access to `@typeInfo` whose shape differs between the Zig releases we
//! support lives here, so the rest of the binding layer reads types through
//! plain helpers and never touches version-specific field names.
//!
//! Zig 0.17 stores reflection data as struct-of-arrays (`field_names`,
//! `field_types`, `param_types`, `decl_names`, pointer `attrs`), while 0.15
//! and 0.16 use arrays of per-item structs (`fields`, `params`, `decls`,
//! `is_const`). Tag names of `std.builtin.Type` (`.int`, `.@"struct"`, ...)
//! are the same in all three, so callers may still switch on them directly.
//!
//! All helpers are meant to be called at comptime only.

const builtin = @import("builtin");
const std = @import("std");

/// True on Zig 0.17 and later (struct-of-arrays reflection).
pub const soa = builtin.zig_version.order(.{ .major = 0, .minor = 17, .patch = 0 }) != .lt;

/// Debug build (0.17 renamed the optimize modes to .debug/.safe/.fast/.small).
pub const debug = if (soa) builtin.mode == .debug else builtin.mode == .Debug;

/// Built with safety checks on: Debug or ReleaseSafe (renamed .debug/.safe in 0.17).
pub const safety = if (soa)
    (builtin.mode == .debug or builtin.mode == .safe)
else
    (builtin.mode == .Debug or builtin.mode == .ReleaseSafe);

// ------------------------------------------------ pre-0.17 list conversion

/// `.name` of each element of a pre-0.17 `fields`/`decls`/error list, as 0.17 lists them.
fn namesOf(comptime list: anytype) []const [:0]const u8 {
    var names: [list.len][:0]const u8 = undefined;
    for (list, 0..) |item, i| names[i] = item.name;
    const final = names;
    return &final;
}

/// `.type` of each element of a pre-0.17 `fields` list, as 0.17 lists them.
fn typesOf(comptime list: anytype) []const type {
    var types: [list.len]type = undefined;
    for (list, 0..) |item, i| types[i] = item.type;
    const final = types;
    return &final;
}

// ---------------------------------------------------------------- structs

pub fn structFieldNames(comptime T: type) []const [:0]const u8 {
    const info = @typeInfo(T).@"struct";
    if (soa) return info.field_names;
    return comptime namesOf(info.fields);
}

pub fn structFieldTypes(comptime T: type) []const type {
    const info = @typeInfo(T).@"struct";
    if (soa) return info.field_types;
    return comptime typesOf(info.fields);
}

pub fn isTuple(comptime T: type) bool {
    return @typeInfo(T).@"struct".is_tuple;
}

/// Type-erased pointer to the default value of field `i`, or null.
fn fieldDefaultPtr(comptime T: type, comptime i: usize) ?*const anyopaque {
    const info = @typeInfo(T).@"struct";
    if (soa) return info.field_attrs[i].default_value_ptr;
    return info.fields[i].default_value_ptr;
}

pub fn fieldHasDefault(comptime T: type, comptime i: usize) bool {
    return fieldDefaultPtr(T, i) != null;
}

/// Default value of field `i` of struct `T` (null when it has none).
pub fn fieldDefault(comptime T: type, comptime i: usize) ?structFieldTypes(T)[i] {
    const F = comptime structFieldTypes(T)[i];
    const p = fieldDefaultPtr(T, i) orelse return null;
    const typed: *const F = @ptrCast(@alignCast(p));
    return typed.*;
}

pub fn isComptimeField(comptime T: type, comptime i: usize) bool {
    const info = @typeInfo(T).@"struct";
    if (soa) return info.field_attrs[i].@"comptime";
    return info.fields[i].is_comptime;
}

// ----------------------------------------------------------- declarations

/// Names of the public declarations of a struct, enum, union or opaque type.
pub fn declNames(comptime T: type) []const [:0]const u8 {
    switch (@typeInfo(T)) {
        inline .@"struct", .@"enum", .@"union", .@"opaque" => |info| {
            if (soa) return info.decl_names;
            return comptime namesOf(info.decls);
        },
        else => return &.{},
    }
}

// -------------------------------------------------------------- functions

pub fn fnIsGeneric(comptime F: type) bool {
    return @typeInfo(F).@"fn".is_generic;
}

pub fn fnIsVarArgs(comptime F: type) bool {
    const info = @typeInfo(F).@"fn";
    if (soa) return info.attrs.varargs;
    return info.is_var_args;
}

/// Whether `F` uses the default (Zig) calling convention.
pub fn fnIsAutoCallconv(comptime F: type) bool {
    const info = @typeInfo(F).@"fn";
    if (soa) return info.attrs.@"callconv" == .auto;
    return info.calling_convention == .auto;
}

/// Parameter types; a null entry is an `anytype` (or otherwise generic) parameter.
pub fn fnParamTypes(comptime F: type) []const ?type {
    const info = @typeInfo(F).@"fn";
    if (soa) return info.param_types;
    return comptime blk: {
        var types: [info.params.len]?type = undefined;
        for (info.params, 0..) |p, i| types[i] = p.type;
        const final = types;
        break :blk &final;
    };
}

/// Return type, or null when it depends on a generic parameter.
pub fn fnReturnType(comptime F: type) ?type {
    return @typeInfo(F).@"fn".return_type;
}

/// The value a result type `R` carries: the payload of an error union, else `R` itself.
pub fn payloadOf(comptime R: type) type {
    return switch (@typeInfo(R)) {
        .error_union => |eu| eu.payload,
        else => R,
    };
}

// ------------------------------------------------------------------ enums

pub fn enumFieldNames(comptime E: type) []const [:0]const u8 {
    const info = @typeInfo(E).@"enum";
    if (soa) return info.field_names;
    return comptime namesOf(info.fields);
}

/// The tag integer of an enum value. Not `@intFromEnum`/`@enumFromInt`: 0.17's `zig fmt`
/// rewrites them to `@backingInt`/`@fromBackingInt`, which 0.15 lacks (see signalNumber).
pub fn enumInt(value: anytype) @typeInfo(@TypeOf(value)).@"enum".tag_type {
    const Packed = packed struct { e: @TypeOf(value) };
    return @bitCast(Packed{ .e = value });
}

/// The value of non-exhaustive enum `E` with tag integer `int` (every integer is one).
pub fn enumFromInt(comptime E: type, int: @typeInfo(E).@"enum".tag_type) E {
    const Packed = packed struct { e: E };
    const p: Packed = @bitCast(int);
    return p.e;
}

pub fn enumIsExhaustive(comptime E: type) bool {
    const info = @typeInfo(E).@"enum";
    if (soa) return info.mode == .exhaustive;
    return info.is_exhaustive;
}

// ----------------------------------------------------------------- unions

pub fn unionFieldNames(comptime U: type) []const [:0]const u8 {
    const info = @typeInfo(U).@"union";
    if (soa) return info.field_names;
    return comptime namesOf(info.fields);
}

pub fn unionFieldTypes(comptime U: type) []const type {
    const info = @typeInfo(U).@"union";
    if (soa) return info.field_types;
    return comptime typesOf(info.fields);
}

// ------------------------------------------------------------- error sets

/// Names of the errors in error set `E`, or null for `anyerror`, sorted: Zig lists them in the
/// order the compiler first met each name, which differs between targets (native, wasm32), and
/// the messages and the descriptor must not.
pub fn errorSetNames(comptime E: type) ?[]const [:0]const u8 {
    const names = (comptime unsortedNames(E)) orelse return null;
    return comptime sortedNames(names);
}

fn unsortedNames(comptime E: type) ?[]const [:0]const u8 {
    const info = @typeInfo(E).error_set;
    if (soa) return info.error_names;
    const list = info orelse return null;
    return comptime namesOf(list);
}

fn sortedNames(comptime list: []const [:0]const u8) []const [:0]const u8 {
    @setEvalBranchQuota(10_000 + 100 * list.len * list.len);
    var names: [list.len][:0]const u8 = list[0..list.len].*;
    std.mem.sortUnstable([:0]const u8, &names, {}, lessThan);
    const final = names;
    return &final;
}

fn lessThan(_: void, a: [:0]const u8, b: [:0]const u8) bool {
    return std.mem.lessThan(u8, a, b);
}

// ---------------------------------------------------------------- threads

/// Id of the calling thread, without thread-local storage (see call.zig).
pub fn threadId() u64 {
    if (builtin.os.tag == .linux) return @intCast(std.os.linux.gettid());
    // WebAssembly builds have one thread (zig/wasm.zig).
    if (builtin.cpu.arch.isWasm()) return 0;
    return @intCast(std.Thread.getCurrentId());
}

// --------------------------------------------------------------- pointers

pub fn isConstPointer(comptime P: type) bool {
    const info = @typeInfo(P).pointer;
    if (soa) return info.attrs.@"const";
    return info.is_const;
}

pub fn isVolatilePointer(comptime P: type) bool {
    const info = @typeInfo(P).pointer;
    if (soa) return info.attrs.@"volatile";
    return info.is_volatile;
}

// ----------------------------------------------------------- crash reports
//
// Zig 0.16 rewrote std.debug: a signal context is read through `cpu_context.Native`, unwinding
// goes through `captureCurrentStackTrace`, and symbols through `SelfInfo.getSymbols` with an
// `Io`; signal numbers became the `SIG` enum. 0.15 has `posix.ucontext_t`, `StackIterator` and
// `Module.getSymbolAtAddress`. These helpers run inside a signal handler (signals.zig).

const new_debug = @hasDecl(std.debug, "cpu_context");
const sig_is_enum = @typeInfo(std.posix.SIG) == .@"enum";

/// A signal as `std.posix.sigaction` takes it.
pub const Signal = if (sig_is_enum) std.posix.SIG else u8;
/// A signal as a `Sigaction.sigaction_fn` handler receives it.
pub const HandlerSignal = if (sig_is_enum) std.posix.SIG else i32;

pub const sig_segv: Signal = if (sig_is_enum) .SEGV else std.posix.SIG.SEGV;
pub const sig_bus: Signal = if (sig_is_enum) .BUS else std.posix.SIG.BUS;

/// The number of a `Signal` or `HandlerSignal`.
pub fn signalNumber(sig: anytype) u32 {
    const S = @TypeOf(sig);
    if (@typeInfo(S) != .@"enum") return @intCast(sig);
    // Not `@intFromEnum`: 0.17's `zig fmt` rewrites it to `@backingInt`, which 0.15 lacks. A
    // packed struct around the enum bit-casts to its tag integer on every release.
    const Packed = packed struct { sig: S };
    return @as(@typeInfo(S).@"enum".tag_type, @bitCast(Packed{ .sig = sig }));
}

test "signalNumber on enum and integer signals" {
    if (builtin.os.tag != .linux) return error.SkipZigTest;
    // SIGSEGV is 11 and SIGBUS 7 on x86_64 and aarch64 Linux.
    try std.testing.expectEqual(@as(u32, 11), signalNumber(sig_segv));
    try std.testing.expectEqual(@as(u32, 7), signalNumber(sig_bus));
    try std.testing.expectEqual(@as(u32, 11), signalNumber(@as(i32, 11)));
}

/// Program counter and stack pointer of the thread a signal interrupted (Linux x86_64 and
/// aarch64; null elsewhere).
pub const Registers = struct { pc: usize, sp: usize };

pub fn signalRegisters(ctx: ?*anyopaque) ?Registers {
    if (ctx == null) return null;
    if (new_debug) {
        const native = std.debug.cpu_context.fromPosixSignalContext(ctx) orelse return null;
        return switch (builtin.cpu.arch) {
            .x86_64 => .{ .pc = @intCast(native.gprs.get(.rip)), .sp = @intCast(native.gprs.get(.rsp)) },
            .aarch64 => .{ .pc = @intCast(native.pc), .sp = @intCast(native.sp) },
            else => null,
        };
    }
    // Some kernels do not align the context: read it as align(1), as std's own handler does.
    const uc: *align(1) const std.posix.ucontext_t = @ptrCast(ctx);
    return switch (builtin.cpu.arch) {
        .x86_64 => .{ .pc = uc.mcontext.gregs[std.posix.REG.RIP], .sp = uc.mcontext.gregs[std.posix.REG.RSP] },
        .aarch64 => .{ .pc = uc.mcontext.pc, .sp = uc.mcontext.sp },
        else => null,
    };
}

/// Code addresses of the interrupted thread, innermost first: the faulting instruction, then for
/// each caller an address inside its call instruction. At most `out.len`.
pub fn unwindFromSignal(ctx: ?*anyopaque, out: []usize) []usize {
    if (out.len == 0) return out[0..0];
    if (new_debug) {
        const native = std.debug.cpu_context.fromPosixSignalContext(ctx) orelse return out[0..0];
        // Every entry is a return address; the first is the faulting pc plus one.
        const trace = std.debug.captureCurrentStackTrace(.{ .context = &native, .allow_unsafe_unwind = true }, out);
        for (trace.return_addresses) |*address| address.* -|= 1;
        return trace.return_addresses;
    }
    const regs = signalRegisters(ctx) orelse return out[0..0];
    out[0] = regs.pc;
    var n: usize = 1;
    const info = std.debug.getSelfDebugInfo() catch return out[0..n];
    var uc: std.posix.ucontext_t = @as(*align(1) const std.posix.ucontext_t, @ptrCast(ctx)).*;
    std.debug.relocateContext(&uc);
    var it = std.debug.StackIterator.initWithContext(null, info, &uc) catch return out[0..n];
    defer it.deinit();
    while (n < out.len) : (n += 1) {
        const return_address = it.next() orelse break;
        if (return_address == 0) break;
        out[n] = return_address - 1;
    }
    return out[0..n];
}

/// Where a code address is: function name, source file, line (null parts when unknown).
pub const CodeLocation = struct {
    function: ?[]const u8 = null,
    file: ?[]const u8 = null,
    line: u64 = 0,
    column: u64 = 0,
};

pub fn codeLocation(address: usize) CodeLocation {
    const info = std.debug.getSelfDebugInfo() catch return .{};
    if (new_debug) {
        const gpa = std.debug.getDebugInfoAllocator();
        var symbols: std.ArrayList(std.debug.Symbol) = .empty;
        info.getSymbols(std.Options.debug_io, gpa, gpa, address, false, &symbols) catch return .{};
        if (symbols.items.len == 0) return .{};
        const symbol = symbols.items[0];
        const at = symbol.source_location;
        return .{
            .function = symbol.name,
            .file = if (at) |l| l.file_name else null,
            .line = if (at) |l| l.line else 0,
            .column = if (at) |l| l.column else 0,
        };
    }
    const module = info.getModuleForAddress(address) catch return .{};
    const symbol = module.getSymbolAtAddress(info.allocator, address) catch return .{};
    const at = symbol.source_location;
    return .{
        .function = if (std.mem.eql(u8, symbol.name, "???")) null else symbol.name,
        .file = if (at) |l| l.file_name else null,
        .line = if (at) |l| l.line else 0,
        .column = if (at) |l| l.column else 0,
    };
}

/// Path of the loaded object (executable or shared library) holding a code address.
pub fn moduleName(address: usize) ?[]const u8 {
    const info = std.debug.getSelfDebugInfo() catch return null;
    if (new_debug) return info.getModuleName(std.Options.debug_io, address) catch null;
    return info.getModuleNameForAddress(address);
}

// ------------------------------------------------------------------ tests

test "struct reflection" {
    const S = struct { a: u8, b: f64 = 2.5 };
    try std.testing.expectEqualStrings("a", structFieldNames(S)[0]);
    try std.testing.expect(comptime structFieldTypes(S)[1] == f64);
    try std.testing.expect(!fieldHasDefault(S, 0));
    try std.testing.expectEqual(@as(?f64, 2.5), fieldDefault(S, 1));
}

test "fn and enum reflection" {
    const E = enum { red, green };
    const f = struct {
        fn f(a: i32, b: anytype) void {
            _ = a;
            _ = b;
        }
        fn g(a: u8) E {
            _ = a;
            return .red;
        }
    };
    try std.testing.expect(fnIsGeneric(@TypeOf(f.f)));
    try std.testing.expect(comptime fnParamTypes(@TypeOf(f.f))[1] == null);
    try std.testing.expect(comptime fnReturnType(@TypeOf(f.g)).? == E);
    try std.testing.expectEqualStrings("green", enumFieldNames(E)[1]);
    try std.testing.expect(enumIsExhaustive(E));
    try std.testing.expect(isConstPointer([]const u8));
    try std.testing.expect(!isConstPointer([]u8));
}

test "error set names are sorted, whatever order the source gives" {
    const names = errorSetNames(error{ NotFound, AccessDenied, Busy }).?;
    try std.testing.expectEqualStrings("AccessDenied", names[0]);
    try std.testing.expectEqualStrings("Busy", names[1]);
    try std.testing.expectEqualStrings("NotFound", names[2]);
    try std.testing.expect(errorSetNames(anyerror) == null);
}
