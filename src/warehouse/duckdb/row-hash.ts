/**
 * `_row_hash`: how a commit tells a changed row from an unchanged one without comparing every
 * column against the stored row. It covers every user column of the table (not only the
 * stream's current spec), in case-insensitive name order, so that a column dropped from the
 * spec (kept in the table, value carried over) or a reordered spec does not make rows look
 * changed. Adding or widening a column changes the inputs, so `prepareTable` recomputes it.
 *
 * DuckDB's `hash()` is fast and positional (NULLs count), but not promised stable across
 * DuckDB versions: the warehouse stores a probe value and recomputes all hashes on open when
 * an upgrade changed it (see `rowHashProbeSql`), instead of writing a new version of every row.
 */
import { quoteIdent } from './sql-names.ts';

/** `hash(a, b, ...)` over `columns`, each rendered by `ref` (e.g. with a table alias or a cast). */
export function rowHashSql(columns: readonly string[], ref: (column: string) => string = quoteIdent): string {
  const sorted = [...columns].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
  return `hash(${sorted.map(ref).join(', ')})`;
}

/** A fixed value hashed with every column type we create; it changes when `hash()` does. */
export const rowHashProbeSql =
  `SELECT CAST(hash('supportsync', 42::BIGINT, 0.5::DOUBLE, true, TIMESTAMPTZ '2024-01-01 00:00:00+00', '{"a":1}'::JSON, NULL::VARCHAR) AS VARCHAR) AS probe`;
