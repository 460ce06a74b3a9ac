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
 *   it back, so an input whose ctime is at or after the compile's start may have changed under
 *   the compiler, even if it was edited and restored within the compile.
 */
import * as fs from 'node:fs';
import { collectInputs, type SourceInput } from '../cache/inputs.js';
import { hashInputs } from '../cache/key.js';

/** Kernels stamp ctimes from a coarse clock, up to one tick (4–10 ms) behind the wall clock. */
const CLOCK_SLACK_MS = 20;

/** Path → SHA-256 of every input known before the compile. */
export type KnownInputs = Map<string, string>;

/** Hashes, before the compile, the entry's statically found inputs and everything the last build read. */
export function hashKnownInputs(file: string, previous: SourceInput[] | undefined): KnownInputs {
  const known: KnownInputs = new Map(collectInputs(file).map((i) => [i.path, i.sha256]));
  const rest = (previous ?? []).map((i) => i.path).filter((p) => !known.has(p));
  for (const i of hashInputs(rest)) known.set(i.path, i.sha256);
  return known;
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
    if (earlier !== undefined && earlier !== input.sha256) return `${input.path} changed during the compile`;
    let ctimeMs: number;
    try {
      ctimeMs = fs.statSync(input.path).ctimeMs;
    } catch {
      return `${input.path} was removed during the compile`;
    }
    const start = graph.has(input.path) ? times.graphStartedAt : times.startedAt;
    if (ctimeMs >= start - CLOCK_SLACK_MS) return `${input.path} was written during the compile`;
  }
  return undefined;
}
