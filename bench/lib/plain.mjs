// The benchmark's functions in plain JavaScript.
export const plain = {
  addF64: (a, b) => a + b,
  addI32: (a, b) => (a + b) | 0,
  addI64: (a, b) => BigInt.asIntN(64, a + b),
  // The benchmark's strings are ASCII, so a UTF-16 code unit is a UTF-8 byte.
  byteSum(s) {
    let total = 0;
    for (let i = 0; i < s.length; i++) total = (total + s.charCodeAt(i)) >>> 0;
    return total;
  },
  weigh: (v) => v.x + 2 * v.y + 3 * v.z,
  greeting: () => 'Hello, World!',
  sum(a) {
    let total = 0;
    for (let i = 0; i < a.length; i++) total += a[i];
    return total;
  },
};
