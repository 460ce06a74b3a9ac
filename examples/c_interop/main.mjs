// Run: node --import zigimport/register examples/c_interop/main.mjs
import { crc32, cStrlen } from './crc.zig';

console.log('crc32("hello") =', crc32('hello').toString(16)); // 3610a686
console.log(`strlen("zigimport") = ${cStrlen('zigimport')}`); // usize: a bigint
