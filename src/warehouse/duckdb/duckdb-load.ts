/**
 * One load: rows are appended into a staging table, then committed with the stream state.
 *
 * Staging is a TEMP table of a connection of the load's own: nothing staged is ever written to
 * the database file, and if the process dies the staging simply disappears with it (no
 * leftovers to clean up on the next open). Commits run under the warehouse's write lock, in
 * one transaction with the state and loads-log writes.
 *
 * A merge load has two such staging slots and alternates between them: while DuckDB applies
 * one slot's rows (on its own threads), the engine goes on filling the other. Commits are
 * chained: each waits for the one before and fails if it failed, so they apply in order and
 * state never passes data that is not committed.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { WarehouseError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { StreamState } from '../../sources/source.ts';
import type { Load, LoadCounts, LoadOptions, Row } from '../warehouse.ts';
import { bookkeeping } from './bookkeeping.ts';
import { CHUNK_ROWS, createChunkWriter, STAGING_TYPES, type ChunkWriter } from './chunk-writer.ts';
import { createDb, type Db } from './db.ts';
import { mergeStaged, STAGED_ORDER } from './merge-staged.ts';
import { readTableColumns } from './prepare-table.ts';
import { quoteIdent, sqlNames, type SqlNames } from './sql-names.ts';
import type { WriteLock } from './write-lock.ts';

/** What a load needs from its warehouse. */
export interface LoadHost {
  instance: DuckDBInstance;
  writeLock: WriteLock;
  /** The warehouse's main connection (bookkeeping outside of commits). */
  main: Db;
  /** A commit timestamp, strictly increasing within this process. */
  commitTime(): string;
  /** Staged rows per merge partition (see merge-staged.ts); undefined = its default. */
  rowsPerMergePartition?: number;
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

/** A staging table on a connection of its own. */
interface Slot {
  connection: DuckDBConnection;
  db: Db;
  appender: DuckDBAppender;
  /** Rows appended since the slot's last commit. */
  staged: number;
  /** Chunks handed to the appender since its last flush. */
  unflushedChunks: number;
  /** Settles once the slot's last commit is over and its staging is empty again. */
  idle: Promise<unknown>;
}

export async function beginDuckDbLoad(host: LoadHost, opts: LoadOptions, loadId: string): Promise<DuckDbLoad> {
  const names = sqlNames(opts.spec.placement);
  const slots: Slot[] = [];
  try {
    // A replace commits once, at the end: one slot is all it uses.
    for (let i = opts.mode === 'merge' ? 2 : 1; i > 0; i--) slots.push(await openSlot(host, opts, names));
    await host.writeLock(() =>
      bookkeeping.startLoad(host.main, {
        loadId, runId: opts.runId, source: opts.source, stream: opts.stream, table: names.qualified, mode: opts.mode, at: host.commitTime(),
      }),
    );
    return new StagedLoad(host, opts, loadId, names, slots);
  } catch (err) {
    for (const slot of slots) slot.connection.closeSync();
    throw err;
  }
}

async function openSlot(host: LoadHost, opts: LoadOptions, names: SqlNames): Promise<Slot> {
  const connection = await host.instance.connect();
  try {
    const db = createDb(connection, `load of ${names.qualified}`);
    await db.run(`SET TimeZone = 'UTC'`);
    // Without it DuckDB inserts with far less memory. Which staged row of a key is the latest
    // comes from the staging's own row numbers (STAGED_ORDER), not from where rows are stored.
    await db.run(`SET preserve_insertion_order = false`);
    await db.run(stagingDdl(opts));
    const appender = await connection.createAppender(STAGING, 'main', 'temp');
    return { connection, db, appender, staged: 0, unflushedChunks: 0, idle: Promise.resolve() };
  } catch (err) {
    connection.closeSync();
    throw err;
  }
}

function stagingDdl(opts: LoadOptions): string {
  const columns = opts.spec.columns.map((c) => `${quoteIdent(c.name)} ${STAGING_TYPES[c.type].sql}`);
  return `CREATE TEMP TABLE ${quoteIdent(STAGING)} (${columns.join(', ')}, ${STAGED_ORDER} BIGINT)`;
}

class StagedLoad implements DuckDbLoad {
  private status: 'open' | 'finished' | 'aborted' = 'open';
  /** The slot appends go to. */
  private filling: Slot;
  private commits = 0;
  /** The last commit called: the next one waits for it. */
  private lastCommit: Promise<unknown> = Promise.resolve();
  /** Set when staging or a commit failed: what is staged is unknown, only abort is possible. */
  private broken?: string;
  private readonly writer: ChunkWriter;

  constructor(
    private readonly host: LoadHost,
    private readonly opts: LoadOptions,
    readonly loadId: string,
    private readonly names: SqlNames,
    private readonly slots: Slot[],
  ) {
    this.filling = slots[0]!;
    this.writer = createChunkWriter(opts.spec.columns, opts.spec.primaryKey, { numberRows: true });
  }

  async append(rows: Row[]): Promise<void> {
    // A commit in flight issues its next statement only when this thread gets back to the
    // event loop; a caller that stages from an in-memory source would otherwise starve it.
    await yieldToEventLoop();
    // The filling slot may still be applying an older commit; wait until it is free, and
    // look again in case a commit took it meanwhile. From here on all is synchronous.
    let slot = this.filling;
    for (let idle = slot.idle; ; slot = this.filling, idle = slot.idle) {
      await idle;
      if (slot === this.filling && idle === slot.idle) break;
    }
    this.assertUsable('append');
    // Validate everything first: a refused batch then stages nothing and the load goes on.
    this.writer.validate(rows);
    try {
      for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
        const count = Math.min(CHUNK_ROWS, rows.length - start);
        slot.appender.appendDataChunk(this.writer.fill(rows, start, count));
        // Flushing costs a few ms per call, so it waits for a few batches; the cap keeps the
        // appender's own buffer (outside DuckDB's memory limit) small.
        if (++slot.unflushedChunks >= FLUSH_EVERY_CHUNKS) this.flush(slot);
      }
    } catch (err) {
      throw this.stagingFailed(err);
    }
    slot.staged += rows.length;
  }

