//! `pub var` declarations as live accessors: a getter that converts the variable's current value
//! (to_js) on every read, and a setter that converts the assigned JS value (from_js, with the
//! argument rules and messages, the variable's qualified name as `where`) and stores it. Zig code
//! and JS see one variable: nothing is cached on the JS side.
//!
//! Memory: a value that holds pointers (a `[]const u8` string, a slice, a struct with one) is read
//! into an arena owned by that variable, created for that assignment. The next assignment from JS
//! frees it, so the memory lives exactly as long as the variable may still point into it: memory
//! Zig code put there itself (a literal, its own allocation) is never freed by zigimport. Zig code
//! that keeps a copy of such a slice past the next JS assignment must copy the bytes.
//!
//! A variable is one per process: workers loading the module share it. Assignments from JS are
//! serialised (so memory is freed exactly once); reads on one thread while another assigns are a
//! data race, as in Zig code.

const std = @import("std");
const napi = @import("napi.zig");
const types = @import("types.zig");
const compat = @import("compat.zig");
const to_js = @import("to_js.zig");
const from_js = @import("from_js.zig");
const call = @import("call.zig");
const function = @import("function.zig");
const instance = @import("instance.zig");

/// Where assigned values live: the long-lived allocator of class instances (malloc, or Zig's
/// general-purpose allocator), not a page per assignment.
const gpa = instance.gpa;

const Env = napi.Env;
const Value = napi.Value;

/// The type read and written from JS: the payload of an error union.
pub fn Payload(comptime V: type) type {
    return if (@typeInfo(V) == .error_union) @typeInfo(V).error_union.payload else V;
}

/// Null when a variable of type `V` can be exported (at least read), else why not.
pub fn unsupported(comptime V: type) ?[]const u8 {
    const T = Payload(V);
    if (holdsClass(T, 0)) return "variables holding class instances are not exported (a class owns its memory: use a function returning it)";
    if (to_js.unsupported(T)) |why| return why;
    return null;
}

/// Whether JS may assign the variable (its type can be read from JS); else it is read-only.
pub fn assignable(comptime V: type) bool {
    // A function pointer reads as a JS function, but a JS function is no Zig function to store.
    return from_js.unsupported(Payload(V)) == null and types.kind(Payload(V)) != .function;
}

/// Whether a value of `T` may point to memory (so an assigned value needs memory of its own).
fn holdsPointer(comptime T: type, comptime depth: u32) bool {
    if (depth > 8) return true;
    return switch (@typeInfo(T)) {
        .pointer => true,
        .optional => |o| holdsPointer(o.child, depth + 1),
        .array => |a| holdsPointer(a.child, depth + 1),
        .@"struct" => anyHolds(holdsPointer, compat.structFieldTypes(T), depth),
        .@"union" => anyHolds(holdsPointer, compat.unionFieldTypes(T), depth),
        else => false,
    };
}

fn anyHolds(comptime pred: anytype, comptime fields: []const type, comptime depth: u32) bool {
    for (fields) |F| if (pred(F, depth + 1)) return true;
    return false;
}

fn holdsClass(comptime T: type, comptime depth: u32) bool {
    if (depth > 8) return false;
    if (types.kind(T) == .class) return true;
    return switch (@typeInfo(T)) {
        .optional => |o| holdsClass(o.child, depth + 1),
        .array => |a| holdsClass(a.child, depth + 1),
        .pointer => |p| p.size == .slice and holdsClass(p.child, depth + 1),
        .@"struct" => anyHolds(holdsClass, compat.structFieldTypes(T), depth),
        .@"union" => anyHolds(holdsClass, compat.unionFieldTypes(T), depth),
        else => false,
    };
}

/// The getter of variable `name` of `M`; `where` is its qualified name ("ns.counter").
pub fn getter(comptime M: type, comptime name: [:0]const u8, comptime where: []const u8) napi.Callback {
    const V = @TypeOf(@field(M, name));
    return struct {
        fn get(env: Env, _: napi.CallbackInfo) callconv(.c) ?Value {
            const current = @field(M, name);
            const value = if (comptime @typeInfo(V) == .error_union)
                current catch |err| {
                    function.zigError(env, where ++ " holds error.", @errorName(err)) catch {};
                    return null;
                }
            else
                current;
            return to_js.write(Payload(V), env, value, where) catch null;
        }
    }.get;
}

/// The setter of variable `name` of `M`, null when it is read-only (see `assignable`).
pub fn setter(comptime M: type, comptime name: [:0]const u8, comptime where: []const u8) ?napi.Callback {
    const V = @TypeOf(@field(M, name));
    if (comptime !assignable(V)) return null;
    const T = Payload(V);
    const owns_memory = comptime holdsPointer(T, 0);
    return struct {
        /// The arena the variable's current value points into, when JS assigned it.
        var owned: ?*std.heap.ArenaAllocator = null;
        var busy = std.atomic.Value(bool).init(false);

        fn set(env: Env, info: napi.CallbackInfo) callconv(.c) ?Value {
            var argc: usize = 1;
            var argv: [1]Value = undefined;
            napi.check(env, napi.napi_get_cb_info(env, info, &argc, &argv, null, null)) catch return null;
            if (argc < 1) napi.check(env, napi.napi_get_undefined(env, &argv[0])) catch return null;
            // Copy, never borrow: the value outlives this call.
            var cx: call.Ctx = .{ .env = env, .copy = true, .copy_back = false };
            defer cx.finish();
            if (!owns_memory) {
                @field(M, name) = from_js.unbox(T, from_js.read(T, &cx, argv[0], where) catch return null);
                return null;
            }
            const arena = gpa.create(std.heap.ArenaAllocator) catch {
                call.outOfMemory(env) catch {};
                return null;
            };
            arena.* = std.heap.ArenaAllocator.init(gpa);
            cx.arena = arena;
            const value = from_js.unbox(T, from_js.read(T, &cx, argv[0], where) catch {
                release(arena);
                return null;
            });
            // Store and hand-over under one lock, so that two threads assigning at once free
            // exactly the arena the variable no longer points to.
            while (busy.swap(true, .acquire)) std.atomic.spinLoopHint();
            @field(M, name) = value;
            const old = owned;
            owned = arena;
            busy.store(false, .release);
            if (old) |o| release(o);
            return null;
        }

        fn release(arena: *std.heap.ArenaAllocator) void {
            arena.deinit();
            gpa.destroy(arena);
        }
    }.set;
}

test unsupported {
    const S = struct { x: f64, name: []const u8 };
    try std.testing.expect(comptime unsupported(i32) == null);
    try std.testing.expect(comptime unsupported(anyerror!S) == null);
    try std.testing.expect(comptime assignable([]const u8));
    try std.testing.expect(comptime !assignable(*const [5:0]u8));
    try std.testing.expect(comptime holdsPointer(?S, 0) and !holdsPointer(struct { a: [3]u8 }, 0));
}
