/**
 * Pictures for reports: the weekday x hour heatmap and bar charts as standalone SVG (no
 * scripts, no external fonts), readable on light backgrounds and in a README.
 */
import type { ChartResult, HeatmapResult } from '../../gleap/statistics/statistics-results.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const FONT = 'font-family="-apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
const EMPTY = '#eef2f7';
const LOW = [199, 210, 254]; // indigo-200
const HIGH = [49, 46, 129]; // indigo-900

/** A colour from light to dark indigo for t in (0, 1]. */
export function scaleColor(t: number): string {
  const mix = LOW.map((lo, i) => Math.round(lo + (HIGH[i]! - lo) * Math.min(1, Math.max(0, t))));
  return `#${mix.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

export function heatmapSvg(h: HeatmapResult, subtitle = ''): string {
  const cell = 26;
  const gap = 3;
  const left = 96;
  const top = 78;
  const width = left + 24 * (cell + gap) + 70;
  const height = top + h.rows.length * (cell + gap) + 56;
  const max = Math.max(0, ...h.rows.flatMap((r) => r.hours));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(h.title)}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${left}" y="28" ${FONT} font-size="18" font-weight="600" fill="#111827">${esc(h.title)}</text>`,
    `<text x="${left}" y="48" ${FONT} font-size="12" fill="#6b7280">${esc(subtitle)}</text>`,
  ];
  for (let hour = 0; hour < 24; hour += 1) {
    if (hour % 2) continue;
    out.push(`<text x="${left + hour * (cell + gap) + cell / 2}" y="${top - 8}" ${FONT} font-size="11" fill="#6b7280" text-anchor="middle">${String(hour).padStart(2, '0')}</text>`);
  }
  out.push(`<text x="${left + 24 * (cell + gap) + 8}" y="${top - 8}" ${FONT} font-size="11" fill="#6b7280">total</text>`);
  h.rows.forEach((row, d) => {
    const y = top + d * (cell + gap);
    out.push(`<text x="${left - 10}" y="${y + cell / 2 + 4}" ${FONT} font-size="12" fill="#374151" text-anchor="end">${esc(row.name)}</text>`);
    row.hours.forEach((v, hour) => {
      const fill = v > 0 && max > 0 ? scaleColor(v / max) : EMPTY;
      out.push(`<rect x="${left + hour * (cell + gap)}" y="${y}" width="${cell}" height="${cell}" rx="4" fill="${fill}"><title>${esc(row.name)} ${String(hour).padStart(2, '0')}:00: ${v}</title></rect>`);
    });
    const total = row.hours.reduce((a, b) => a + b, 0);
    out.push(`<text x="${left + 24 * (cell + gap) + 8}" y="${y + cell / 2 + 4}" ${FONT} font-size="12" fill="#374151">${total}</text>`);
  });
  const ly = top + h.rows.length * (cell + gap) + 22;
  out.push(`<text x="${left}" y="${ly + 11}" ${FONT} font-size="11" fill="#6b7280">0</text>`);
  for (let k = 0; k <= 10; k++) {
    out.push(`<rect x="${left + 14 + k * 18}" y="${ly}" width="16" height="14" rx="3" fill="${k === 0 ? EMPTY : scaleColor(k / 10)}"/>`);
  }
  out.push(`<text x="${left + 14 + 11 * 18 + 4}" y="${ly + 11}" ${FONT} font-size="11" fill="#6b7280">${max}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

export function barChartSvg(c: ChartResult, subtitle = '', format: (v: number | null) => string = (v) => String(v ?? '')): string {
  const points = c.series[0]?.points ?? [];
  const plotW = Math.max(320, Math.min(1200, points.length * 28));
  const barW = Math.max(2, Math.floor(plotW / Math.max(1, points.length)) - 4);
  const left = 70;
  const top = 64;
  const plotH = 220;
  const width = left + plotW + 30;
  const height = top + plotH + 70;
  const max = Math.max(0, ...points.map((p) => p.value ?? 0));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(c.title)}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${left}" y="28" ${FONT} font-size="18" font-weight="600" fill="#111827">${esc(c.title)}</text>`,
    `<text x="${left}" y="48" ${FONT} font-size="12" fill="#6b7280">${esc(subtitle)}</text>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const y = top + plotH - (plotH * k) / 4;
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${left - 8}" y="${y + 4}" ${FONT} font-size="11" fill="#6b7280" text-anchor="end">${esc(format(max === 0 ? 0 : (max * k) / 4))}</text>`);
  }
  const step = plotW / Math.max(1, points.length);
  const labelEvery = Math.max(1, Math.ceil(points.length / 12));
  points.forEach((p, i) => {
    const v = p.value ?? 0;
    const hgt = max > 0 ? (v / max) * plotH : 0;
    const x = left + i * step + (step - barW) / 2;
    out.push(`<rect x="${x.toFixed(1)}" y="${(top + plotH - hgt).toFixed(1)}" width="${barW}" height="${hgt.toFixed(1)}" rx="2" fill="${scaleColor(0.65)}"><title>${esc(p.label)}: ${esc(format(p.value))}</title></rect>`);
    if (i % labelEvery === 0) {
      out.push(`<text x="${(left + i * step + step / 2).toFixed(1)}" y="${top + plotH + 18}" ${FONT} font-size="10" fill="#6b7280" text-anchor="middle">${esc(p.label)}</text>`);
    }
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
