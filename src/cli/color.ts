/**
 * Whether the CLI colours its output. picocolors alone turns colours on for any FORCE_COLOR,
 * even "0", and under CI; the usual rules are: NO_COLOR set (and not empty) turns colours off
 * (no-color.org); FORCE_COLOR=0/false off; FORCE_COLOR=1/2/3/true or empty on (as Node reads
 * it); otherwise on only for a terminal whose TERM is not "dumb".
 */
import picocolors from 'picocolors';

type Colors = ReturnType<typeof picocolors.createColors>;

export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR?.trim().toLowerCase();
  if (force === '0' || force === 'false') return false;
  if (force === '' || force === 'true' || force === '1' || force === '2' || force === '3') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** Colours for what the CLI writes to stdout (results). */
export const pc: Colors = picocolors.createColors(colorEnabled(process.stdout));

/** Colours for what the CLI writes to stderr (errors, progress). */
export const pcErr: Colors = picocolors.createColors(colorEnabled(process.stderr));
