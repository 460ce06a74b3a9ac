// Run: node examples/array_sum.mjs   (programmatic: no hooks at all)
import { load } from 'zigimport';

const { sum, scale } = await load('./array_sum.zig', { from: import.meta.url });
const values = new Float64Array([1, 2, 3, 4, 5]);
console.log('sum =', sum(values));
scale(values, 10);
console.log('after scale(values, 10):', Array.from(values));
