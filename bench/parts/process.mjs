// Part 5: whole processes, what a user waits for. `node -e "require('zigimport').loadSync(f)"`
// against `node -e "process.dlopen(...)"` of the same artifact, and a process started with
// `--import zigimport/register` that imports no Zig against plain `node`. Wall time from spawn
// to exit (measured by this process) and peak RSS (the child's maxRSS just before it exits).
// Runs are interleaved so drift hits every row alike; the floors are measured in the same run.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, ROOT, childEnv, runNode, tmpDir } from '../lib/env.mjs';
import { fmtRatio, fmtSummary, summarize } from '../lib/stats.mjs';

const REGISTER = pathToFileURL(path.join(ROOT, 'dist', 'esm', 'register.mjs')).href;
const PRINT_RSS = 'console.log(JSON.stringify({ rssKiB: process.resourceUsage().maxRSS }));';

/** One child: `node ...args`; returns wall ms and the child's peak RSS in KiB. */
function timed(args, env = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env: childEnv(env), cwd: ROOT, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (exit ${r.status ?? r.signal}):\n${(r.stderr || r.stdout).slice(-3000)}`);
  return { ms, rssKiB: JSON.parse(r.stdout.trim().split('\n').pop()).rssKiB };
}

const loadChild = (file) => `
  const m = require(${JSON.stringify(DIST)}).loadSync(${JSON.stringify(file)});
  if (m.add(2, 3) !== 5) throw new Error('wrong answer');
  ${PRINT_RSS}`;
const dlopenChild = (artifact) => `
  const m = { exports: {} };
  process.dlopen(m, ${JSON.stringify(artifact)});
  if (m.exports.add(2, 3) !== 5) throw new Error('wrong answer');
  ${PRINT_RSS}`;

export async function processPart({ quick, log }) {
  const runs = quick ? 5 : 21;
  const dir = tmpDir('process');
  const file = path.join(dir, 'simple_math.zig');
  fs.copyFileSync(path.join(ROOT, 'examples', 'simple_math.zig'), file);
  const env = { ZIGIMPORT_BUILD_DIR: path.join(dir, 'cache') };
  log('  building examples/simple_math.zig (Debug)');
  const { key } = runNode({
    code: `const z = require(${JSON.stringify(DIST)}); console.log(JSON.stringify({ key: z.describeLoaded(z.loadSync(${JSON.stringify(file)})).key }));`,
    env,
  });
  const artifact = path.join(env.ZIGIMPORT_BUILD_DIR, 'builds', `${key}.node`);
  const variants = {
    checksum: () => timed(['-e', loadChild(file)], env),
    release: () => timed(['-e', loadChild(file)], { ...env, ZIGIMPORT_RELEASE_MODE: '1' }),
    dlopen: () => timed(['-e', dlopenChild(artifact)]),
    register: () => timed(['--import', REGISTER, '-e', PRINT_RSS], env),
    plain: () => timed(['-e', PRINT_RSS]),
  };
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, { ms: [], rssKiB: [] }]));
  log(`  whole processes (${runs} of each, interleaved)`);
  for (const run of [0, ...Array.from({ length: runs }, (_, i) => i + 1)]) {
    for (const [name, fn] of Object.entries(variants)) {
      const r = fn();
      if (run === 0) continue; // one unmeasured round first: page cache, Zig version memo
      samples[name].ms.push(r.ms);
      samples[name].rssKiB.push(r.rssKiB);
    }
  }
  const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, { ms: summarize(v.ms), rssKiB: summarize(v.rssKiB) }]));
  const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;
  const row = (what, x, floor, floorName) => [
    what,
    fmtSummary(x.ms, 'ms'),
    floor ? `+${(x.ms.median - floor.ms.median).toFixed(1)} ms (${fmtRatio(x.ms.median / floor.ms.median)} ${floorName})` : 'floor',
    mib(x.rssKiB.median),
    floor ? `+${mib(x.rssKiB.median - floor.rssKiB.median)}` : 'floor',
  ];
  return {
    data: s,
    table: {
      title: 'Part 5: whole processes (examples/simple_math.zig, Debug, cached)',
      columns: ['what', 'wall time, median (min–max)', 'vs floor', 'peak RSS (median)', 'vs floor'],
      rows: [
        ['`node -e` require(zigimport).loadSync, checksum mode', ...row('', s.checksum, s.dlopen, 'dlopen').slice(1)],
        ['`node -e` require(zigimport).loadSync, release mode', ...row('', s.release, s.dlopen, 'dlopen').slice(1)],
        ['floor: `node -e` process.dlopen of the same file', ...row('', s.dlopen).slice(1)],
        ['`node --import zigimport/register`, no .zig imported', ...row('', s.register, s.plain, 'plain node').slice(1)],
        ['floor: plain `node -e`', ...row('', s.plain).slice(1)],
      ],
      notes: [
        `Wall time from spawn to exit, measured by the parent; peak RSS is the child's maxRSS just before exit. ${runs} processes of each, interleaved, after one unmeasured round.`,
      ],
    },
  };
}
