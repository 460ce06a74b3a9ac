// Regenerates the README's Performance section: only the text between the bench markers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './env.mjs';
import { toMarkdown } from './table.mjs';

const START = /<!-- bench:start[^>]*-->\n/;
const END = '<!-- bench:end -->';

export function updateReadme({ date, machine, zig, quick, seconds, tables, load }) {
  const file = path.join(ROOT, 'README.md');
  const text = fs.readFileSync(file, 'utf8');
  const start = START.exec(text);
  const end = text.indexOf(END);
  if (!start || end < start.index) throw new Error('README.md: bench markers not found');
  const body = [
    `Measured ${date.slice(0, 10)} by \`npm run bench\`${quick ? ' (--quick: few iterations, indicative only)' : ''} in ${Math.round(seconds)} s on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}; Node ${machine.node}, Zig ${zig.version}; 1-minute load average ${load.start} before, ${load.end} after${load.forced ? ' (above the core count: written with --force-readme)' : ''}. Medians with (min–max). Raw data: \`bench/results/\`.`,
    '',
    ...tables.flatMap((t) => [toMarkdown(t), '']),
  ].join('\n');
  const next = text.slice(0, start.index + start[0].length) + body + text.slice(end);
  if (next !== text) fs.writeFileSync(file, next);
}
