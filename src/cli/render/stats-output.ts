/**
 * How `supportsync stats` prints for people: a header naming the source and the period,
 * facts with humanized values and signed changes, bar charts as sparkline + bars, lists as
 * aligned tables, the reconciliation side by side. Machines get --json / --csv instead.
 */
import { signedPercent } from '../../gleap/humanize.ts';
import type { ReconcileReport } from '../../gleap/kpi/reconcile.ts';
import { unitOfChartType } from '../../gleap/kpi/kpi-definitions.ts';
import { flattenList } from '../../gleap/statistics/list-table.ts';
import type { ChartResult, FactResult, ListResult } from '../../gleap/statistics/statistics-results.ts';
import type { TimeRange } from '../../gleap/statistics/time-range.ts';
import { formatLocal, localDate, startOfLocalDay } from '../../gleap/statistics/time-zone.ts';
import { formatTable } from '../output.ts';
import { barLines, sparkline } from './sparkline.ts';
import { formatStat } from './stat-values.ts';

/** `2026-04-04 → 2026-04-10 (Europe/Paris)`, days inclusive; times when not whole days. */
export function describeRange(range: TimeRange, tz: string): string {
  const start = range.start.getTime();
  const end = range.end.getTime();
  const wholeDays = startOfLocalDay(start, tz) === start && startOfLocalDay(end, tz) === end;
  const text = wholeDays
    ? start === startOfLocalDay(end, tz, -1) ? localDate(start, tz) : `${localDate(start, tz)} → ${localDate(end - 1, tz)}`
    : `${formatLocal(start, tz)} → ${formatLocal(end, tz)}`;
  return `${text} (${tz})`;
}

export const write = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

export function factDisplay(f: FactResult): string {
  const unit = unitOfChartType(f.chartType);
  if (f.rawValue !== null) return formatStat(unit, f.rawValue);
  return f.value === null ? '–' : `${f.value}${f.valueUnit ? ` ${f.valueUnit}` : ''}`;
}

export function printFacts(facts: FactResult[], header: string): void {
  const rows = facts.map((f) => ({ KPI: f.title, value: factDisplay(f), 'vs previous period': signedPercent(f.progressValue) }));
  write(`${header}\n\n${formatTable(rows)}`);
}

export function printChart(chart: ChartResult, header: string): void {
  const unit = unitOfChartType(chart.chartType);
  const format = (v: number | null) => formatStat(unit, v);
  const lines = [header, ''];
  for (const series of chart.series) {
    const values = series.points.map((p) => p.value);
    const numbers = values.filter((v): v is number => v !== null);
    const total = unit === 'count' ? ` · total ${format(numbers.reduce((a, b) => a + b, 0))}` : '';
    const peak = series.points.reduce<{ label: string; value: number | null } | null>((best, p) => (p.value !== null && (best === null || p.value > (best.value ?? -Infinity)) ? p : best), null);
    if (chart.series.length > 1) lines.push(series.name);
    lines.push(`${sparkline(values)}${total}${peak ? ` · max ${format(peak.value)} on ${peak.label}` : ''}`, '');
    lines.push(...barLines(series.points, format));
    lines.push('');
  }
  write(lines.join('\n').trimEnd());
}

export function printList(list: ListResult, header: string): void {
  const table = flattenList(list, 'display');
  const more = list.totalCount !== null && list.totalCount > list.rows.length ? `\n(${list.rows.length} of ${list.totalCount} rows; use --limit/--skip)` : '';
  write(`${header}\n\n${table.rows.length ? formatTable(table.rows, table.columns) : '(no rows)'}${more}`);
}

export function printReconcile(report: ReconcileReport, header: string): void {
  const show = (unit: string, v: number | null, summed: boolean) => (v === null ? (summed ? '–' : '') : formatStat(unit as never, v));
  const rows = report.rows.map((r) => {
    const summed = r.cells > 1;
    return {
      KPI: r.kpi,
      API: r.cells > 1 && r.api === null ? `${r.cells} cells` : show(r.unit, r.api, summed),
      warehouse: r.cells > 1 && r.warehouse === null ? `${r.cells} cells` : show(r.unit, r.warehouse, summed),
      'Δ': r.delta === null ? '' : r.delta === 0 ? '0' : formatStat(r.unit === 'duration' ? 'duration' : 'count', r.delta),
      status: r.ok ? '✔ same' : `✘ ${r.cells > 1 ? `${r.differing} of ${r.cells} differ` : 'differs'}`,
    };
  });
  const differing = report.rows.filter((r) => !r.ok);
  const tolerance = report.tolerance === 0 ? 'exact' : `±${Math.round(report.tolerance * 10000) / 100}%`;
  const summary = differing.length === 0
    ? `all ${report.rows.length} checks agree (${tolerance})`
    : `${differing.length} of ${report.rows.length} checks differ beyond ${tolerance}: ${differing.map((r) => r.kpi).join(', ')}`;
  const examples = differing.flatMap((r) => (r.examples ?? []).slice(0, 3).map((e) => `  ${r.kpi} ${e.key}: API ${e.api ?? '–'}, warehouse ${e.warehouse ?? '–'}`));
  write(`${header}\n\n${formatTable(rows)}\n\n${summary}${examples.length ? `\n${examples.join('\n')}` : ''}`);
}
