/**
 * The heart of a commit: applies the staged rows to a table and its history. Runs inside the
 * caller's transaction (together with the state and loads-log writes).
 *
 * 1. A batch table, one narrow row per staged key: the staging rowid of the LAST row appended for
 *    that key (by STAGED_ORDER: rowids need not follow append order), the key, the row hash over the values cast
 *    to the table's types, and the verdict: insert (new key), update (hash differs) or same.
 *    Columns the table has but the spec lacks are carried over from the current row.
 * 2. A retire table: keys whose current version ends now: the updated ones and, for a final
 *    `replace`, those in the table but absent from the staged rows (the deleted ones).
 * 3. Their current rows are copied to `__superseded` (closed at the commit time) and deleted;
 *    then new and changed rows are inserted from staging. Unchanged rows are not touched.
 * Many staged rows are merged in partitions by a hash of the key, each a complete merge of
 * its keys (every row of a key falls in the same one): the joins above then hold at most
 * ROWS_PER_PARTITION rows, so a replace of millions of rows fits DuckDB's memory limit
 * (4M rows in one piece ran out of 192 MB).
 * With a `versionColumn`, a merge treats a staged row older than the table's row (by that
 * column) as unchanged: old data read again never rolls a row back.
 * Updates are delete + insert rather than UPDATE: with ~35 columns, DuckDB appends rows much
 * faster than it rewrites every column of existing ones, and there is no index to maintain.
 * The batch table stays narrow so that the wide staged rows are copied once, into the table.
 */
import type { LoadCounts, LoadMode, TableSpec } from '../warehouse.ts';
import type { Db } from './db.ts';
import { isSystemColumn, type TableColumn } from './prepare-table.ts';
import { rowHashSql } from './row-hash.ts';
import { quoteIdent as q, sqlString, type SqlNames } from './sql-names.ts';

export interface MergePlan {
  names: SqlNames;
  /** The staging table (a temp table of the load's connection). */
  staging: string;
  spec: TableSpec;
  /** The table's current columns (read inside the transaction). */
  columns: TableColumn[];
  mode: LoadMode;
  loadId: string;
  /** Commit time, ISO 8601: `_loaded_at` of new versions, `_valid_to` of superseded ones. */
  at: string;
  /** Rows in staging (the load counts them as it appends). */
  stagedRows: number;
  /** Staged rows per partition (default ROWS_PER_PARTITION; tests set it low). */
  rowsPerPartition?: number;
}

export const ROWS_PER_PARTITION = 1_000_000;

/** Restricts rows to one partition: a SQL condition on the key columns of `alias`. */
type PartitionFilter = (alias: string, staged: boolean) => string;

const RID = '_supportsync_rid';
/**
 * The staging column numbering rows in the order they were appended. Rowids do not: the
 * appender's connection does not preserve insertion order (it inserts with far less memory
 * that way), and DuckDB then stored a large append's chunks out of order.
 */
export const STAGED_ORDER = '_supportsync_seq';
const CHANGE = '_supportsync_change';
// Temp tables of the load's connection, qualified so that no user table can shadow them.
const BATCH = 'temp.main._supportsync_batch';
const RETIRE = 'temp.main._supportsync_retire';

export async function mergeStaged(db: Db, plan: MergePlan): Promise<LoadCounts> {
  const partitions = Math.max(1, Math.ceil(plan.stagedRows / (plan.rowsPerPartition ?? ROWS_PER_PARTITION)));
  if (partitions === 1) return mergePartition(db, plan, () => 'true');
  const tableType = new Map(plan.columns.map((c) => [c.name.toLowerCase(), c.sqlType]));
  const total: LoadCounts = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
  for (let p = 0; p < partitions; p++) {
    // Staged keys are hashed as the table's type, so a key hashes alike on both sides.
    const filter: PartitionFilter = (alias, staged) => {
      const keys = plan.spec.primaryKey.map((k) => (staged ? `CAST(${alias}.${q(k)} AS ${tableType.get(k.toLowerCase())})` : `${alias}.${q(k)}`));
      return `hash(${keys.join(', ')}) % ${partitions} = ${p}`;
    };
    const counts = await mergePartition(db, plan, filter);
    for (const key of Object.keys(total) as (keyof LoadCounts)[]) total[key] += counts[key];
  }
  return total;
}

