/**
 * DDL: makes a table (and its companions, see history.ts) fit a spec. Creates what is missing,
 * adds new columns, widens types with `widenType`, and never drops or narrows anything:
 * columns the spec no longer lists stay in the table (NULL on new rows, kept on updated ones).
 * All of it runs in one transaction, so a failure leaves the previous schema intact.
 */
import type { ColumnType } from '../../core/columns.ts';
import { widenType } from '../../core/columns.ts';
import { SYSTEM_COLUMNS, validateTableSpec } from '../placement.ts';
import type { ColumnSpec, SchemaChange, TableSpec } from '../warehouse.ts';
import { columnTypeOf, DUCKDB_TYPES } from './column-types.ts';
import type { Db } from './db.ts';
import { asOfMacroSql, historyViewSql } from './history.ts';
import { rowHashSql } from './row-hash.ts';
import { quoteIdent, sqlNames, sqlString, type SqlNames } from './sql-names.ts';

export interface TableColumn {
  name: string;
  type: ColumnType;
  /** DuckDB's own type name, e.g. `TIMESTAMP WITH TIME ZONE`. */
  sqlType: string;
}

const TABLE_SYSTEM_COLUMNS: readonly [string, string][] = [
  ['_load_id', 'VARCHAR'],
  ['_loaded_at', 'TIMESTAMPTZ'],
  ['_row_hash', 'UBIGINT'],
];
const VERSION_COLUMNS: readonly [string, string][] = [
  ['_valid_from', 'TIMESTAMPTZ'],
  ['_valid_to', 'TIMESTAMPTZ'],
];
export const isSystemColumn = (name: string): boolean => (SYSTEM_COLUMNS as readonly string[]).includes(name.toLowerCase());

/** The columns of a table in order, or undefined when it does not exist. Names match case-insensitively, as in DuckDB. */
export async function readTableColumns(db: Db, schema: string, table: string): Promise<TableColumn[] | undefined> {
  // Literals, not parameters: one round trip instead of three (each commit reads this; see Db.script).
  const rows = await db.rows<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM duckdb_columns()
     WHERE database_name = current_database() AND lower(schema_name) = lower(${sqlString(schema)}) AND lower(table_name) = lower(${sqlString(table)})
     ORDER BY column_index`,
  );
  if (rows.length === 0) return undefined;
  return rows.map((r) => ({ name: r.column_name, type: columnTypeOf(r.data_type), sqlType: r.data_type }));
}

export async function prepareTable(db: Db, spec: TableSpec): Promise<SchemaChange[]> {
  validateTableSpec(spec);
  const names = sqlNames(spec.placement);
  return db.transaction(async () => {
    await db.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(names.schema)}`);
    const existing = await readTableColumns(db, names.schema, names.table);
    if (!existing) {
      const columns = [
        ...spec.columns.map((c) => `${quoteIdent(c.name)} ${DUCKDB_TYPES[c.type]}`),
        ...TABLE_SYSTEM_COLUMNS.map(([n, t]) => `${n} ${t}`),
      ];
      // No PRIMARY KEY constraint: the merge guarantees uniqueness, and DuckDB's ART index would
      // cost memory proportional to the table and slow every bulk insert and delete.
      await db.run(`CREATE TABLE ${names.qualified} (\n  ${columns.join(',\n  ')}\n)`);
      await ensureCompanions(db, names);
      return [{ kind: 'created', table: names.qualified }];
    }
    const changes = await evolve(db, names.qualified, existing, spec.columns);
    const addedSystem = await addMissing(db, names.qualified, existing, TABLE_SYSTEM_COLUMNS);
    await ensureCompanions(db, names);
    if (changes.length > 0 || addedSystem) await recomputeRowHashes(db, names);
    return changes;
  });
}

/** Recomputes `_row_hash` of every row (after a schema change, or a DuckDB upgrade that changed `hash()`). */
export async function recomputeRowHashes(db: Db, names: Pick<SqlNames, 'schema' | 'table' | 'qualified'>): Promise<void> {
  const columns = (await readTableColumns(db, names.schema, names.table)) ?? [];
  const user = columns.filter((c) => !isSystemColumn(c.name)).map((c) => c.name);
  await db.run(`UPDATE ${names.qualified} SET _row_hash = ${rowHashSql(user)}`);
}

/** Adds the spec's new columns and widens changed types, on the table and (same DDL) its history. */
async function evolve(db: Db, qualified: string, existing: TableColumn[], columns: readonly ColumnSpec[]): Promise<SchemaChange[]> {
  const byName = new Map(existing.map((c) => [c.name.toLowerCase(), c]));
  const changes: SchemaChange[] = [];
  for (const column of columns) {
    const found = byName.get(column.name.toLowerCase());
    if (!found) {
      await db.run(`ALTER TABLE ${qualified} ADD COLUMN ${quoteIdent(column.name)} ${DUCKDB_TYPES[column.type]}`);
      changes.push({ kind: 'added', table: qualified, column: column.name, type: column.type });
      continue;
    }
    const wider = widenType(found.type, column.type);
    if (wider !== found.type) {
      await db.run(`ALTER TABLE ${qualified} ALTER COLUMN ${quoteIdent(found.name)} TYPE ${DUCKDB_TYPES[wider]}`);
      changes.push({ kind: 'widened', table: qualified, column: found.name, from: found.type, to: wider });
    }
  }
  return changes;
}

async function addMissing(db: Db, qualified: string, existing: TableColumn[], wanted: readonly [string, string][]): Promise<boolean> {
  const have = new Set(existing.map((c) => c.name.toLowerCase()));
  let added = false;
  for (const [name, type] of wanted) {
    if (have.has(name)) continue;
    await db.run(`ALTER TABLE ${qualified} ADD COLUMN ${name} ${type}`);
    added = true;
  }
  return added;
}

/**
 * Makes `__superseded` match the table (same user columns, added and widened alike, plus the
 * version columns), then (re)creates the `__history` view and the `__as_of` macro.
 */
async function ensureCompanions(db: Db, names: SqlNames): Promise<void> {
  const table = (await readTableColumns(db, names.schema, names.table)) ?? [];
  const superseded = await readTableColumns(db, names.schema, names.superseded);
  if (!superseded) {
    await db.run(
      `CREATE TABLE ${names.qualifiedSuperseded} AS
       SELECT *, CAST(NULL AS TIMESTAMPTZ) AS _valid_from, CAST(NULL AS TIMESTAMPTZ) AS _valid_to
       FROM ${names.qualified} LIMIT 0`,
    );
  } else {
    const byName = new Map(superseded.map((c) => [c.name.toLowerCase(), c]));
    for (const column of table) {
      const found = byName.get(column.name.toLowerCase());
      if (!found) {
        await db.run(`ALTER TABLE ${names.qualifiedSuperseded} ADD COLUMN ${quoteIdent(column.name)} ${column.sqlType}`);
      } else if (found.sqlType !== column.sqlType && !isSystemColumn(column.name)) {
        await db.run(`ALTER TABLE ${names.qualifiedSuperseded} ALTER COLUMN ${quoteIdent(found.name)} TYPE ${column.sqlType}`);
      }
    }
    await addMissing(db, names.qualifiedSuperseded, superseded, VERSION_COLUMNS);
  }
  await db.run(historyViewSql(names));
  await db.run(asOfMacroSql(names));
}
