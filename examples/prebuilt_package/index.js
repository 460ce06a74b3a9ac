// The package's entry: loads its Zig module through zigimport. On a user's machine that is the
// prebuilt addon for their platform (prebuilds/), checked against the shipped sources: no Zig.
const path = require('node:path');
const { loadSync } = require('zigimport');

module.exports = loadSync(path.join(__dirname, 'src', 'geometry.zig'));