async function mergePartition(db: Db, plan: MergePlan, inPartition: PartitionFilter): Promise<LoadCounts> {
  const { names, spec } = plan;
  const user = plan.columns.filter((c) => !isSystemColumn(c.name));
  const specNames = new Set(spec.columns.map((c) => c.name.toLowerCase()));
  const extras = user.filter((c) => !specNames.has(c.name.toLowerCase())).map((c) => c.name);
  const tableType = new Map(user.map((c) => [c.name.toLowerCase(), c.sqlType]));
  const keys = spec.primaryKey;
  const on = (a: string, b: string) => keys.map((k) => `${a}.${q(k)} = ${b}.${q(k)}`).join(' AND ');
  // Staged values cast to the table's types. JSON is staged as text and hashes the same as
  // JSON, so classification skips that cast (it parses); the INSERT casts, which validates.
  const cast = (alias: string, forHash = false) =>
    spec.columns
      .map((c) => {
        const type = tableType.get(c.name.toLowerCase());
        const column = `${alias}.${q(c.name)}`;
        return `${forHash && type === 'JSON' && c.type === 'json' ? column : `CAST(${column} AS ${type})`} AS ${q(c.name)}`;
      })
      .join(', ');
  const list = (columns: string[], alias = '') => columns.map((n) => alias + q(n)).join(', ');
  const hash = rowHashSql(user.map((c) => c.name));
  // Only merges compare versions (a replace makes the table what was staged), and only on a
  // declared column that is not part of the key.
  const version = plan.mode === 'merge' && spec.versionColumn && !keys.includes(spec.versionColumn) && tableType.has(spec.versionColumn.toLowerCase())
    ? q(spec.versionColumn) : undefined;

  // The last staged row per key. Without carried-over columns its hash is computed right here,
  // so only narrow rows (rowid, key, hash) go through the join with the table.
  const latest = `FROM ${plan.staging} st WHERE st.rowid IN (SELECT max_by(rowid, ${STAGED_ORDER}) FROM ${plan.staging} p WHERE ${inPartition('p', true)} GROUP BY ${list(keys)})`;
  const narrow = extras.length === 0;
  // Each step is one call to DuckDB (see Db.script): the batch table and its tally, the
  // retirement of changed rows, then the insert.
  const batch = `CREATE OR REPLACE TEMP TABLE _supportsync_batch AS
WITH s AS (
  ${narrow
    ? `SELECT ${RID}, ${list(keys)}, ${hash} AS _row_hash${version ? `, ${version}` : ''} FROM (SELECT st.rowid AS ${RID}, ${cast('st', true)} ${latest})`
    : `SELECT st.rowid AS ${RID}, ${cast('st', true)} ${latest}`}
), j AS (
  SELECT s.*, ${extras.map((e) => `t.${q(e)}, `).join('')}t._row_hash AS _supportsync_old_hash, t.${q(keys[0])} IS NOT NULL AS _supportsync_exists${version ? `,
    s.${version} < t.${version} AS _supportsync_older` : ''}
  FROM s LEFT JOIN (SELECT * FROM ${names.qualified} t WHERE ${inPartition('t', false)}) t ON ${on('t', 's')}
), h AS (
  ${narrow ? 'SELECT * FROM j' : `SELECT *, ${hash} AS _row_hash FROM j`}
)
SELECT ${RID}, ${list([...keys, ...extras])}, _row_hash,
  CASE WHEN NOT _supportsync_exists THEN 'insert'${version ? ` WHEN _supportsync_older THEN 'same'` : ''}
    WHEN _supportsync_old_hash IS DISTINCT FROM _row_hash THEN 'update' ELSE 'same' END AS ${CHANGE}
FROM h`;
  const [tally] = await db.rows<{ inserted: bigint; updated: bigint; unchanged: bigint }>(
    `${batch};
     SELECT count(*) FILTER (WHERE ${CHANGE} = 'insert') AS inserted, count(*) FILTER (WHERE ${CHANGE} = 'update') AS updated,
            count(*) FILTER (WHERE ${CHANGE} = 'same') AS unchanged FROM ${BATCH}`,
  );
  const counts: LoadCounts = { inserted: Number(tally.inserted), updated: Number(tally.updated), unchanged: Number(tally.unchanged), deleted: 0 };

  if (counts.updated > 0 || plan.mode === 'replace') {
    const retire = [`SELECT ${list(keys)} FROM ${BATCH} WHERE ${CHANGE} = 'update'`];
    if (plan.mode === 'replace') {
      retire.push(`SELECT ${list(keys, 't.')} FROM ${names.qualified} t ANTI JOIN ${BATCH} b ON ${on('t', 'b')} WHERE ${inPartition('t', false)}`);
    }
    const [{ n: retired }] = await db.rows<{ n: bigint }>(
      `CREATE OR REPLACE TEMP TABLE _supportsync_retire AS ${retire.join(' UNION ALL ')};
       SELECT count(*) AS n FROM ${RETIRE}`,
    );
    counts.deleted = Number(retired) - counts.updated;
    await db.script([
      ...(retired > 0n ? [
        `INSERT INTO ${names.qualifiedSuperseded} BY NAME
         SELECT t.*, t._loaded_at AS _valid_from, greatest(CAST(${sqlString(plan.at)} AS TIMESTAMPTZ), t._loaded_at) AS _valid_to
         FROM ${names.qualified} t SEMI JOIN ${RETIRE} r ON ${on('t', 'r')}`,
        `DELETE FROM ${names.qualified} AS t USING ${RETIRE} r WHERE ${on('t', 'r')}`,
      ] : []),
      `DROP TABLE ${RETIRE}`,
    ]);
  }

  const writes: string[] = [];
  if (counts.inserted + counts.updated > 0) {
    const specList = list(spec.columns.map((c) => c.name));
    const loadId = sqlString(plan.loadId);
    const at = `CAST(${sqlString(plan.at)} AS TIMESTAMPTZ)`;
    // Without carried-over columns, a semi-join on staging rowids (and the hash recomputed
    // inline) needs far less memory than joining the batch table back, which matters for big replaces.
    const source = extras.length
      ? `SELECT ${cast('st')}, ${list(extras, 'b.')}, ${loadId}, ${at}, b._row_hash
         FROM ${plan.staging} st JOIN ${BATCH} b ON st.rowid = b.${RID} WHERE b.${CHANGE} <> 'same'`
      : `SELECT *, ${loadId}, ${at}, ${hash} FROM (
           SELECT ${cast('st')} FROM ${plan.staging} st WHERE st.rowid IN (SELECT ${RID} FROM ${BATCH} WHERE ${CHANGE} <> 'same'))`;
    writes.push(`INSERT INTO ${names.qualified} (${specList}, ${extras.length ? list(extras) + ', ' : ''}_load_id, _loaded_at, _row_hash) ${source}`);
  }
  await db.script([...writes, `DROP TABLE ${BATCH}`]);
  return counts;
}
