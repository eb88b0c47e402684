/**
 * How the shared column vocabulary maps onto DuckDB. Timestamps are TIMESTAMPTZ (an instant,
 * shown in UTC since every connection runs with TimeZone=UTC); JSON is DuckDB's JSON type, so
 * `col->>'$.path'` and `json_extract` work on it directly.
 */
import type { ColumnType } from '../../core/columns.ts';

export const DUCKDB_TYPES: Readonly<Record<ColumnType, string>> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMPTZ',
  json: 'JSON',
};

/**
 * Reads a column type back from `duckdb_columns().data_type`. Types we never create (a column
 * a user altered by hand) map to the nearest member of the vocabulary, so that schema
 * evolution still widens rather than narrows.
 */
export function columnTypeOf(dataType: string): ColumnType {
  const t = dataType.toUpperCase();
  if (t === 'JSON') return 'json';
  if (t === 'BOOLEAN') return 'boolean';
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(t)) return 'integer';
  if (/^(FLOAT|REAL|DOUBLE|DECIMAL)/.test(t)) return 'number';
  if (t.startsWith('TIMESTAMP') || t === 'DATE') return 'timestamp';
  return 'string';
}
