// Child-process probe: loads the .zig file given as argument with loadSync and prints one JSON
// line: { ok, value, keys } or { ok: false, name, code, message }.
const { loadSync } = require('../../dist/index.js');
try {
  const m = loadSync(process.argv[2]);
  const value = typeof m.value === 'function' ? m.value() : undefined;
  process.stdout.write(`${JSON.stringify({ ok: true, value, keys: Object.keys(m) })}\n`);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ ok: false, name: err.name, code: err.code, message: err.message })}\n`);
  process.exitCode = 1;
}
