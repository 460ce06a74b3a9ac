// Part 5: whole processes, what a user waits for. `node -e "require('zigimport').loadSync(f)"`
// against `node -e "process.dlopen(...)"` of the same artifact, and a process started with
// `--import zigimport/register` that imports no Zig against plain `node` and against Node's own
// hook machinery (an `--import` of a module that registers pass-through hooks the same way:
// `module.register` on Node 20, `module.registerHooks` where Node has it), on this Node and on
// Node 24 (lib/nodes.mjs). Wall time from spawn to exit (measured by this process) and peak RSS
// (the child's maxRSS just before it exits). Runs are interleaved so drift hits every row alike;
// the floors are measured in the same run.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { latestRecordOf, waitPastRacyMargin } from '../lib/cached-lookup.mjs';
import { DIST, ROOT, childEnv, runNode, tmpDir } from '../lib/env.mjs';
import { benchNode } from '../lib/nodes.mjs';
import { fmtRatio, fmtSummary, summarize } from '../lib/stats.mjs';

const REGISTER = pathToFileURL(path.join(ROOT, 'dist', 'esm', 'register.mjs')).href;
const PRINT_RSS = 'console.log(JSON.stringify({ rssKiB: process.resourceUsage().maxRSS }));';

/** The release whose register rows are shown besides this Node's: it has `module.registerHooks`. */
const NEWER_NODE = 24;

