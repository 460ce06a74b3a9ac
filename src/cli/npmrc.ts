/**
 * `zigimport enable` / `disable`: adds or removes `--import zigimport/register` in the
 * `node-options` of the project's `.npmrc`, so Node processes started by npm scripts load the
 * hook. Idempotent; other options and other lines are kept as they are.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const HOOK_FLAG = '--import zigimport/register';

/** The project root: the nearest folder with a package.json (else the working directory). */
export function projectRoot(from: string = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(from);
    dir = parent;
  }
}

const NODE_OPTIONS_LINE = /^\s*node-options\s*=\s*(.*)$/;

function unquote(value: string): string {
  const v = value.trim();
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}

/** Returns the new .npmrc text and whether it changed. */
export function editNpmrc(text: string, enable: boolean): { text: string; changed: boolean } {
  const lines = text.length > 0 ? text.replace(/\n$/, '').split('\n') : [];
  const index = lines.findIndex((l) => NODE_OPTIONS_LINE.test(l));
  const current = index >= 0 ? unquote(NODE_OPTIONS_LINE.exec(lines[index]!)![1]!) : '';
  const without = current
    .replace(/(^|\s)--import[= ]zigimport\/register(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const next = enable ? `${without} ${HOOK_FLAG}`.trim() : without;
  if (next === current.trim()) return { text, changed: false };
  if (next === '') lines.splice(index, 1);
  else if (index >= 0) lines[index] = `node-options="${next}"`;
  else lines.push(`node-options="${next}"`);
  return { text: lines.length > 0 ? `${lines.join('\n')}\n` : '', changed: true };
}

export function setHookInNpmrc(root: string, enable: boolean): { file: string; changed: boolean } {
  const file = path.join(root, '.npmrc');
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const { text, changed } = editNpmrc(before, enable);
  if (changed) {
    if (text === '' && before !== '') fs.rmSync(file);
    else fs.writeFileSync(file, text);
  }
  return { file, changed };
}
