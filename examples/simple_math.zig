//! Simple arithmetic: the design doc's first example. No boilerplate: every `pub fn` is exported.

/// Adds two 32-bit integers.
pub fn add(a: i32, b: i32) i32 {
    return a + b;
}

/// Multiplies two floats.
pub fn multiply(a: f64, b: f64) f64 {
    return a * b;
}

/// The n-th Fibonacci number. 64-bit results arrive in JavaScript as BigInt.
pub fn fibonacci(n: u32) u64 {
    var a: u64 = 0;
    var b: u64 = 1;
    var i: u32 = 0;
    while (i < n) : (i += 1) {
        const next = a +% b;
        a = b;
        b = next;
    }
    return a;
}
