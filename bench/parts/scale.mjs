// Part 4: scale. Cached import of 50 modules in one process; `zigimport build` of 20 modules
// with 1 and 2 workers, a fresh zigimport cache each time (Zig's global cache warm).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, DIST, run, runNode, tmpDir } from '../lib/env.mjs';
import { fmtRatio, fmtSummary, summarize } from '../lib/stats.mjs';
import { latestRecordOf, waitPastRacyMargin } from '../lib/cached-lookup.mjs';

/** `count` distinct small modules: module i exports f(x) = x * 3 + i and name() = "m<i>". */
function generate(count) {
  const dir = tmpDir(`mods${count}`);
  for (let i = 0; i < count; i++) {
    const src = `pub fn f(x: i32) i32 {\n    return x * 3 + ${i};\n}\n\npub fn name() []const u8 {\n    return "m${i}";\n}\n`;
    fs.writeFileSync(path.join(dir, `m${i}.zig`), src);
  }
  return dir;
}

const loadAllChild = (dir, count) => `
  const z = require(${JSON.stringify(DIST)});
  const t0 = performance.now();
  const mods = [];
  for (let i = 0; i < ${count}; i++) mods.push(z.loadSync(${JSON.stringify(dir)} + '/m' + i + '.zig'));
  const ms = performance.now() - t0;
  mods.forEach((m, i) => { if (m.f(2) !== 6 + i || m.name() !== 'm' + i) throw new Error('wrong answer from m' + i); });
  console.log(JSON.stringify({ ms, keys: mods.map((m) => z.describeLoaded(m).key) }));`;
const dlopenAllChild = (artifacts) => `
  const files = ${JSON.stringify(artifacts)};
  const t0 = performance.now();
  const mods = files.map((f) => { const m = { exports: {} }; process.dlopen(m, f); return m.exports; });
  const ms = performance.now() - t0;
  mods.forEach((m, i) => { if (m.f(2) !== 6 + i) throw new Error('wrong answer from m' + i); });
  console.log(JSON.stringify({ ms }));`;

// The least any lookup can do per module on a release-mode hit: read its latest/ record, lstat the
// artifact and compare, dlopen.
const leastLookupChild = (records, buildsDir) => `
  const fs = require('node:fs');
  const records = ${JSON.stringify(records)};
  const t0 = performance.now();
  const mods = records.map((record) => {
    const r = JSON.parse(fs.readFileSync(record, 'utf8'));
    const file = ${JSON.stringify(buildsDir + path.sep)} + r.artifact.file;
    const st = fs.lstatSync(file);
    if (!st.isFile() || st.size !== r.artifact.size) throw new Error('artifact does not match its record');
    const m = { exports: {} };
    process.dlopen(m, file);
    return m.exports;
  });
  const ms = performance.now() - t0;
  mods.forEach((m, i) => { if (m.f(2) !== 6 + i) throw new Error('wrong answer from m' + i); });
  console.log(JSON.stringify({ ms }));`;

function cliBuild(dir, jobs) {
  const buildDir = tmpDir('build');
  const r = run(process.execPath, [CLI, 'build', '-j', String(jobs), dir], { env: { ZIGIMPORT_BUILD_DIR: buildDir } });
  const manifests = fs.readdirSync(path.join(buildDir, 'builds')).filter((f) => f.endsWith('.json'));
  const count = fs.readdirSync(dir).filter((f) => f.endsWith('.zig')).length;
  if (manifests.length !== count) throw new Error(`zigimport build -j ${jobs}: ${manifests.length} builds for ${count} modules`);
  return { ms: r.ms, buildDir };
}

export async function scalePart({ quick, log }) {
  const loadRuns = quick ? 3 : 11;
  const buildRuns = quick ? 1 : 2;
  const many = generate(50);
  log('  building 50 modules for the cached-import run');
  const { buildDir } = cliBuild(many, 2);
  const env = { ZIGIMPORT_BUILD_DIR: buildDir };
  // As on a developer's second run: sources past the racy margin, one unmeasured import first.
  const sources = Array.from({ length: 50 }, (_, i) => path.join(many, `m${i}.zig`));
  await waitPastRacyMargin(sources);
  const { keys } = runNode({ code: loadAllChild(many, 50), env });
  const artifacts = keys.map((k) => path.join(buildDir, 'builds', `${k}.node`));
  const records = sources.map((f) => latestRecordOf(buildDir, f, 'Debug'));
  const checksum = [];
  const release = [];
  const floor = [];
  const leastLookup = [];
  log(`  cached import of 50 modules (${loadRuns} processes each)`);
  for (let i = 0; i < loadRuns; i++) {
    checksum.push(runNode({ code: loadAllChild(many, 50), env }).ms);
    release.push(runNode({ code: loadAllChild(many, 50), env: { ...env, ZIGIMPORT_RELEASE_MODE: '1' } }).ms);
    floor.push(runNode({ code: dlopenAllChild(artifacts) }).ms);
    leastLookup.push(runNode({ code: leastLookupChild(records, path.join(buildDir, 'builds')) }).ms);
  }
  const twenty = generate(20);
  const j1 = [];
  const j2 = [];
  for (let i = 0; i < buildRuns; i++) {
    log(`  zigimport build of 20 modules, -j 1 and -j 2 (${i + 1}/${buildRuns})`);
    j1.push(cliBuild(twenty, 1).ms);
    j2.push(cliBuild(twenty, 2).ms);
  }
  const s = {
    checksum: summarize(checksum),
    release: summarize(release),
    floor: summarize(floor),
    leastLookup: summarize(leastLookup),
    buildJ1: summarize(j1),
    buildJ2: summarize(j2),
  };
  const vs = (x) => fmtRatio(x.median / s.floor.median);
  return {
    data: s,
    table: {
      title: 'Part 4: scale (Debug modules)',
      columns: ['what', 'median (min–max)', 'ratio'],
      rows: [
        ['cached import of 50 modules, checksum mode', fmtSummary(s.checksum, 'ms'), `${vs(s.checksum)} dlopen`],
        ['cached import of 50 modules, release mode', fmtSummary(s.release, 'ms'), `${vs(s.release)} dlopen`],
        ['floor: process.dlopen of the 50 artifacts', fmtSummary(s.floor, 'ms'), '1×'],
        ['least a lookup can do: 50 × (read the latest/ record, lstat, dlopen)', fmtSummary(s.leastLookup, 'ms'), `${vs(s.leastLookup)} dlopen`],
        ['zigimport build, 20 modules, -j 1', fmtSummary(s.buildJ1, 'ms'), '1×'],
        ['zigimport build, 20 modules, -j 2', fmtSummary(s.buildJ2, 'ms'), `${fmtRatio(s.buildJ1.median / s.buildJ2.median)} faster`],
      ],
      notes: [
        `Imports: all 50 in one fresh process, ${loadRuns} processes each; per module ${(s.checksum.median / 50).toFixed(2)} ms in checksum mode, ${(s.release.median / 50).toFixed(2)} ms in release mode, ${(s.floor.median / 50).toFixed(2)} ms for the dlopen alone. Sources older than the 2 s racy margin, one unmeasured import first (the stat-only hit).`,
        `Builds: \`node dist/cli/main.js build -j N DIR\` wall time, fresh zigimport cache, Zig's global cache warm; ${buildRuns} run(s) each.`,
      ],
    },
  };
}
