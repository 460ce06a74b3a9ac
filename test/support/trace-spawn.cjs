// Preloaded into test child processes (`node --require`): counts every child process started,
// and prints the count on exit, so tests can prove that a cached import starts no process.
const cp = require('node:child_process');
const calls = [];
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  const original = cp[name];
  cp[name] = function traced(...args) {
    calls.push(`${name} ${String(args[0])} ${Array.isArray(args[1]) ? args[1].join(' ') : ''}`.trim());
    return original.apply(this, args);
  };
}
process.on('exit', () => {
  process.stderr.write(`\nSPAWNS=${JSON.stringify(calls)}\n`);
});
