/**
 * Decides whether a finished build may be recorded under the key of the files as they are now:
 * only if the bytes the compiler read are the bytes that key is computed from.
 *
 * Two checks, neither trusting mtimes (which `touch -r`, `cp -p`, `rsync -t` and npm's pinned
 * mtimes put back):
 * - content: every input known before the compile (the entry's static import scan plus what the
 *   last build read) is hashed before and after; any difference means the compiler may have read
 *   either version;
 * - ctime: the kernel sets it on every write and on every mtime change, and user space cannot set
 *   it back. A known input whose ctime differs from the one seen when it was hashed was written
 *   since, even if edited and restored within the compile. An input not known before (a package
 *   file on a first build, say) is compared with the compile's start instead.
 */
import * as fs from 'node:fs';
import { collectInputs, type SourceInput } from '../cache/inputs.js';
import { hashInputs } from '../cache/key.js';

/** Kernels stamp ctimes from a coarse clock, up to one tick (4–10 ms) behind the wall clock. */
const CLOCK_SLACK_MS = 20;

/** Path → SHA-256 and ctime (after reading) of every input known before the compile. */
export type KnownInputs = Map<string, { sha256: string; ctimeMs: number | undefined }>;

function ctimeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).ctimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Hashes, before the compile, the entry's statically found inputs and everything the last build
 * read. The ctime is taken after the read: a write before it changes the content, one after it
 * the ctime.
 */
export function hashKnownInputs(file: string, previous: SourceInput[] | undefined): KnownInputs {
  const found = collectInputs(file);
  const seen = new Set(found.map((i) => i.path));
  const all = [...found, ...hashInputs((previous ?? []).map((i) => i.path).filter((p) => !seen.has(p)))];
  return new Map(all.map((i) => [i.path, { sha256: i.sha256, ctimeMs: ctimeOf(i.path) }]));
}

export interface CompileTimes {
  /** Wall-clock ms when the compiler started. */
  startedAt: number;
  /** A project's manifests and hook, read from `graphStartedAt` on. */
  graphInputs: string[];
  graphStartedAt: number;
}

/** Why the build may not match `inputs` (hashed after the compile), or undefined when it does. */
export function raceReason(inputs: SourceInput[], before: KnownInputs, times: CompileTimes): string | undefined {
  const graph = new Set(times.graphInputs);
  for (const input of inputs) {
    const earlier = before.get(input.path);
    if (earlier && earlier.sha256 !== input.sha256) return `${input.path} changed during the compile`;
    const ctimeMs = ctimeOf(input.path);
    if (ctimeMs === undefined) return `${input.path} was removed during the compile`;
    if (earlier) {
      if (ctimeMs !== earlier.ctimeMs) return `${input.path} was written during the compile`;
      continue;
    }
    const start = graph.has(input.path) ? times.graphStartedAt : times.startedAt;
    if (ctimeMs >= start - CLOCK_SLACK_MS) return `${input.path} was written during the compile`;
  }
  return undefined;
}
