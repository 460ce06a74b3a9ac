//! Works on a Float64Array in place: slices are passed without copying.

/// Sum of the elements.
pub fn sum(values: []const f64) f64 {
    var total: f64 = 0;
    for (values) |v| total += v;
    return total;
}

/// Multiplies every element by `factor`, in the caller's array.
pub fn scale(values: []f64, factor: f64) void {
    for (values) |*v| v.* *= factor;
}
