/**
 * One load: rows are appended into a staging table, then committed with the stream state.
 *
 * Each load has its own connection and stages into a TEMP table of that connection: nothing
 * staged is ever written to the database file, and if the process dies the staging simply
 * disappears with it (no leftovers to clean up on the next open). Commits run under the
 * warehouse's write lock, in one transaction with the state and loads-log writes.
 */
import type { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { WarehouseError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { StreamState } from '../../sources/source.ts';
import type { Load, LoadCounts, LoadOptions, Row } from '../warehouse.ts';
import { bookkeeping } from './bookkeeping.ts';
import { CHUNK_ROWS, createChunkWriter, STAGING_TYPES, type ChunkWriter } from './chunk-writer.ts';
import { createDb, type Db } from './db.ts';
import { mergeStaged } from './merge-staged.ts';
import { readTableColumns } from './prepare-table.ts';
import { quoteIdent, sqlNames, type SqlNames } from './sql-names.ts';
import { createWriteLock, type WriteLock } from './write-lock.ts';

/** What a load needs from its warehouse. */
export interface LoadHost {
  instance: DuckDBInstance;
  writeLock: WriteLock;
  /** The warehouse's main connection (bookkeeping outside of commits). */
  main: Db;
  /** A commit timestamp, strictly increasing within this process. */
  commitTime(): string;
  /** Called once the load is finished or aborted. */
  release(load: DuckDbLoad): void;
  log: Logger;
}

export interface DuckDbLoad extends Load {
  /** The warehouse is closing: release the load, aborting it if anything is still pending. */
  close(reason: string): Promise<void>;
}

const STAGING = 'staging';
const STAGING_REF = `temp.main.${quoteIdent(STAGING)}`;
/** Flush the appender every this many chunks of 2048 rows (and before each commit). */
const FLUSH_EVERY_CHUNKS = 16;
const ZERO: LoadCounts = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };

export async function beginDuckDbLoad(host: LoadHost, opts: LoadOptions, loadId: string): Promise<DuckDbLoad> {
  const names = sqlNames(opts.spec.placement);
  const connection = await host.instance.connect();
  const db = createDb(connection, `load of ${names.qualified}`);
  try {
    await db.run(`SET TimeZone = 'UTC'`);
    // Nothing a load writes depends on row order; without it DuckDB inserts with far less memory.
    await db.run(`SET preserve_insertion_order = false`);
    await db.run(stagingDdl(opts));
    const appender = await connection.createAppender(STAGING, 'main', 'temp');
    await host.writeLock(() =>
      bookkeeping.startLoad(host.main, {
        loadId, runId: opts.runId, source: opts.source, stream: opts.stream, table: names.qualified, mode: opts.mode, at: host.commitTime(),
      }),
    );
    return new StagedLoad(host, opts, loadId, names, connection, db, appender);
  } catch (err) {
    connection.closeSync();
    throw err;
  }
}

function stagingDdl(opts: LoadOptions): string {
  const columns = opts.spec.columns.map((c) => `${quoteIdent(c.name)} ${STAGING_TYPES[c.type].sql}`);
  return `CREATE TEMP TABLE ${quoteIdent(STAGING)} (${columns.join(', ')})`;
}

class StagedLoad implements DuckDbLoad {
  private status: 'open' | 'finished' | 'aborted' = 'open';
  /** Rows staged since the last commit. */
  private staged = 0;
  private commits = 0;
  /** Chunks handed to the appender since its last flush. */
  private unflushedChunks = 0;
  /** Set when DuckDB failed while staging: what was staged is unknown, only abort is possible. */
  private broken?: string;
  private readonly writer: ChunkWriter;
  /** append, commit and abort of one load never overlap (an append during a commit would be lost). */
  private readonly serial = createWriteLock();

  constructor(
    private readonly host: LoadHost,
    private readonly opts: LoadOptions,
    readonly loadId: string,
    private readonly names: SqlNames,
    private readonly connection: DuckDBConnection,
    private readonly db: Db,
    private appender: DuckDBAppender,
  ) {
    this.writer = createChunkWriter(opts.spec.columns, opts.spec.primaryKey);
  }

  append(rows: Row[]): Promise<void> {
    return this.serial(async () => this.appendNow(rows));
  }

  commit(state: StreamState | undefined, opts: { final?: boolean } = {}): Promise<LoadCounts> {
    return this.serial(() => this.commitNow(state, opts.final === true));
  }

  abort(reason: string): Promise<void> {
    return this.serial(() => this.abortNow(reason));
  }

  /**
   * A merge load with nothing staged has nothing to lose: it is released as it stands (its
   * commits are in the log as committed). Anything else still pending is aborted.
   */
  close(reason: string): Promise<void> {
    return this.serial(async () => {
      if (this.status !== 'open') return;
      if (this.opts.mode === 'merge' && this.staged === 0 && this.commits > 0) this.finish('finished');
      else await this.abortNow(reason);
    });
  }

  private appendNow(rows: Row[]): void {
    this.assertOpen('append');
    // Validate everything first: a refused batch then stages nothing and the load goes on.
    this.writer.validate(rows);
    try {
      for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
        const count = Math.min(CHUNK_ROWS, rows.length - start);
        this.appender.appendDataChunk(this.writer.fill(rows, start, count));
        // Flushing costs a few ms per call, so it waits for a few batches; the cap keeps the
        // appender's own buffer (outside DuckDB's memory limit) small.
        if (++this.unflushedChunks >= FLUSH_EVERY_CHUNKS) this.flush();
      }
    } catch (err) {
      throw this.stagingFailed(err);
    }
    this.staged += rows.length;
  }

  private flush(): void {
    try {
      this.appender.flushSync();
      this.unflushedChunks = 0;
    } catch (err) {
      throw this.stagingFailed(err);
    }
  }

  /** DuckDB refused staged data itself (e.g. out of memory): what is staged is unknown, only abort is left. */
  private stagingFailed(err: unknown): WarehouseError {
    if (err instanceof WarehouseError) return err;
    const message = err instanceof Error ? err.message : String(err);
    this.broken = `staging failed (${message})`;
    return new WarehouseError(`Staging rows for ${this.names.qualified} failed: ${message}`, { code: 'WAREHOUSE_STAGE', cause: err });
  }

  private async commitNow(state: StreamState | undefined, final: boolean): Promise<LoadCounts> {
    this.assertOpen('commit');
    if (this.broken) throw new WarehouseError(`Cannot commit load ${this.loadId} of ${this.names.qualified}: ${this.broken}. Abort it.`, { code: 'WAREHOUSE_LOAD_BROKEN' });
    // A replace swaps the table only at the end; until then rows simply accumulate in staging.
    if (this.opts.mode === 'replace' && !final) return { ...ZERO };
    const started = performance.now();
    const rows = this.staged;
    this.flush();
    const counts = await this.host.writeLock(() =>
      this.db.transaction(async () => {
        const at = this.host.commitTime();
        let counts = { ...ZERO };
        if (rows > 0 || this.opts.mode === 'replace') {
          const columns = await readTableColumns(this.db, this.names.schema, this.names.table);
          if (!columns) throw new WarehouseError(`Table ${this.names.qualified} does not exist any more; it was dropped during the load.`, { code: 'WAREHOUSE_NO_TABLE' });
          counts = await mergeStaged(this.db, {
            names: this.names, staging: STAGING_REF, spec: this.opts.spec, columns, mode: this.opts.mode, loadId: this.loadId, at,
          });
        }
        if (state !== undefined) await bookkeeping.writeState(this.db, this.opts.source, this.opts.stream, state, this.opts.runId, at);
        await bookkeeping.recordCommit(this.db, this.loadId, rows, counts, at);
        return counts;
      }),
    );
    this.host.log.debug('committed', { table: this.names.qualified, loadId: this.loadId, rows, ...counts, ms: Math.round(performance.now() - started) });
    this.staged = 0;
    this.commits++;
    if (final) {
      await this.checkpoint();
      this.finish('finished');
    } else if (rows > 0) {
      await this.resetStaging();
    }
    return counts;
  }

  private async abortNow(reason: string): Promise<void> {
    if (this.status !== 'open') return;
    this.finish('aborted');
    await this.host.writeLock(() => bookkeeping.failLoad(this.host.main, this.loadId, reason, this.host.commitTime()));
  }

  /**
   * Writes the WAL into the database file once a load is done, so the file is self-contained
   * between syncs and a crash replays little. Best effort: DuckDB refuses while another
   * connection has a write in flight, and then the next load or close() does it.
   */
  private async checkpoint(): Promise<void> {
    try {
      await this.host.writeLock(() => this.db.run('CHECKPOINT'));
    } catch (err) {
      this.host.log.debug('checkpoint skipped', { table: this.names.qualified, reason: err instanceof Error ? err.message : String(err) });
    }
  }

  /** A fresh, empty staging table: dropping frees the memory the committed rows used. */
  private async resetStaging(): Promise<void> {
    this.appender.closeSync();
    await this.db.run(`DROP TABLE ${STAGING_REF}`);
    await this.db.run(stagingDdl(this.opts));
    this.appender = await this.connection.createAppender(STAGING, 'main', 'temp');
  }

  private finish(status: 'finished' | 'aborted'): void {
    this.status = status;
    try {
      this.appender.clear();
      this.appender.closeSync();
    } catch {
      // the connection is closed next anyway
    }
    this.connection.closeSync(); // temp staging goes with it
    this.host.release(this);
  }

  private assertOpen(action: string): void {
    if (this.status !== 'open') {
      throw new WarehouseError(`Cannot ${action}: load ${this.loadId} of ${this.names.qualified} is already ${this.status}.`, { code: 'WAREHOUSE_LOAD_CLOSED' });
    }
  }
}
