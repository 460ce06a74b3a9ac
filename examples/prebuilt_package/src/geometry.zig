//! Shipped prebuilt: a user of this package calls these without Zig installed.

pub const Point = struct { x: f64, y: f64 };

/// Euclidean distance between two points.
pub fn distance(a: Point, b: Point) f64 {
    const dx = a.x - b.x;
    const dy = a.y - b.y;
    return @sqrt(dx * dx + dy * dy);
}

/// Sum of the numbers (a Float64Array is read without copying).
pub fn sum(values: []const f64) f64 {
    var total: f64 = 0;
    for (values) |v| total += v;
    return total;
}

/// Which build answers: the CPU architecture it was compiled for.
pub fn arch() []const u8 {
    return @tagName(@import("builtin").cpu.arch);
}

/// A running total: a JavaScript class (`new Accumulator(start)`).
pub const Accumulator = struct {
    total: f64,

    pub fn init(start: f64) Accumulator {
        return .{ .total = start };
    }

    /// Adds `value` and returns the new total.
    pub fn add(self: *Accumulator, value: f64) f64 {
        self.total += value;
        return self.total;
    }
};

/// Run on the thread pool: `await sumAsync(values)`.
pub const zigimport_async = .{"sumAsync"};

/// `sum`, off the main thread (returns a Promise).
pub fn sumAsync(values: []const f64) f64 {
    return sum(values);
}
