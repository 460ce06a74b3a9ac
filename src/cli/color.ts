/** The CLI's colours, one set per output stream (rules in ../colors.ts). */
import { colorsFor, type Colors } from '../colors.js';

/** Colours for what the CLI writes to stdout (results). */
export const pc: Colors = colorsFor(process.stdout);

/** Colours for what the CLI writes to stderr (errors, progress). */
export const pcErr: Colors = colorsFor(process.stderr);
