// Run (Node 22.18+ strips types): node --import zigimport/register examples/app.mts
import { add, fibonacci } from './simple_math.zig';

const total: number = add(40, 2) as number;
console.log(`add(40, 2) = ${total}, fibonacci(10) = ${fibonacci(10)}`);
