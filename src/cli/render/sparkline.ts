/** Bar charts in the terminal: a one-line sparkline and one horizontal bar per bucket. */
const TICKS = '▁▂▃▄▅▆▇█';
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** ▁▂▅█ scaled to the largest value; null (no data) is a space. */
export function sparkline(values: readonly (number | null)[]): string {
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  return values
    .map((v) => (v === null ? ' ' : max === 0 ? TICKS[0] : TICKS[Math.min(7, Math.round((v / max) * 7))]))
    .join('');
}

/** A bar of `width` cells for `value / max`, with eighth-cell precision. */
export function bar(value: number, max: number, width: number): string {
  if (!(max > 0) || !(value > 0)) return '';
  const eighths = Math.max(1, Math.round((value / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/** `label  ████▍ value` lines, aligned. */
export function barLines(points: readonly { label: string; value: number | null }[], format: (v: number | null) => string, width = 40): string[] {
  const max = Math.max(0, ...points.map((p) => p.value ?? 0));
  const labelWidth = Math.max(0, ...points.map((p) => p.label.length));
  return points.map((p) => `${p.label.padEnd(labelWidth)}  ${bar(p.value ?? 0, max, width).padEnd(width + 1)} ${format(p.value)}`.trimEnd());
}
