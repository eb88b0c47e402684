/**
 * Time travel ("Delta Log Retention"), as system-versioned tables do it (SQL:2011, SQL Server
 * temporal tables): current versions live in the table itself, versions that stopped being
 * current move to `<table>__superseded`, and two read-only companions put them together:
 *
 * - view `<table>__history`: every version of every row, i.e. all of the table's columns plus
 *   `_valid_from` and `_valid_to` (NULL = current). A current row is valid from its
 *   `_loaded_at`, the commit that wrote it.
 * - table macro `<table>__as_of(ts)`: the table as it was at `ts`, with the table's columns
 *   minus the system ones:
 *
 *     SELECT * FROM "raw"."gleap__tickets__as_of"('2024-05-01T12:00:00Z') WHERE status = 'OPEN';
 *
 *   `ts` is anything castable to TIMESTAMPTZ (a string without an offset is read as UTC).
 *
 * Each commit copies the current version of every changed or deleted row into
 * `__superseded` (closing it at the commit time) before replacing or deleting it, in the same
 * transaction. Why not keep current versions in the history too: every row would be written
 * twice, doubling the cost and size of every first load, and each commit would have to scan
 * an ever-growing history to close versions. Here unchanged data is written once.
 */
import { SYSTEM_COLUMNS } from '../placement.ts';
import type { Db } from './db.ts';
import type { SqlNames } from './sql-names.ts';

export function historyViewSql(names: SqlNames): string {
  return `CREATE OR REPLACE VIEW ${names.qualifiedHistory} AS
  SELECT *, _loaded_at AS _valid_from, CAST(NULL AS TIMESTAMPTZ) AS _valid_to FROM ${names.qualified}
  UNION ALL BY NAME
  SELECT * FROM ${names.qualifiedSuperseded}`;
}

export function asOfMacroSql(names: SqlNames): string {
  return `CREATE OR REPLACE MACRO ${names.qualifiedAsOf}(ts) AS TABLE
  SELECT * EXCLUDE (${SYSTEM_COLUMNS.join(', ')})
  FROM ${names.qualifiedHistory}
  WHERE _valid_from <= CAST(ts AS TIMESTAMPTZ) AND (_valid_to IS NULL OR _valid_to > CAST(ts AS TIMESTAMPTZ))`;
}

/** Deletes the versions that stopped being current before `before`; returns how many. */
export async function pruneHistory(db: Db, names: SqlNames, before: Date): Promise<number> {
  return db.run(
    `DELETE FROM ${names.qualifiedSuperseded} WHERE _valid_to < CAST($1 AS TIMESTAMPTZ)`,
    [before.toISOString()],
  );
}
