// A consumer of the example package that may be given its WebAssembly prebuild (no native one
// usable, no Zig): the same calls as prebuild-consumer.cjs (number, struct argument, typed array,
// returned string, a class), and what `sumAsync` gives, since WebAssembly has one thread: the
// rejection's code, or the sum on a native addon. Prints one JSON line, or the error's code.
async function main() {
  const geometry = require('zigimport-example-prebuilt');
  const acc = new geometry.Accumulator(1);
  acc.add(2);
  let sumAsync;
  try {
    sumAsync = await geometry.sumAsync([1, 2, 3, 4]);
  } catch (err) {
    sumAsync = err.code;
  }
  return {
    ok: true,
    distance: geometry.distance({ x: 0, y: 0 }, { x: 3, y: 4 }),
    sum: geometry.sum(new Float64Array([1.5, 2.5, 3])),
    arch: geometry.arch(),
    total: acc.add(3.5),
    isAccumulator: acc instanceof geometry.Accumulator,
    sumAsync,
  };
}

main().then(
  (out) => process.stdout.write(`${JSON.stringify(out)}\n`),
  (err) => {
    process.stdout.write(`${JSON.stringify({ ok: false, code: err.code, message: err.message })}\n`);
    process.exitCode = 1;
  },
);
