/** Statistic values for the terminal, by unit: durations humanized, counts grouped, changes signed. */
import { formatCount, humanizeSeconds, signedPercent } from '../../gleap/humanize.ts';
import type { Unit } from '../../gleap/kpi/kpi-definitions.ts';

export type StatUnit = Unit | 'percent';

export function formatStat(unit: StatUnit, value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  switch (unit) {
    case 'duration': return humanizeSeconds(value);
    case 'rating': return String(Math.round(value * 100) / 100);
    case 'percent': return `${Math.round(value * 10) / 10}%`;
    case 'count': return formatCount(value);
  }
}

export { signedPercent };
