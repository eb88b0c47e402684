/**
 * The one interface through which the engine, the CLI and analytics touch a warehouse.
 * Nothing outside `src/warehouse/<kind>/` may know which database is behind it:
 * DuckDB today, PostgreSQL next, both passing the same test suite.
 */
import type { ColumnType } from '../core/columns.ts';
import type { StreamState } from '../sources/source.ts';

/** Where a stream's table lands: `<layer>.<folder>__<prefix><name>`. */
export interface TablePlacement {
  layer: string;
  folder?: string;
  prefix?: string;
  name: string;
}

export interface ColumnSpec {
  name: string;
  type: ColumnType;
}

export interface TableSpec {
  placement: TablePlacement;
  columns: ColumnSpec[];
  primaryKey: string[];
  /**
   * The column that orders a row's versions (the stream's cursor, e.g. `updatedAt`). A merge
   * never replaces a row with a staged version whose value here is older: re-reading old
   * data (a full re-read of export jobs, oldest first) then leaves the table and its history
   * alone instead of rolling rows back and forth. Such rows count as unchanged.
   */
  versionColumn?: string;
}

/** What `prepareTable` changed to make the table fit the spec (nothing is ever dropped). */
export type SchemaChange =
  | { kind: 'created'; table: string }
  | { kind: 'added'; table: string; column: string; type: ColumnType }
  | { kind: 'widened'; table: string; column: string; from: ColumnType; to: ColumnType };

/**
 * One row, values in the order of `TableSpec.columns`, typed per `ColumnValue`
 * (string, number, boolean, epoch milliseconds, JSON text) or null. Timestamp columns also
 * take a Date or an ISO 8601 string.
 */
export type Row = unknown[];

export type LoadMode =
  /** INCREMENTAL: upsert staged rows on the primary key at every commit. */
  | 'merge'
  /** FULL_TABLE: the staged rows replace the table atomically at the final commit. */
  | 'replace';

export interface LoadCounts {
  inserted: number;
  updated: number;
  /** Rows staged again with identical content: no new version written. */
  unchanged: number;
  /** Rows removed by a `replace` load (present before, absent now). */
  deleted: number;
}

export interface LoadOptions {
  runId: string;
  source: string;
  stream: string;
  spec: TableSpec;
  mode: LoadMode;
}

/**
 * A load of one stream within one run. Rows are staged, then committed with state.
 *
 * A commit may still be running when the next rows arrive: `append` then stages them for
 * the next commit (a warehouse may make it wait), so that reading and staging go on while
 * the database applies the previous batch. Commits apply in the order they were called; when
 * one fails, every later one fails too, so state never passes data that is not committed.
 */
export interface Load {
  readonly loadId: string;
  append(rows: Row[]): Promise<void>;
  /**
   * Makes the rows of every append finished before this call (and since the last commit)
   * visible, and saves `state` for the stream, in one transaction: after a crash either both
   * are there or neither is. For `replace` loads, only the commit with `final: true` swaps
   * the table; earlier commits keep rows staged and save nothing.
   */
  commit(state: StreamState | undefined, opts?: { final?: boolean }): Promise<LoadCounts>;
  /** Drops staged rows and marks the load failed in the loads log. */
  abort(reason: string): Promise<void>;
}

export type RunStatus = 'running' | 'succeeded' | 'failed';

export interface StreamRunRecord {
  table: string;
  syncType: string;
  status: RunStatus;
  records: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Records refused before loading (e.g. no primary key), with the reasons counted. */
  rejected: number;
  requests: number;
  durationMs: number;
  warnings: string[];
  error?: string;
}

export interface RunRecord {
  runId: string;
  source: string;
  trigger: 'manual' | 'schedule' | 'full-schedule' | 'demo';
  status: RunStatus;
  startedAt: Date;
  finishedAt?: Date;
  durationMs?: number;
  streams: Record<string, StreamRunRecord>;
  error?: string;
}

export interface QueryResult {
  columns: string[];
  /** Rows as plain JSON-friendly values (bigints that fit become numbers, dates ISO strings). */
  rows: Record<string, unknown>[];
}

export interface LoadLogEntry {
  loadId: string;
  runId: string;
  source: string;
  stream: string;
  table: string;
  status: 'running' | 'committed' | 'failed';
  rows: number;
  inserted: number;
  updated: number;
  startedAt: Date;
  finishedAt?: Date;
}

/**
 * What a process opens a warehouse for: `sync` (loads, while the engine's thread produces rows)
 * or `read` (queries, with the process otherwise idle).
 */
export type WarehouseUse = 'sync' | 'read';

export interface Warehouse {
  readonly kind: string;
  /** The quoted, fully qualified name of a placement, ready to paste into SQL. */
  qualifiedName(placement: TablePlacement): string;
  /** Creates the table (and its history and as-of macro) or evolves it to fit the spec. */
  prepareTable(spec: TableSpec): Promise<SchemaChange[]>;
  beginLoad(opts: LoadOptions): Promise<Load>;
  readState(source: string, stream: string): Promise<StreamState | undefined>;
  /** Forgets a stream's state (the next run starts from the start date). */
  clearState(source: string, stream: string): Promise<void>;
  /** Inserts or updates a run record (called at start, and at the end of the run). */
  saveRun(run: RunRecord): Promise<void>;
  listRuns(opts?: { source?: string; limit?: number }): Promise<RunRecord[]>;
  listLoads(opts?: { runId?: string; limit?: number }): Promise<LoadLogEntry[]>;
  /** Deletes history versions that stopped being current before `before`. Returns rows pruned. */
  pruneHistory(placement: TablePlacement, before: Date): Promise<number>;
  /** Creates or replaces a view (a source's derived view) at `placement` from a SELECT. */
  createView(placement: TablePlacement, select: string): Promise<string>;
  query(sql: string): Promise<QueryResult>;
  close(): Promise<void>;
}
