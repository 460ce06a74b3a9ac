/**
 * Checksum mode's stat-only hit: a record, per entry material, of the build last verified by
 * hashing and of each source's identity (device, inode, size, mtime, ctime, in nanoseconds) seen
 * just before those bytes were hashed. When every source still has its recorded identity, the
 * sources are not read or hashed, and the entry key is not computed (so `node:crypto` is not even
 * loaded); otherwise the lookup hashes as before and refreshes the record.
 *
 * Why equal identities mean equal bytes (the cache-truth guarantee, test/cache-truth.test.mjs):
 * - Every write to a file, and every rename or copy over it, sets its ctime to the kernel's
 *   current time (or gives it a new inode), and ctime cannot be set by user space (`utimes`
 *   restores mtime only). So a same-length edit with its mtime put back still changes ctime.
 * - The identity is taken before the bytes are read. An edit between the `stat` and the read
 *   changes the ctime after the recorded one, so the next lookup sees a new identity and hashes.
 * - The kernel's file clock is coarse (a timer tick, 1–10 ms; seconds on some network and FAT
 *   file systems), so an edit in the same tick as the recorded one can leave ctime equal ("racy
 *   git"). An identity is therefore recorded only when its ctime is more than `RACY_MARGIN_MS`
 *   older than the moment before the `stat`: any later edit gets a ctime after that moment, hence a
 *   different one. A freshly edited file is re-hashed until it has aged past the margin; the
 *   first hit after that records it.
 * - A missing input (`'missing'`) or any `stat` error means: hash as before.
 * The record names its material (zigimport format, binding layer, Zig version, mode, target,
 * path, module options) and is used only when that string is equal: its file name, a 128-bit
 * FNV-1a (`recordName`) of part of the material (`verifiedSlot`), only spreads records out, like
 * `latest/` records.
 * Only this user can write the cache (trust.ts); the artifact it names is still checked
 * (`checkBuild`), so a damaged artifact is never loaded.
 */
import * as fs from 'node:fs';
import { childPath, readJson, writeJsonAtomic } from './files.js';
import { recordName } from './store.js';

/** Larger than any file-system timestamp granularity that matters here, and than clock jitter. */
export const RACY_MARGIN_MS = 2000;

interface VerifiedRecord {
  material: string;
  key: string;
  inputs: { path: string; identity: string }[];
}

/** A source's identity, or undefined when it cannot be `stat`ed. */
export function sourceIdentity(file: string): string | undefined {
  try {
    const st = fs.statSync(file, { bigint: true });
    if (!st.isFile()) return undefined;
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return undefined;
  }
}

/** The identities of `files` taken now, each only if it is old enough to be trusted (see above). */
export function trustedIdentities(files: string[]): (string | undefined)[] {
  const horizonNs = BigInt(Date.now() - RACY_MARGIN_MS) * 1_000_000n;
  return files.map((file) => {
    const identity = sourceIdentity(file);
    if (!identity) return undefined;
    const ctimeNs = BigInt(identity.slice(identity.lastIndexOf(':') + 1));
    return ctimeNs < horizonNs ? identity : undefined;
  });
}

/**
 * Where the record for one entry material lives. The material (a ~300-character JSON text) is
 * what the record must match; its file name only spreads records out, so it hashes the short part
 * that tells most materials apart (path, mode, target, Zig version): materials that differ only
 * in module options or binding layer share a file, and each one's lookup finds the other's record,
 * sees another material and hashes (then records its own).
 */
export interface VerifiedSlot {
  material: string;
  name: string;
}

export function verifiedSlot(material: string, file: string, optimize: string, targetId: string, zigVersion: string): VerifiedSlot {
  return { material, name: recordName(`${file}\0${optimize}\0${targetId}\0${zigVersion}`) };
}

function verifiedPath(cacheDir: string, slot: VerifiedSlot): string {
  return childPath(childPath(cacheDir, 'entries'), `${slot.name}.verified.json`);
}

/** The build key recorded for the slot's material if every source still has its recorded identity. */
export function verifiedKey(cacheDir: string, slot: VerifiedSlot): string | undefined {
  const material = slot.material;
  const record = readJson<VerifiedRecord>(verifiedPath(cacheDir, slot));
  if (!record || record.material !== material || typeof record.key !== 'string' || !Array.isArray(record.inputs)) return undefined;
  for (const input of record.inputs) {
    if (typeof input?.path !== 'string' || typeof input.identity !== 'string') return undefined;
    if (sourceIdentity(input.path) !== input.identity) return undefined;
  }
  return record.key;
}

/**
 * Remembers that `key` was verified by hashing `files` whose identities, taken before the hash,
 * were `identities`. Nothing is recorded if any identity is untrusted; best effort (a read-only
 * cache only loses the shortcut).
 */
export function recordVerified(cacheDir: string, slot: VerifiedSlot, key: string, files: string[], identities: (string | undefined)[]): void {
  if (identities.length !== files.length || identities.some((i) => i === undefined)) return;
  const record: VerifiedRecord = { material: slot.material, key, inputs: files.map((p, i) => ({ path: p, identity: identities[i]! })) };
  try {
    writeJsonAtomic(verifiedPath(cacheDir, slot), record);
  } catch {
    // Only costs the next lookup a hash.
  }
}
