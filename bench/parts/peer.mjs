// Part 3: the peer, node-zigar, on the same functions (against the C addon and zigimport in the
// same process) and on first and cached import of bench/fixtures/calls.zig (ReleaseFast).
// If node-zigar cannot be installed or run here, the table says why and the part still passes;
// a wrong answer still fails the bench.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIST, runNode, tmpDir } from '../lib/env.mjs';
import { setupPeer } from '../lib/peer-setup.mjs';
import { fmtRatio, fmtSummary, summarize } from '../lib/stats.mjs';
import { CALLS_ZIG, callRows, measureCalls, nativeAddon } from './calls.mjs';

const zigarChild = (peerDir, file) => `
  require(require('node:module').createRequire(${JSON.stringify(path.join(peerDir, 'package.json'))}).resolve('node-zigar/cjs'));
  const t0 = performance.now();
  const m = require(${JSON.stringify(file)});
  const ms = performance.now() - t0;
  if (m.addI32(2, 3) !== 5 || m.greeting().string !== 'Hello, World!') throw new Error('wrong answer');
  console.log(JSON.stringify({ ms }));`;
const zigimportChild = (file) => `
  const z = require(${JSON.stringify(DIST)});
  const t0 = performance.now();
  const m = z.loadSync(${JSON.stringify(file)}, { optimize: 'ReleaseFast' });
  const ms = performance.now() - t0;
  if (m.addI32(2, 3) !== 5 || m.greeting() !== 'Hello, World!') throw new Error('wrong answer');
  console.log(JSON.stringify({ ms }));`;

export async function peerPart(opts) {
  try {
    return await measurePeer(opts);
  } catch (err) {
    if (/wrong answer/.test(err.message)) throw err;
    const why = err.message.split('\n').filter(Boolean).slice(0, 6).join(' / ');
    return {
      data: { skipped: why },
      table: { title: 'Part 3: peer (node-zigar)', columns: ['status'], rows: [[`node-zigar could not run here: ${why}`]] },
    };
  }
}

async function measurePeer({ quick, log, zig }) {
  const peer = setupPeer(log);
  // node-zigar finds its Zig (0.14) on PATH; zigimport would find that one first too, so pin
  // zigimport to the Zig the rest of the bench uses.
  const zigarEnv = { PATH: `${path.dirname(peer.zig)}${path.delimiter}${process.env.PATH}`, ZIGIMPORT_ZIG: zig.path };
  // node-zigar reads node-zigar.config.json beside the module: its own Zig, cache and mode.
  const modDir = (label) => {
    const dir = tmpDir(label);
    fs.copyFileSync(CALLS_ZIG, path.join(dir, 'calls.zig'));
    const config = { zigPath: peer.zig, cacheDir: path.join(dir, 'cache'), optimize: 'ReleaseFast', quiet: true };
    fs.writeFileSync(path.join(dir, 'node-zigar.config.json'), JSON.stringify(config));
    return path.join(dir, 'calls.zig');
  };
  const firstRuns = quick ? 1 : 2;
  const cachedRuns = quick ? 3 : 11;
  log('  node-zigar: warming Zig 0.14 global cache (unmeasured first import)');
  const file = modDir('zigar');
  runNode({ code: zigarChild(peer.dir, file), env: zigarEnv, timeoutMs: 900_000 });
  const zigarFirst = [];
  const zigimportFirst = [];
  const zigimportFile = modDir('zigimport'); // the same source, in its own folder
  for (let i = 0; i < firstRuns; i++) {
    log(`  first import, node-zigar and zigimport (${i + 1}/${firstRuns})`);
    zigarFirst.push(runNode({ code: zigarChild(peer.dir, modDir('zigar')), env: zigarEnv, timeoutMs: 900_000 }).ms);
    zigimportFirst.push(runNode({ code: zigimportChild(zigimportFile), env: { ZIGIMPORT_ZIG: zig.path, ZIGIMPORT_BUILD_DIR: tmpDir('zi') } }).ms);
  }
  const ziBuild = tmpDir('zi');
  runNode({ code: zigimportChild(zigimportFile), env: { ZIGIMPORT_ZIG: zig.path, ZIGIMPORT_BUILD_DIR: ziBuild } });
  log(`  cached imports (${cachedRuns} processes each)`);
  const zigarCached = [];
  const zigimportCached = [];
  for (let i = 0; i < cachedRuns; i++) {
    zigarCached.push(runNode({ code: zigarChild(peer.dir, file), env: zigarEnv }).ms);
    zigimportCached.push(runNode({ code: zigimportChild(zigimportFile), env: { ZIGIMPORT_ZIG: zig.path, ZIGIMPORT_BUILD_DIR: ziBuild } }).ms);
  }
  log('  calls: C addon, zigimport and node-zigar in one process');
  const impls = {
    c: { kind: 'addon', path: nativeAddon(zig.path).path },
    zigimport: { kind: 'zigimport', dist: DIST, file: zigimportFile, optimize: 'ReleaseFast' },
    zigar: { kind: 'zigar', peerDir: peer.dir, file },
  };
  const calls = measureCalls(impls, { quick, env: { ...zigarEnv, ZIGIMPORT_BUILD_DIR: ziBuild } });
  const imports = {
    zigarFirst: summarize(zigarFirst),
    zigimportFirst: summarize(zigimportFirst),
    zigarCached: summarize(zigarCached),
    zigimportCached: summarize(zigimportCached),
  };
  const rows = [
    [
      'first import (ReleaseFast, Zig cache warm)',
      fmtSummary(imports.zigimportFirst, 'ms'),
      fmtSummary(imports.zigarFirst, 'ms'),
      fmtRatio(imports.zigarFirst.median / imports.zigimportFirst.median),
    ],
    [
      'cached import',
      fmtSummary(imports.zigimportCached, 'ms'),
      fmtSummary(imports.zigarCached, 'ms'),
      fmtRatio(imports.zigarCached.median / imports.zigimportCached.median),
    ],
  ];
  return {
    data: { nodeZigar: peer.version, zig: peer.zigVersion, imports, calls },
    table: {
      title: `Part 3: peer, node-zigar ${peer.version} (Zig ${peer.zigVersion}) against zigimport (Zig ${zig.version})`,
      columns: ['import of calls.zig', 'zigimport', 'node-zigar', 'node-zigar / zigimport'],
      rows,
      notes: [
        `First imports: ${firstRuns} run(s) each, node-zigar's cache folder fresh (it also compiles its own Node-API addon then); cached: ${cachedRuns} processes each. Time around require()/loadSync() in the process.`,
        "On every import node-zigar starts a worker thread and runs `zig build` for its own addon (a hit in Zig's cache, but a process start): most of its cached-import time.",
      ],
    },
    callsTable: {
      title: 'Part 3: peer calls, time per call (ratio to the C addon)',
      columns: ['call', 'C addon', 'zigimport', '×C', 'node-zigar', '×C'],
      rows: callRows(calls, ['c', 'zigimport', 'zigar'], 'c'),
      notes: ['node-zigar returns a []const u8 as a slice object: the returned-string row includes its `.string` decode.'],
    },
  };
}
