/**
 * The DuckDB warehouse: one database file, opened by one process at a time.
 *
 * Layout: each stream lands in `"<layer>"."<folder>__<prefix><name>"` (see placement.ts),
 * with a `<table>__history` companion and a `<table>__as_of(ts)` table macro (history.ts);
 * bookkeeping lives in `_supportsync` (bookkeeping.ts). Every connection runs with
 * TimeZone=UTC. Connections: one for DDL and bookkeeping, one for `query`, and one per open
 * load (its staging is a temp table of that connection, see duckdb-load.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { WarehouseError } from '../../core/errors.ts';
import { silentLogger, type Logger } from '../../core/logger.ts';
import { SUPERSEDED_SUFFIX, validateTableSpec } from '../placement.ts';
import type { LoadOptions, QueryResult, Warehouse, WarehouseUse } from '../warehouse.ts';
import { bookkeeping } from './bookkeeping.ts';
import { createDb, type Db } from './db.ts';
import { beginDuckDbLoad, type DuckDbLoad, type LoadHost } from './duckdb-load.ts';
import { pruneHistory } from './history.ts';
import { lockedError, openError } from './open-error.ts';
import { prepareTable, readTableColumns, recomputeRowHashes } from './prepare-table.ts';
import { rowHashProbeSql } from './row-hash.ts';
import { qualify, quoteIdent, sqlNames } from './sql-names.ts';
import { toJsonValue } from './to-json-value.ts';
import { createWriteLock } from './write-lock.ts';

export interface DuckDbWarehouseOptions {
  /**
   * DuckDB's memory_limit (e.g. '512MB', '2GB'); beyond it, merges and queries spill to
   * `<file>.tmp`. Default: by the threads (see defaultMemoryLimit); raise it for heavy
   * analytics. It caps DuckDB's buffer pool, not the whole process.
   */
  memoryLimit?: string;
  /** DuckDB worker threads; default: by `use` (see defaultThreads). */
  threads?: number;
  /** What the warehouse is opened for (default `read`). */
  use?: WarehouseUse;
  /**
   * A commit of more staged rows than this merges them in parts (by key hash), which bounds
   * its joins (default ROWS_PER_PARTITION; lower it together with memoryLimit).
   */
  rowsPerMergePartition?: number;
  log?: Logger;
}

/**
 * DuckDB's memory_limit when none is configured: 64 MB per thread plus 64 MB, because what a
 * load needs grows with the threads (each holds its own part of a join or an insert). Measured
 * on 1M 35-column tickets, incremental and as one final replace: 1 thread ran both in 128 MB
 * (and a 4M-row replace, peak RSS 434 MB), 2 threads in 192 MB, 4 in 320 MB; 2 threads ran
 * out of 128 MB. Less than the default costs no speed here (1M tickets 12.6 s at 128 MB,
 * 13.1 s at 192 MB) and saves RSS (415 MB instead of 512). Committed rows wait for a
 * checkpoint in this budget (see below).
 */
export function defaultMemoryLimit(threads: number): string {
  return `${64 * (threads + 1)}MB`;
}

/** A quarter of a size like '128MB' or '2GB', in MB; undefined for other forms (e.g. '80%'). */
function quarterOf(size: string): string | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(MB|MiB|GB|GiB|TB|TiB)\s*$/i.exec(size);
  if (!m) return undefined;
  const mb = Number(m[1]) * { mb: 1, mib: 1, gb: 1024, gib: 1024, tb: 1024 ** 2, tib: 1024 ** 2 }[m[2]!.toLowerCase() as 'mb'];
  return `${Math.max(16, Math.floor(mb / 4))}MB`;
}

/**
 * DuckDB's threads when none are configured. A sync keeps one core for the engine's own thread:
 * it produces the rows (parse, normalize, stage) while DuckDB merges the previous commit, and
 * DuckDB on every core starved it. Measured on 2 cores (engine-load, medians of 3): 1M tickets
 * 18.5 s with 2 DuckDB threads, 14.6 s with 1; a Gleap sync of 30k tickets 10-15% faster. A
 * reader gives DuckDB every core.
 */
