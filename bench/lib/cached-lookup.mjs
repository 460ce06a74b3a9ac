// Helpers for the cached-import rows (parts 1 and 4): measure what a developer's second run sees,
// and find the record the "least a lookup can do" rows read.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The latest/ record of `file` in `buildDir` (written by a checksum-mode hit). */
export function latestRecordOf(buildDir, file, optimize) {
  const dir = path.join(buildDir, 'latest');
  for (const name of fs.readdirSync(dir)) {
    const record = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    if (record.source === file && record.optimize === optimize && record.artifact) return path.join(dir, name);
  }
  throw new Error(`no latest/ record with an artifact check for ${file} (${optimize})`);
}

/** A source changed less than 2 s ago is hashed on every import (src/cache/verified.ts): wait past that. */
export async function waitPastRacyMargin(files) {
  const margin = 2100;
  const newest = Math.max(...files.map((f) => fs.statSync(f).ctimeMs));
  const wait = newest + margin - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
