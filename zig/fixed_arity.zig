//! A Zig function of a given parameter list whose body forwards its arguments, as a tuple,
//! to `Impl.invoke`. Zig can compute a function *type* at comptime but not a function
//! *body* with a computed number of parameters, so the bodies are spelled out here, one per
//! arity up to `max_params` (only the arities in use are compiled). Callback adapters
//! (callback.zig) use it to turn a JS function into a `*const fn (...) R`.

const compat = @import("compat.zig");

/// Most parameters a generated function can take.
pub const max_params = 32;

/// A pointer of type `P` (`*const fn (A, B, ...) R`) to a function calling `Impl.invoke(.{ a, b, ... })`.
pub fn forward(comptime P: type, comptime Impl: type) P {
    const F = @typeInfo(P).pointer.child;
    const params = comptime compat.fnParamTypes(F);
    const R = comptime compat.fnReturnType(F).?;
    const T = struct {
        fn A(comptime i: usize) type {
            return if (i < params.len) params[i].? else void;
        }

        fn arity0() R {
            return Impl.invoke(.{});
        }
        fn arity1(a0: A(0)) R {
            return Impl.invoke(.{a0});
        }
        fn arity2(a0: A(0), a1: A(1)) R {
            return Impl.invoke(.{ a0, a1 });
        }
        fn arity3(a0: A(0), a1: A(1), a2: A(2)) R {
            return Impl.invoke(.{ a0, a1, a2 });
        }
        fn arity4(a0: A(0), a1: A(1), a2: A(2), a3: A(3)) R {
            return Impl.invoke(.{ a0, a1, a2, a3 });
        }
        fn arity5(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4 });
        }
        fn arity6(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5 });
        }
        fn arity7(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6 });
        }
        fn arity8(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7 });
        }
        fn arity9(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8 });
        }
        fn arity10(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9 });
        }
        fn arity11(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10 });
        }
        fn arity12(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11 });
        }
        fn arity13(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12 });
        }
        fn arity14(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13 });
        }
        fn arity15(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14 });
        }
        fn arity16(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14), a15: A(15)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15 });
        }
        fn arity17(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14), a15: A(15), a16: A(16)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16 });
        }
        fn arity18(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14), a15: A(15), a16: A(16), a17: A(17)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17 });
        }
        fn arity19(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14), a15: A(15), a16: A(16), a17: A(17), a18: A(18)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18 });
        }
        fn arity20(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14), a15: A(15), a16: A(16), a17: A(17), a18: A(18), a19: A(19)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19 });
        }
        fn arity21(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14), a15: A(15), a16: A(16), a17: A(17), a18: A(18), a19: A(19), a20: A(20)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20 });
        }
        fn arity22(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14), a15: A(15), a16: A(16), a17: A(17), a18: A(18), a19: A(19), a20: A(20), a21: A(21)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21 });
        }
        fn arity23(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14), a15: A(15), a16: A(16), a17: A(17), a18: A(18), a19: A(19), a20: A(20), a21: A(21), a22: A(22)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22 });
        }
        fn arity24(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14), a15: A(15), a16: A(16), a17: A(17), a18: A(18), a19: A(19), a20: A(20), a21: A(21), a22: A(22), a23: A(23)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23 });
        }
        fn arity25(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14), a15: A(15), a16: A(16), a17: A(17), a18: A(18), a19: A(19), a20: A(20), a21: A(21), a22: A(22), a23: A(23), a24: A(24)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24 });
        }
        fn arity26(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14), a15: A(15), a16: A(16), a17: A(17), a18: A(18), a19: A(19), a20: A(20), a21: A(21), a22: A(22), a23: A(23), a24: A(24), a25: A(25)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25 });
        }
        fn arity27(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14), a15: A(15), a16: A(16), a17: A(17), a18: A(18), a19: A(19), a20: A(20), a21: A(21), a22: A(22), a23: A(23), a24: A(24), a25: A(25), a26: A(26)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26 });
        }
        fn arity28(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14), a15: A(15), a16: A(16), a17: A(17), a18: A(18), a19: A(19), a20: A(20), a21: A(21), a22: A(22), a23: A(23), a24: A(24), a25: A(25), a26: A(26), a27: A(27)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27 });
        }
        fn arity29(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14), a15: A(15), a16: A(16), a17: A(17), a18: A(18), a19: A(19), a20: A(20), a21: A(21), a22: A(22), a23: A(23), a24: A(24), a25: A(25), a26: A(26), a27: A(27), a28: A(28)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28 });
        }
        fn arity30(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14), a15: A(15), a16: A(16), a17: A(17), a18: A(18), a19: A(19), a20: A(20), a21: A(21), a22: A(22), a23: A(23), a24: A(24), a25: A(25), a26: A(26), a27: A(27), a28: A(28), a29: A(29)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29 });
        }
        fn arity31(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14), a15: A(15), a16: A(16), a17: A(17), a18: A(18), a19: A(19), a20: A(20), a21: A(21), a22: A(22), a23: A(23), a24: A(24), a25: A(25), a26: A(26), a27: A(27), a28: A(28), a29: A(29), a30: A(30)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30 });
        }
        fn arity32(a0: A(0), a1: A(1), a2: A(2), a3: A(3), a4: A(4), a5: A(5), a6: A(6), a7: A(7), a8: A(8), a9: A(9), a10: A(10), a11: A(11), a12: A(12), a13: A(13), a14: A(14), a15: A(15), a16: A(16), a17: A(17), a18: A(18), a19: A(19), a20: A(20), a21: A(21), a22: A(22), a23: A(23), a24: A(24), a25: A(25), a26: A(26), a27: A(27), a28: A(28), a29: A(29), a30: A(30), a31: A(31)) R {
            return Impl.invoke(.{ a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31 });
        }
    };
    if (params.len > max_params) @compileError("zigimport: functions of more than 32 parameters cannot be generated");
    return &@field(T, std.fmt.comptimePrint("arity{d}", .{params.len}));
}

const std = @import("std");

test forward {
    const Impl = struct {
        fn invoke(args: anytype) i64 {
            var sum: i64 = 0;
            inline for (args) |a| sum += a;
            return sum;
        }
    };
    const P5 = *const fn (i64, i64, i64, i64, i64) i64;
    try std.testing.expectEqual(@as(i64, 15), forward(P5, Impl)(1, 2, 3, 4, 5));
    const P0 = *const fn () i64;
    try std.testing.expectEqual(@as(i64, 0), forward(P0, Impl)());
}
