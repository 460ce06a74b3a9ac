// One table per part, printed as aligned text and rendered as Markdown for the README.

/** A table: { title, columns: string[], rows: string[][], notes?: string[] }. */
export function toText(t) {
  const widths = t.columns.map((c, i) => Math.max(c.length, ...t.rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells) =>
    cells
      .map((c, i) => String(c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out = [`== ${t.title} ==`, line(t.columns), line(widths.map((w) => '-'.repeat(w)))];
  for (const r of t.rows) out.push(line(r));
  for (const n of t.notes ?? []) out.push(`  * ${n}`);
  return out.join('\n');
}

export function toMarkdown(t) {
  const esc = (c) => String(c ?? '').replaceAll('|', '\\|');
  const out = [`**${t.title}**`, '', `| ${t.columns.map(esc).join(' | ')} |`, `| ${t.columns.map(() => '---').join(' | ')} |`];
  for (const r of t.rows) out.push(`| ${r.map(esc).join(' | ')} |`);
  if (t.notes?.length) out.push('', ...t.notes.map((n) => `- ${n}`));
  return out.join('\n');
}
