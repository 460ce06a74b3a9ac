//! Uses the `ministats` package declared in build.zig.zon next to this file.
const ministats = @import("ministats");

pub const Summary = struct { mean: f64, stddev: f64 };

/// Mean and standard deviation of `values` (a Float64Array, read without copying).
pub fn summarize(values: []const f64) Summary {
    return .{ .mean = ministats.mean(values), .stddev = ministats.stddev(values) };
}
