// Run: node --import zigimport/register examples/zig_package/main.mjs
import { summarize } from './stats.zig';

console.log(summarize(new Float64Array([2, 4, 4, 4, 5, 5, 7, 9]))); // { mean: 5, stddev: 2 }
