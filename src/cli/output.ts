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

/**
 * How wide human output may be: the terminal's width when stdout is one, else $COLUMNS when
 * set (as `ls` does), else unlimited, so that piped output keeps whole lines.
 */
export function outputWidth(): number {
  if (process.stdout.isTTY && process.stdout.columns > 0) return process.stdout.columns;
  const columns = Number(process.env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : Infinity;
}

/**
 * Breaks `line` between words (or between the parts `separator` joins) so that each piece fits
 * in `width` columns; continuation lines start with `indent` spaces. A word longer than a line
 * (a URL, an id) stays whole rather than cut, so it can still be copied.
 */
export function wrapLine(line: string, width: number, indent: number, separator = ' '): string[] {
  const fit = Math.max(width, 40);
  if (line.length <= fit) return [line];
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  const [first = '', ...words] = line.split(separator);
  let current = first;
  for (const word of words) {
    const next = `${current}${separator}${word}`;
    if (next.length <= fit || current.trim() === '') current = next;
    else {
      lines.push(current.trimEnd());
      current = pad + word.trimStart();
    }
  }
  lines.push(current.trimEnd());
  return lines;
}
