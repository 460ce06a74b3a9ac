// Summaries of repeated measurements: median, min, max, n.

export function summarize(xs) {
  if (xs.length === 0) throw new Error('no samples');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}

/** `value` with a unit picked for its size; `unit` is the unit of `value` ('ns', 'ms' or 's'). */
export function fmtTime(value, unit) {
  const ns = value * { ns: 1, ms: 1e6, s: 1e9 }[unit];
  if (ns < 1e3) return `${ns < 10 ? ns.toFixed(1) : ns.toFixed(0)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(ns < 1e4 ? 2 : 1)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(ns < 1e7 ? 2 : 1)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}

/** "median (min–max)" of a summary. */
export function fmtSummary(sum, unit) {
  if (!sum) return '–';
  if (sum.n === 1) return `${fmtTime(sum.median, unit)} (n=1)`;
  return `${fmtTime(sum.median, unit)} (${fmtTime(sum.min, unit)}–${fmtTime(sum.max, unit)})`;
}

export function fmtRatio(r) {
  if (r === undefined || !Number.isFinite(r)) return '–';
  return r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`;
}
