// The call-overhead cases and the timing loop. Each (implementation, case) pair gets its own
// loop function compiled from source, so every call site stays monomorphic, and every call's
// result is checked (a wrong answer throws).

const text = (n) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join('');
const asciiSum = (s) => [...s].reduce((t, c) => t + c.charCodeAt(0), 0);
const floats = (n) => {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = i % 1024; // small integers: every order of summation is exact
  return a;
};
const floatSum = (n) => (Math.floor(n / 1024) * (1023 * 1024)) / 2 + ((n % 1024) * ((n % 1024) - 1)) / 2;

/** name, function, arguments (source text over `a0`, `a1` and the loop index `i`), the check. */
export function makeCases() {
  const s10 = text(10);
  const s10k = text(10_000);
  const big = 1n << 40n;
  return [
    { id: 'addF64', name: 'add(f64, f64)', fn: 'addF64', args: [], call: 'f(i, 0.5)', check: 'r === i + 0.5' },
    { id: 'addI32', name: 'add(i32, i32)', fn: 'addI32', args: [], call: 'f(i, 1)', check: 'r === i + 1' },
    { id: 'addI64', name: 'add(i64, i64), BigInt', fn: 'addI64', args: [big, 1n], call: 'f(a0, a1)', check: 'r === a2', expect: big + 1n },
    { id: 'str10', name: 'string arg, 10 B', fn: 'byteSum', args: [s10], call: 'f(a0)', check: 'r === a2', expect: asciiSum(s10) },
    { id: 'str10k', name: 'string arg, 10,000 B', fn: 'byteSum', args: [s10k], call: 'f(a0)', check: 'r === a2', expect: asciiSum(s10k) },
    { id: 'struct', name: 'struct arg {x,y,z}', fn: 'weigh', args: [{ x: 1.5, y: 2.5, z: 0 }], call: '(a0.z = i, f(a0))', check: 'r === 6.5 + 3 * i' },
    { id: 'retstr', name: 'returned string (13 B)', fn: 'greeting', args: [], call: 'f()', check: "r === 'Hello, World!'" },
    { id: 'sum1k', name: 'sum Float64Array(1,000)', fn: 'sum', args: [floats(1000)], call: 'f(a0)', check: 'r === a2', expect: floatSum(1000) },
    {
      id: 'sum10m',
      name: 'sum Float64Array(10,000,000)',
      fn: 'sum',
      args: [floats(10_000_000)],
      call: 'f(a0)',
      check: 'r === a2',
      expect: floatSum(10_000_000),
      big: true,
    },
  ];
}

function compileLoop(c, f) {
  const src = `return function loop(n) {
    let bad = 0, last;
    for (let i = 0; i < n; i++) { const r = ${c.call}; if (!(${c.check})) { bad++; last = r; } }
    if (bad) throw new Error(${JSON.stringify(c.name)} + ': ' + bad + ' wrong answers, e.g. ' + String(last));
  };`;
  return new Function('f', 'a0', 'a1', 'a2', src)(f, c.args[0], c.args[1], c.expect);
}

/**
 * Compiles the loop for one implementation and calibrates it: warm-up doubles the batch until it
 * takes a quarter of `roundMs`, then the batch is sized to about `roundMs` and run once more.
 */
export function prepareCase(c, f, roundMs) {
  const loop = compileLoop(c, f);
  let n = 1;
  let ms = 0;
  for (;;) {
    const t0 = performance.now();
    loop(n);
    ms = performance.now() - t0;
    if (ms >= roundMs / 4 || n >= 1 << 26) break;
    n *= 2;
  }
  n = Math.max(1, Math.round((n * roundMs) / Math.max(ms, 1e-3)));
  loop(n);
  return { loop, n };
}

/** One timed round: nanoseconds per call. */
export function timeRound({ loop, n }) {
  const t0 = performance.now();
  loop(n);
  return ((performance.now() - t0) * 1e6) / n;
}
