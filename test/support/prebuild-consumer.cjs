// A consumer of the example package (examples/prebuilt_package), run from the consumer's folder
// (natively, under qemu-aarch64 or under wine): requires the installed package, calls a function
// of each kind (plain, struct argument, typed array, a class, an async function) and prints one
// JSON line with the results, or the error's code and message.
async function main() {
  const geometry = require('zigimport-example-prebuilt');
  const acc = new geometry.Accumulator(1);
  acc.add(2);
  return {
    ok: true,
    distance: geometry.distance({ x: 0, y: 0 }, { x: 3, y: 4 }),
    sum: geometry.sum(new Float64Array([1.5, 2.5, 3])),
    arch: geometry.arch(),
    total: acc.add(3.5),
    sumAsync: await geometry.sumAsync([1, 2, 3, 4]),
  };
}

main().then(
  (out) => process.stdout.write(`${JSON.stringify(out)}\n`),
  (err) => {
    process.stdout.write(`${JSON.stringify({ ok: false, code: err.code, message: err.message })}\n`);
    process.exitCode = 1;
  },
);