/** One child: `node ...args`; returns wall ms and the child's peak RSS in KiB. */
function timed(args, env = {}, node = process.execPath) {
  const t0 = performance.now();
  const r = spawnSync(node, args, { env: childEnv(env), cwd: ROOT, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${node} ${args.join(' ')} failed (exit ${r.status ?? r.signal}):\n${(r.stderr || r.stdout).slice(-3000)}`);
  return { ms, rssKiB: JSON.parse(r.stdout.trim().split('\n').pop()).rssKiB };
}

const loadChild = (file) => `
  const m = require(${JSON.stringify(DIST)}).loadSync(${JSON.stringify(file)});
  if (m.add(2, 3) !== 5) throw new Error('wrong answer');
  ${PRINT_RSS}`;
// The least a whole process can do to load a recorded build from JavaScript: read the latest/
// record that names it, lstat the artifact against the record, dlopen it (no settings, no trust
// check, no code beyond this). What zigimport adds over this row is its own code and checks.
const leastLoaderChild = (record) => `
  const fs = require('node:fs');
  const r = JSON.parse(fs.readFileSync(${JSON.stringify(record)}, 'utf8'));
  const file = ${JSON.stringify(`${path.join(path.dirname(path.dirname(record)), 'builds')}${path.sep}`)} + r.artifact.file;
  const st = fs.lstatSync(file);
  if (!st.isFile() || st.size !== r.artifact.size) throw new Error('artifact does not match its record');
  const m = { exports: {} };
  process.dlopen(m, file);
  if (m.exports.add(2, 3) !== 5) throw new Error('wrong answer');
  ${PRINT_RSS}`;
const dlopenChild = (artifact) => `
  const m = { exports: {} };
  process.dlopen(m, ${JSON.stringify(artifact)});
  if (m.exports.add(2, 3) !== 5) throw new Error('wrong answer');
  ${PRINT_RSS}`;

/**
 * The floor of a hooked process: an `--import` of a module that installs hooks that pass every
 * specifier on, as zigimport's do for everything that is not `.zig`. Returns the module's path.
 */
function writeHookFloors(dir) {
  const asyncHooks = path.join(dir, 'pass-through-hooks.mjs');
  fs.writeFileSync(asyncHooks, 'export const resolve = (s, c, next) => next(s, c);\nexport const load = (u, c, next) => next(u, c);\n');
  const register = path.join(dir, 'register-floor.mjs');
  fs.writeFileSync(
    register,
    `import * as m from 'node:module';\n` +
      `if (typeof m.registerHooks === 'function') m.registerHooks({ resolve: (s, c, next) => next(s, c), load: (u, c, next) => next(u, c) });\n` +
      `else m.register(${JSON.stringify(pathToFileURL(asyncHooks).href)});\n`,
  );
  return register;
}

/** `registerHooks` or `register`: what `node` has, i.e. what zigimport/register and the floor use there. */
function hookKind(node) {
  const r = spawnSync(node, ['-p', "typeof require('node:module').registerHooks === 'function' ? 'registerHooks' : 'register'"], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${node}: ${r.stderr}`);
  return r.stdout.trim();
}

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
  // As on a developer's second run: the source is past the 2 s racy margin, so checksum mode is
  // the stat-only hit, and that hit leaves the latest/ record the least-loader row reads.
  await waitPastRacyMargin([file]);
  runNode({ code: loadChild(file), env });
  const record = latestRecordOf(env.ZIGIMPORT_BUILD_DIR, file, 'Debug');
  const hookFloor = writeHookFloors(dir);
  const nodes = [{ key: '', path: process.execPath, version: process.version }];
  if (Number(process.versions.node.split('.')[0]) < NEWER_NODE) nodes.push({ key: `node${NEWER_NODE}`, ...benchNode(NEWER_NODE, log) });
  for (const n of nodes) n.hooks = hookKind(n.path);
  const variants = {
    checksum: () => timed(['-e', loadChild(file)], env),
    release: () => timed(['-e', loadChild(file)], { ...env, ZIGIMPORT_RELEASE_MODE: '1' }),
    leastLoader: () => timed(['-e', leastLoaderChild(record)]),
    dlopen: () => timed(['-e', dlopenChild(artifact)]),
  };
  for (const n of nodes) {
    variants[`${n.key}register`] = () => timed(['--import', REGISTER, '-e', PRINT_RSS], env, n.path);
    variants[`${n.key}hookFloor`] = () => timed(['--import', hookFloor, '-e', PRINT_RSS], {}, n.path);
    variants[`${n.key}plain`] = () => timed(['-e', PRINT_RSS], {}, n.path);
  }
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, { ms: [], rssKiB: [] }]));
  log(`  whole processes (${runs} of each, interleaved)`);
  // The order rotates every round: a process right after one of another Node binary (or after a
  // heavier one) starts with colder caches, and no row may always be the one that pays for it.
  const order = Object.entries(variants);
  for (const run of [0, ...Array.from({ length: runs }, (_, i) => i + 1)]) {
    for (const [name, fn] of [...order.slice(run % order.length), ...order.slice(0, run % order.length)]) {
      const r = fn();
      if (run === 0) continue; // one unmeasured round first: page cache, Zig version memo
      samples[name].ms.push(r.ms);
      samples[name].rssKiB.push(r.rssKiB);
    }
  }
  const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, { ms: summarize(v.ms), rssKiB: summarize(v.rssKiB) }]));
  const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;
  /** A difference with its sign: `+1.2 ms`, `-0.4 MiB` (a floor can come out above a row in a noisy run). */
  const signed = (text, value) => (value >= 0 ? `+${text}` : text);
  const row = (what, x, floor, floorName) => [
    what,
    fmtSummary(x.ms, 'ms'),
    floor
      ? `${signed(`${(x.ms.median - floor.ms.median).toFixed(1)} ms`, x.ms.median - floor.ms.median)} (${fmtRatio(x.ms.median / floor.ms.median)} ${floorName})`
      : 'floor',
    mib(x.rssKiB.median),
    floor ? signed(mib(x.rssKiB.median - floor.rssKiB.median), x.rssKiB.median - floor.rssKiB.median) : 'floor',
  ];
  const registerRows = nodes.flatMap((n) => {
    const on = `Node ${n.version}`;
    const floorWhat = n.hooks === 'registerHooks' ? '`module.registerHooks` with pass-through hooks' : '`module.register` of a pass-through hooks module';
    return [
      [`\`node --import zigimport/register\`, no .zig imported (${on})`, ...row('', s[`${n.key}register`], s[`${n.key}plain`], 'plain node').slice(1)],
      [`floor: \`node --import\` of ${floorWhat} (${on})`, ...row('', s[`${n.key}hookFloor`], s[`${n.key}plain`], 'plain node').slice(1)],
      [`floor: plain \`node -e\` (${on})`, ...row('', s[`${n.key}plain`]).slice(1)],
    ];
  });
  const shares = nodes.map((n) => {
    const own = s[`${n.key}register`].ms.median - s[`${n.key}hookFloor`].ms.median;
    const ownRss = s[`${n.key}register`].rssKiB.median - s[`${n.key}hookFloor`].rssKiB.median;
    return `Node ${n.version} (\`${n.hooks}\`) ${signed(`${own.toFixed(1)} ms`, own)}, ${signed(mib(ownRss), ownRss)}`;
  });
  return {
    data: { ...s, nodes: nodes.map(({ key, path: exe, version, hooks }) => ({ key, path: exe, version, hooks })) },
    table: {
      title: 'Part 5: whole processes (examples/simple_math.zig, Debug, cached)',
      columns: ['what', 'wall time, median (min–max)', 'vs floor', 'peak RSS (median)', 'vs floor'],
      rows: [
        ['`node -e` require(zigimport).loadSync, checksum mode', ...row('', s.checksum, s.dlopen, 'dlopen').slice(1)],
        ['`node -e` require(zigimport).loadSync, release mode', ...row('', s.release, s.dlopen, 'dlopen').slice(1)],
        ['least loader: `node -e` reading the latest/ record, lstat, process.dlopen', ...row('', s.leastLoader, s.dlopen, 'dlopen').slice(1)],
        ['floor: `node -e` process.dlopen of the same file', ...row('', s.dlopen).slice(1)],
        ...registerRows,
      ],
      notes: [
        `Wall time from spawn to exit, measured by the parent; peak RSS is the child's maxRSS just before exit. ${runs} processes of each, interleaved in an order that rotates every round, after one unmeasured round (which also writes the code cache of the hot path). The source is past the 2 s racy margin, as on a developer's second run, so checksum mode is the stat-only hit.`,
        "Least loader: a script doing only what any JavaScript loader of a recorded build must (read the record naming the build, lstat the artifact against it, dlopen): the structural floor for zigimport's rows; what they add over it is zigimport's own code (loading, first-call compilation) and checks (settings, ownership, sources).",
        `zigimport/register's own share over Node's hook machinery (its row minus the hook floor's): ${shares.join('; ')}.`,
      ],
    },
  };
}
