/**
 * Turns raw source records into warehouse rows: one value per declared column, converted
 * to the column's type, plus `_extra` holding every field the stream does not declare (so
 * nothing the API sent is lost). Compiled once per stream: this runs for every record.
 */
import type { ColumnType, Columns } from '../core/columns.ts';
import type { ColumnSpec, Row } from '../warehouse/warehouse.ts';

export const EXTRA_COLUMN = '_extra';

type Convert = (value: unknown) => unknown;
/** Marks a value that could not be converted; the normalizer counts and nulls it. */
const BAD = Symbol('bad');

const toJsonText = (v: unknown): string => {
  if (typeof v === 'string') {
    const t = v.trimStart();
    // A JSON document that arrived as a string (Gleap sends some fields this way) is kept as is.
    if (t.startsWith('{') || t.startsWith('[')) {
      try { JSON.parse(v); return v; } catch { /* not JSON: store it as a JSON string */ }
    }
  }
  return JSON.stringify(v);
};

const CONVERTERS: Record<ColumnType, Convert> = {
  string: (v) => (typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)),
  integer: (v) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'boolean' ? Number(v) : NaN;
    return Number.isSafeInteger(n) ? n : BAD;
  },
  number: (v) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    return Number.isFinite(n) ? n : BAD;
  },
  boolean: (v) => {
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 1 || v === '1') return true;
    if (v === 'false' || v === 0 || v === '0') return false;
    return BAD;
  },
  timestamp: (v) => {
    const d = v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? new Date(v) : undefined;
    return d && !Number.isNaN(d.getTime()) ? d : BAD;
  },
  json: toJsonText,
};

export interface NormalizeStats {
  /** Records refused because a primary key value is missing. */
  rejected: number;
  /** Values that did not fit their column, per column: stored as NULL (and kept in `_extra`). */
  coerced: Record<string, number>;
}

export interface RecordNormalizer {
  columns: ColumnSpec[];
  /** The row for `record`, or undefined when it has no primary key (counted in stats). */
  normalize(record: Record<string, unknown>): Row | undefined;
  stats: NormalizeStats;
}

export function createRecordNormalizer(columns: Columns, primaryKey: string[]): RecordNormalizer {
  const names = Object.keys(columns);
  const declared = new Set(names);
  const converters = names.map((n) => CONVERTERS[columns[n]!]);
  const pkIndexes = primaryKey.map((k) => names.indexOf(k));
  const stats: NormalizeStats = { rejected: 0, coerced: {} };

  return {
    columns: [...names.map((name) => ({ name, type: columns[name]! })), { name: EXTRA_COLUMN, type: 'json' as const }],
    stats,
    normalize(record) {
      const row: Row = new Array(names.length + 1);
      let extra: Record<string, unknown> | undefined;
      for (let i = 0; i < names.length; i++) {
        const raw = record[names[i]!];
        if (raw === undefined || raw === null) { row[i] = null; continue; }
        const value = converters[i]!(raw);
        if (value === BAD) {
          row[i] = null;
          stats.coerced[names[i]!] = (stats.coerced[names[i]!] ?? 0) + 1;
          (extra ??= {})[names[i]!] = raw;
        } else row[i] = value;
      }
      for (const i of pkIndexes) {
        if (row[i] === null || row[i] === '') { stats.rejected++; return undefined; }
      }
      for (const key in record) {
        if (!declared.has(key) && record[key] !== undefined) (extra ??= {})[key] = record[key];
      }
      row[names.length] = extra ? JSON.stringify(extra) : null;
      return row;
    },
  };
}
