/**
 * A statistics list as a flat table: agent references become a name (plus e-mail and id
 * for CSV), cells become their raw number (CSV, JSON) or their display text (terminal).
 * Shared by the CLI and the emulator's CSV export, so both print the same columns.
 */
import { humanizeSeconds } from '../humanize.ts';
import type { ListResult } from './statistics-results.ts';
import { cellNumber, refId, refName } from './statistics-results.ts';

export type ListTableMode = 'raw' | 'display';

export interface ListTable {
  columns: string[];
  rows: Record<string, unknown>[];
}

const isRef = (key: string, sample: unknown) =>
  /REF$/i.test(key) || (sample !== null && typeof sample === 'object' && !('rawValue' in (sample as object)) && ('id' in (sample as object) || '_id' in (sample as object)));

export function flattenList(list: Pick<ListResult, 'columns' | 'rows'>, mode: ListTableMode): ListTable {
  const columns: string[] = [];
  const makers: ((row: Record<string, unknown>, out: Record<string, unknown>) => void)[] = [];
  for (const c of list.columns) {
    const sample = list.rows.find((r) => r[c.key] !== undefined && r[c.key] !== null)?.[c.key];
    if (isRef(c.key, sample)) {
      const name = c.title;
      columns.push(name);
      if (mode === 'raw') columns.push(`${name} e-mail`, `${name} id`);
      makers.push((row, out) => {
        const ref = row[c.key];
        out[name] = refName(ref);
        if (mode === 'raw') {
          out[`${name} e-mail`] = ref && typeof ref === 'object' ? ((ref as Record<string, unknown>).email ?? '') : '';
          out[`${name} id`] = refId(ref) ?? '';
        }
      });
      continue;
    }
    const duration = c.unit === 'duration';
    const name = mode === 'raw' && duration ? `${c.title} (s)` : c.title;
    columns.push(name);
    makers.push((row, out) => {
      const cell = row[c.key];
      const isCell = cell !== null && typeof cell === 'object' && 'rawValue' in (cell as object);
      if (!isCell) {
        out[name] = cell !== null && typeof cell === 'object' ? JSON.stringify(cell) : cell;
        return;
      }
      const n = cellNumber(cell);
      out[name] = mode === 'raw' || n === null ? n : duration ? humanizeSeconds(n) : n;
    });
  }
  return {
    columns,
    rows: list.rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const make of makers) make(row, out);
      return out;
    }),
  };
}
