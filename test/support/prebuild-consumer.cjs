// A consumer of the example package (examples/prebuilt_package), run from the consumer's folder
// (natively, under qemu-aarch64 or under wine): requires the installed package and prints one
// JSON line with what its Zig functions returned, or the error's code and message.
try {
  const geometry = require('zigimport-example-prebuilt');
  const out = {
    ok: true,
    distance: geometry.distance({ x: 0, y: 0 }, { x: 3, y: 4 }),
    sum: geometry.sum(new Float64Array([1.5, 2.5, 3])),
    arch: geometry.arch(),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ ok: false, code: err.code, message: err.message })}\n`);
  process.exitCode = 1;
}
