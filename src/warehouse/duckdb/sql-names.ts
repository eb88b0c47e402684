/**
 * Quoting for DuckDB SQL. Every identifier we emit goes through `quoteIdent`, even names
 * already validated by `placement.ts` (validation says what a user may ask for, quoting makes
 * sure nothing else can reach the parser). Values are bound parameters, except in a load's
 * commit: its statements go to DuckDB as a few scripts (see Db.script), which take no
 * parameters, so values there are literals quoted by `sqlString`.
 */
import { AS_OF_SUFFIX, HISTORY_SUFFIX, resolvePlacement, SUPERSEDED_SUFFIX } from '../placement.ts';
import type { TablePlacement } from '../warehouse.ts';

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A string literal. DuckDB's strings are standard SQL: a doubled quote is the only escape (no backslashes). */
export const sqlString = (value: string): string => `'${value.replaceAll("'", "''")}'`;

export const qualify = (schema: string, name: string): string => `${quoteIdent(schema)}.${quoteIdent(name)}`;

/** Every SQL name that belongs to one placement: the table and its companions (see history.ts). */
export interface SqlNames {
  schema: string;
  table: string;
  superseded: string;
  /** Quoted `"schema"."table"`. */
  qualified: string;
  qualifiedHistory: string;
  qualifiedSuperseded: string;
  qualifiedAsOf: string;
}

export function sqlNames(placement: TablePlacement): SqlNames {
  const { schema, table } = resolvePlacement(placement);
  return {
    schema,
    table,
    superseded: table + SUPERSEDED_SUFFIX,
    qualified: qualify(schema, table),
    qualifiedHistory: qualify(schema, table + HISTORY_SUFFIX),
    qualifiedSuperseded: qualify(schema, table + SUPERSEDED_SUFFIX),
    qualifiedAsOf: qualify(schema, table + AS_OF_SUFFIX),
  };
}