export function defaultThreads(use: WarehouseUse): number {
  const cores = availableParallelism();
  return use === 'sync' ? Math.max(1, cores - 1) : cores;
}

/** Files this process has open: DuckDB would let a second instance open the same file and corrupt it. */
const openFiles = new Set<string>();

export async function openDuckDbWarehouse(path: string, options: DuckDbWarehouseOptions = {}): Promise<Warehouse> {
  const inMemory = path === ':memory:';
  const file = inMemory ? path : resolve(path);
  if (openFiles.has(file)) throw lockedError(file, 'this same process (it is already open; close it first)');
  if (!inMemory) mkdirSync(dirname(file), { recursive: true });
  const threads = options.threads ?? defaultThreads(options.use ?? 'read');
  const memoryLimit = options.memoryLimit ?? defaultMemoryLimit(threads);
  const checkpointThreshold = quarterOf(memoryLimit);
  const config: Record<string, string> = {
    threads: String(threads),
    memory_limit: memoryLimit,
    // DuckDB checkpoints when the WAL passes 16 MB by default: with commits of ~100k rows
    // that is every commit, each rewriting the table's last row group (measured: most of the
    // commit time). Loads checkpoint when they finish (duckdb-load.ts); in between, the WAL
    // may grow to a quarter of the memory limit: committed rows not yet checkpointed are held
    // in that budget, and at the whole of it a 128MB limit ran out of memory. It also bounds
    // crash replay.
    ...(checkpointThreshold ? { checkpoint_threshold: checkpointThreshold } : {}),
  };

  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, config);
  } catch (err) {
    throw openError(file, err);
  }
  if (!inMemory) openFiles.add(file);
  try {
    return await createWarehouse(instance, file, options.log ?? silentLogger, options.rowsPerMergePartition);
  } catch (err) {
    instance.closeSync();
    openFiles.delete(file);
    throw err;
  }
}

