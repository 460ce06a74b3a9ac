//! A tiny Zig package, used by the example through a `.path` dependency.

pub fn mean(values: []const f64) f64 {
    if (values.len == 0) return 0;
    var sum: f64 = 0;
    for (values) |v| sum += v;
    return sum / @as(f64, @floatFromInt(values.len));
}

pub fn stddev(values: []const f64) f64 {
    if (values.len == 0) return 0;
    const m = mean(values);
    var sum: f64 = 0;
    for (values) |v| sum += (v - m) * (v - m);
    return @sqrt(sum / @as(f64, @floatFromInt(values.len)));
}
