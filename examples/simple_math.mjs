// Run: node --import zigimport/register examples/simple_math.mjs
import { add, multiply, fibonacci } from './simple_math.zig';

console.log('add(2, 3) =', add(2, 3));
console.log('multiply(2.5, 4) =', multiply(2.5, 4));
console.log('fibonacci(90) =', fibonacci(90));
