/**
 * The weekday x hour heatmap in the terminal: one row per weekday, two shaded characters
 * per hour (darker = busier), the row total at the right, a legend and the peak below.
 * Colour (256-colour ANSI) only when asked, e.g. on a TTY without NO_COLOR.
 */
import type { HeatmapResult } from '../../gleap/statistics/statistics-results.ts';

const SHADES = ['· ', '░░', '▒▒', '▓▓', '██'];
const COLORS = [240, 153, 111, 69, 27];

/** 0 for zero, else 1-4 by quarter of the maximum. */
export function shadeLevel(value: number, max: number): number {
  if (!(value > 0) || !(max > 0)) return 0;
  return Math.min(4, Math.max(1, Math.ceil((value / max) * 4)));
}

const paint = (text: string, level: number, color: boolean) => (color ? `\x1b[38;5;${COLORS[level]}m${text}\x1b[0m` : text);

export function renderHeatmap(h: HeatmapResult, opts: { color?: boolean } = {}): string {
  const color = opts.color ?? false;
  const max = Math.max(0, ...h.rows.flatMap((r) => r.hours));
  const names = h.rows.map((r) => r.name.slice(0, 3));
  const header = '     ' + Array.from({ length: 24 }, (_, hour) => (hour % 3 === 0 ? String(hour).padEnd(2) : '  ')).join('') + '  total';
  const lines = [header];
  h.rows.forEach((row, d) => {
    const cells = row.hours.map((v) => paint(SHADES[shadeLevel(v, max)]!, shadeLevel(v, max), color)).join('');
    const total = row.hours.reduce((a, b) => a + b, 0);
    lines.push(`${names[d]!.padEnd(5)}${cells}  ${String(total).padStart(5)}`);
  });
  const legend = max > 0
    ? [1, 2, 3, 4]
        .map((l) => {
          // Level l holds the values v with ceil(4 v / max) = l.
          const lo = Math.floor((max * (l - 1)) / 4) + 1;
          const hi = Math.floor((max * l) / 4);
          return lo > hi ? '' : `${paint(SHADES[l]!.slice(0, 1), l, color)} ${lo === hi ? lo : `${lo}-${hi}`}`;
        })
        .filter(Boolean)
        .join('  ')
    : 'no activity';
  lines.push('', `${paint('·', 0, color)} 0  ${legend}`);
  let peak = { d: -1, h: -1, v: 0 };
  h.rows.forEach((row, d) => row.hours.forEach((v, hour) => { if (v > peak.v) peak = { d, h: hour, v }; }));
  if (peak.d >= 0) {
    const hh = (n: number) => `${String(n).padStart(2, '0')}:00`;
    lines.push(`busiest: ${h.rows[peak.d]!.name} ${hh(peak.h)}-${hh((peak.h + 1) % 24)} (${peak.v})`);
  }
  return lines.join('\n');
}