  commit(state: StreamState | undefined, opts: { final?: boolean } = {}): Promise<LoadCounts> {
    const final = opts.final === true;
    try {
      this.assertUsable('commit');
    } catch (err) {
      return Promise.reject(err);
    }
    // A replace swaps the table only at the end; until then rows simply accumulate in staging.
    if (this.opts.mode === 'replace' && !final) return Promise.resolve({ ...ZERO });
    // Take the filling slot's rows now (so appends after this call go to the next commit) and
    // hand the other slot to appends; the slot is applied once the previous commit is through.
    const slot = this.filling;
    const rows = slot.staged;
    // Rows staged means the slot is idle (append waited for it): its appender is free to flush.
    if (rows > 0) {
      try {
        this.flush(slot);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    slot.staged = 0;
    this.filling = this.slots[(this.slots.indexOf(slot) + 1) % this.slots.length]!;
    const previous = this.lastCommit;
    const done = (async () => {
      await previous;
      return this.apply(slot, rows, state, final);
    })();
    done.catch((err: unknown) => {
      this.broken ??= `an earlier commit failed (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})`;
    });
    this.lastCommit = done;
    slot.idle = done.catch(() => undefined);
    return done;
  }

  async abort(reason: string): Promise<void> {
    await this.settled();
    await this.abortNow(reason);
  }

  /**
   * A merge load with nothing staged has nothing to lose: it is released as it stands (its
   * commits are in the log as committed). Anything else still pending is aborted.
   */
  async close(reason: string): Promise<void> {
    await this.settled();
    if (this.status !== 'open') return;
    const staged = this.slots.some((s) => s.staged > 0);
    if (this.opts.mode === 'merge' && !staged && this.commits > 0 && !this.broken) this.finish('finished');
    else await this.abortNow(reason);
  }

  /** Applies one slot's rows and `state` in one transaction, then empties the slot. */
  private async apply(slot: Slot, rows: number, state: StreamState | undefined, final: boolean): Promise<LoadCounts> {
    this.assertUsable('commit');
    const started = performance.now();
    const counts = await this.host.writeLock(() =>
      slot.db.transaction(async () => {
        const at = this.host.commitTime();
        let counts = { ...ZERO };
        if (rows > 0 || this.opts.mode === 'replace') {
          const columns = await readTableColumns(slot.db, this.names.schema, this.names.table);
          if (!columns) throw new WarehouseError(`Table ${this.names.qualified} does not exist any more; it was dropped during the load.`, { code: 'WAREHOUSE_NO_TABLE' });
          counts = await mergeStaged(slot.db, {
            names: this.names, staging: STAGING_REF, spec: this.opts.spec, columns, mode: this.opts.mode, loadId: this.loadId, at,
            stagedRows: rows, rowsPerPartition: this.host.rowsPerMergePartition,
          });
        }
        await slot.db.script([
          ...(state === undefined ? [] : [bookkeeping.writeStateSql(this.opts.source, this.opts.stream, state, this.opts.runId, at)]),
          bookkeeping.recordCommitSql(this.loadId, rows, counts, at),
        ]);
        return counts;
      }),
    );
    this.host.log.debug('committed', { table: this.names.qualified, loadId: this.loadId, rows, ...counts, ms: Math.round(performance.now() - started) });
    this.commits++;
    if (final) {
      await this.checkpoint(slot);
      this.finish('finished');
    } else if (rows > 0) {
      await this.resetStaging(slot);
    }
    return counts;
  }

  /** Waits until no commit is running (failed or not). */
  private async settled(): Promise<void> {
    await this.lastCommit.catch(() => undefined);
  }

  private flush(slot: Slot): void {
    try {
      slot.appender.flushSync();
      slot.unflushedChunks = 0;
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
  private async checkpoint(slot: Slot): Promise<void> {
    try {
      await this.host.writeLock(() => slot.db.run('CHECKPOINT'));
    } catch (err) {
      this.host.log.debug('checkpoint skipped', { table: this.names.qualified, reason: err instanceof Error ? err.message : String(err) });
    }
  }

  /** A fresh, empty staging table: dropping frees the memory the committed rows used. */
  private async resetStaging(slot: Slot): Promise<void> {
    slot.appender.closeSync();
    await slot.db.script([`DROP TABLE ${STAGING_REF}`, stagingDdl(this.opts)]);
    slot.appender = await slot.connection.createAppender(STAGING, 'main', 'temp');
  }

  private finish(status: 'finished' | 'aborted'): void {
    this.status = status;
    for (const slot of this.slots) {
      try {
        slot.appender.clear();
        slot.appender.closeSync();
      } catch {
        // the connection is closed next anyway
      }
      slot.connection.closeSync(); // temp staging goes with it
    }
    this.host.release(this);
  }

  private assertUsable(action: string): void {
    if (this.status !== 'open') {
      throw new WarehouseError(`Cannot ${action}: load ${this.loadId} of ${this.names.qualified} is already ${this.status}.`, { code: 'WAREHOUSE_LOAD_CLOSED' });
    }
    if (this.broken) {
      throw new WarehouseError(`Cannot ${action} load ${this.loadId} of ${this.names.qualified}: ${this.broken}. Abort it.`, { code: 'WAREHOUSE_LOAD_BROKEN' });
    }
  }
}
