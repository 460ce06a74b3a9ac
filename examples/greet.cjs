// Run: node examples/greet.cjs   (CommonJS: register, then require the .zig file)
require('zigimport/register');
const { hello } = require('./greet.zig');

console.log(hello('World'));
console.log(hello({ name: 'Zig' }));