async function createWarehouse(instance: DuckDBInstance, file: string, log: Logger, rowsPerMergePartition?: number): Promise<Warehouse> {
  const connect = async (what: string): Promise<Db> => {
    const db = createDb(await instance.connect(), what);
    await db.run(`SET TimeZone = 'UTC'`);
    return db;
  };
  const main = await connect('bookkeeping');
  await main.run(`SET GLOBAL TimeZone = 'UTC'`);
  await bookkeeping.ensure(main);
  const recovered = await bookkeeping.recoverInterrupted(main);
  if (recovered.loads + recovered.runs > 0) log.warn('marked interrupted loads and runs as failed', { file, ...recovered });
  await checkRowHashes(main, log);
  const queryDb = await connect('query');

  const writeLock = createWriteLock();
  const loads = new Set<DuckDbLoad>();
  let lastCommit = 0;
  let closed = false;
  const host: LoadHost = {
    instance,
    writeLock,
    main,
    log,
    rowsPerMergePartition,
    commitTime() {
      lastCommit = Math.max(Date.now(), lastCommit + 1);
      return new Date(lastCommit).toISOString();
    },
    release: (load) => loads.delete(load),
  };
  const assertOpen = () => {
    if (closed) throw new WarehouseError(`The warehouse ${file} is closed.`, { code: 'WAREHOUSE_CLOSED' });
  };

  return {
    kind: 'duckdb',

    qualifiedName: (placement) => sqlNames(placement).qualified,

    async prepareTable(spec) {
      assertOpen();
      return writeLock(() => prepareTable(main, spec));
    },

    async beginLoad(opts: LoadOptions) {
      assertOpen();
      validateTableSpec(opts.spec);
      if (opts.mode !== 'merge' && opts.mode !== 'replace') {
        throw new WarehouseError(`Unknown load mode ${JSON.stringify(opts.mode)}: expected "merge" or "replace".`, { code: 'WAREHOUSE_BAD_MODE' });
      }
      // Idempotent: makes sure the table exists and has every column of the spec.
      await writeLock(() => prepareTable(main, opts.spec));
      const load = await beginDuckDbLoad(host, opts, randomUUID());
      loads.add(load);
      return load;
    },

    async readState(source, stream) {
      assertOpen();
      return writeLock(() => bookkeeping.readState(main, source, stream));
    },

    async clearState(source, stream) {
      assertOpen();
      await writeLock(() => bookkeeping.clearState(main, source, stream));
    },

    async saveRun(run) {
      assertOpen();
      await writeLock(() => bookkeeping.saveRun(main, run));
    },

    async listRuns(opts) {
      assertOpen();
      return writeLock(() => bookkeeping.listRuns(main, opts));
    },

    async listLoads(opts) {
      assertOpen();
      return writeLock(() => bookkeeping.listLoads(main, opts));
    },

    async pruneHistory(placement, before) {
      assertOpen();
      const names = sqlNames(placement);
      return writeLock(async () => ((await readTableColumns(main, names.schema, names.superseded)) ? pruneHistory(main, names, before) : 0));
    },

    async createView(placement, select) {
      assertOpen();
      const names = sqlNames(placement);
      await writeLock(async () => {
        await main.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(names.schema)}`);
        await main.run(`CREATE OR REPLACE VIEW ${names.qualified} AS ${select}`);
      });
      return names.qualified;
    },

    async query(sql): Promise<QueryResult> {
      assertOpen();
      try {
        // Several statements run in order and the last one's rows are the result, as `psql -c`
        // does (DuckDB's own multi-statement call would return the first SELECT's rows).
        const statements = await queryDb.connection.extractStatements(sql);
        if (statements.count === 0) throw new Error('no SQL statement to run');
        for (let i = 0; i < statements.count - 1; i++) await (await statements.prepare(i)).run();
        const reader = await (await statements.prepare(statements.count - 1)).runAndReadAll();
        const columns = reader.deduplicatedColumnNames();
        const types = reader.columnTypes();
        const rows = reader.getRows().map((values) => {
          const row: Record<string, unknown> = {};
          for (let i = 0; i < columns.length; i++) row[columns[i]] = toJsonValue(values[i], types[i]);
          return row;
        });
        return { columns, rows };
      } catch (err) {
        const message = (err instanceof Error ? err.message : String(err)).replace(/^Failed to extract statements: /, '');
        throw new WarehouseError(`Query failed: ${message}`, { code: 'WAREHOUSE_QUERY', cause: err });
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const load of [...loads]) await load.close('the warehouse was closed before the load finished').catch(() => undefined);
      await writeLock(async () => undefined); // let a running commit or DDL finish
      queryDb.connection.closeSync();
      main.connection.closeSync();
      instance.closeSync();
      openFiles.delete(file);
    },
  };
}

/**
 * `_row_hash` comes from DuckDB's hash(), which a DuckDB upgrade may change. When the probe
 * differs from the one stored at the last open, every table's hashes are recomputed once;
 * otherwise the next load would see every row as changed and write a version of each.
 */
async function checkRowHashes(db: Db, log: Logger): Promise<void> {
  const [{ probe }] = await db.rows<{ probe: string }>(rowHashProbeSql);
  const stored = await bookkeeping.getMeta(db, 'row_hash_probe');
  if (stored === probe) return;
  if (stored !== undefined) {
    const tables = await db.rows<{ schema_name: string; table_name: string }>(
      `SELECT t.schema_name, t.table_name FROM duckdb_tables() t
       WHERE t.database_name = current_database()
         AND EXISTS (SELECT 1 FROM duckdb_columns() c WHERE c.table_oid = t.table_oid AND c.column_name = '_row_hash')
         AND EXISTS (SELECT 1 FROM duckdb_tables() h WHERE h.database_name = t.database_name AND h.schema_name = t.schema_name AND h.table_name = t.table_name || $1)`,
      [SUPERSEDED_SUFFIX],
    );
    log.warn('DuckDB hash() changed since the last open: recomputing row hashes', { tables: tables.length });
    await db.transaction(async () => {
      for (const t of tables) await recomputeRowHashes(db, { schema: t.schema_name, table: t.table_name, qualified: qualify(t.schema_name, t.table_name) });
    });
  }
  await bookkeeping.setMeta(db, 'row_hash_probe', probe);
}
