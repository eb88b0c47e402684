/** Printing helpers shared by the commands: JSON for machines, aligned tables for people. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

/** An aligned text table; numbers are right-aligned. */
export function formatTable(rows: Record<string, unknown>[], columns = rows[0] ? Object.keys(rows[0]) : []): string {
  const text = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...text.map((t) => t[i]!.length)));
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number' || r[c] == null));
  const line = (cells: string[]) =>
    cells.map((t, i) => (numeric[i] ? t.padStart(widths[i]!) : t.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '─'.repeat(w))), ...text.map(line)].join('\n');
}

export function printTable(rows: Record<string, unknown>[], columns?: string[]): void {
  process.stdout.write(formatTable(rows, columns) + '\n');
}

/** CSV per RFC 4180: quote fields holding a comma, quote or newline. */
export function formatCsv(rows: Record<string, unknown>[], columns = rows[0] ? Object.keys(rows[0]) : []): string {
  const esc = (v: unknown) => {
    const t = cell(v);
    return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  return [columns.map(esc).join(','), ...rows.map((r) => columns.map((c) => esc(r[c])).join(','))].join('\n') + '\n';
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}
