/**
 * Whether output is coloured, for the CLI and for `ZIGIMPORT_VERBOSE` lines alike. picocolors
 * alone turns colours on for any FORCE_COLOR, even "0", and under CI; the usual rules are:
 * NO_COLOR set (and not empty) turns colours off (no-color.org); FORCE_COLOR=0/false off;
 * FORCE_COLOR=1/2/3/true or empty on (as Node reads it); otherwise on only for a terminal whose
 * TERM is not "dumb". picocolors itself is loaded on first use (see lazy.ts).
 */
import type Picocolors from 'picocolors';
import { colors } from './lazy.js';

export type Colors = ReturnType<typeof Picocolors.createColors>;

export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR?.trim().toLowerCase();
  if (force === '0' || force === 'false') return false;
  if (force === '' || force === 'true' || force === '1' || force === '2' || force === '3') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** Colours for what is written to `stream`, following the rules above. */
export function colorsFor(stream: { isTTY?: boolean }): Colors {
  return colors().createColors(colorEnabled(stream));
}
