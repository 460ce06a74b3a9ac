// Import cost only (part 1 of the benchmark suite): `npm run build && node bench/import-time.mjs`.
// Kept because the README's caching section names this script; the suite is bench/run.mjs.
process.argv.push('--only', 'import', '--no-readme');
await import('./run.mjs');
