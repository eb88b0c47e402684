/**
 * One stream of a run, in three steps the run calls in order (sync-run.ts overlaps them
 * across streams):
 * 1. open: the table prepared, the saved state read, the load begun;
 * 2. read: read → normalize → stage, committing at the source's checkpoints; it returns once
 *    the source is read, with the last commit issued but not awaited;
 * 3. finish: the last commit awaited, history pruned, the result settled.
 * A failure in any step marks the result failed, aborts the load and makes the later steps
 * do nothing but settle the result.
 *
 * Commit policy: a `state` message from the source means "everything before me is
 * covered". We commit at such a boundary once enough rows are staged (or enough time
 * passed), so a crash loses at most the work since the last commit, and never advances
 * the state past committed data.
 */
import { parseDuration } from '../core/duration.ts';
import { AuthError, describeError, sourceSettingPath, SupportSyncError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { redactError } from '../core/redact.ts';
import type { SourceContext, StreamState } from '../sources/source.ts';
import type { Load, LoadCounts, Row, RunRecord, StreamRunRecord } from '../warehouse/warehouse.ts';
import { readAhead } from './read-ahead.ts';
import { createRecordNormalizer, type RecordNormalizer } from './record-normalizer.ts';
import type { PlannedStream } from './stream-plan.ts';
import type { SyncOptions } from './sync-run.ts';

export class StreamSync {
  readonly result: StreamRunRecord;
  /** The failure stops the whole run: wrong credentials would fail every stream the same way. */
  fatal = false;
  private readonly log: Logger;
  private readonly normalizer: RecordNormalizer;
  private load?: Load;
  private state?: StreamState;
  private started = 0;
  /** Rows normalized but not yet handed to the load. */
  private pending: Row[] = [];
  private stagedSinceCommit = 0;
  private lastCommitAt = 0;
  /** The commits in flight: the last one issued and, until it is done, the one before it. */
  private committing?: Promise<void>;

  constructor(
    private readonly opts: SyncOptions,
    private readonly run: RunRecord,
    private readonly planned: PlannedStream,
    runLog: Logger,
  ) {
    const { warehouse } = opts;
    this.log = runLog.child({ stream: planned.stream.name });
    this.normalizer = createRecordNormalizer(planned.stream.columns, planned.stream.primaryKey);
    this.result = {
      table: warehouse.qualifiedName(planned.placement), syncType: planned.syncType, status: 'running',
      records: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0, rejected: 0, requests: 0, durationMs: 0, warnings: [],
    };
  }

  get name(): string {
    return this.planned.stream.name;
  }

  /** Prepares the table, reads the saved state and begins the load. */
  async open(): Promise<void> {
    const { warehouse, source: resolved } = this.opts;
    const { stream, syncType, placement, fromScratch } = this.planned;
    try {
      const changes = await warehouse.prepareTable({ placement, columns: this.normalizer.columns, primaryKey: stream.primaryKey });
      for (const change of changes) if (change.kind !== 'created') this.log.info(`schema: ${change.kind} column ${change.column}`, { table: change.table });
      if (fromScratch) this.result.warnings.push('full re-read: the saved state was ignored (this stream offers no FULL_TABLE; rows no longer at the source are kept)');
      this.state = syncType === 'INCREMENTAL' && !fromScratch ? await warehouse.readState(resolved.entry.name, stream.name) : undefined;
      this.load = await warehouse.beginLoad({
        runId: this.run.runId, source: resolved.entry.name, stream: stream.name,
        spec: { placement, columns: this.normalizer.columns, primaryKey: stream.primaryKey, versionColumn: stream.cursorField },
        mode: syncType === 'FULL_TABLE' ? 'replace' : 'merge',
      });
    } catch (err) {
      await this.fail(err);
    }
  }

  /**
   * Reads the stream to its end, staging and committing as it goes, and issues the last
   * commit. `onUnderway` is called once the source has answered (its first message), or at
   * the end of a read without messages; not when the read fails first.
   */
  async read(warned: Set<string>, onUnderway: () => void): Promise<void> {
    const { source: resolved } = this.opts;
    const { stream, syncType } = this.planned;
    this.started = Date.now();
    this.lastCommitAt = this.started;
    this.opts.onProgress?.({ type: 'stream-start', stream: stream.name, table: this.result.table, syncType });
    if (this.result.status === 'failed') return;
    const batchRows = this.opts.batchRows ?? 2_000;
    // A trade-off, measured (2 cores, DuckDB on one thread while the engine stages): a commit
    // costs DuckDB a fixed part (batch table, state, log, WAL) and it is the bottleneck of narrow
    // rows. 100k-row commits took the 1 GB Gladly export from 48 s to 29 s (512 MB of it: 23.8 s
    // → 18.0 s) with the same peak RSS, and 1M tickets the same time (13.7-14.5 s either way).
    // 250k went no faster (17.7 s) but raised peak RSS (1M tickets: 568 MB instead of 470-510),
    // the last commit of a rate-limited sync runs alone for longer after the last request, and a
    // crash loses more work. Just over one DuckDB row group (122,880) is the worst: 131,072-row
    // commits took 50% more CPU for 1M tickets.
    const commitRows = this.opts.commitRows ?? 100_000;
    const commitEveryMs = this.opts.commitEveryMs ?? 10_000;
    const ctx: SourceContext = {
      log: this.log,
      signal: this.opts.signal ?? new AbortController().signal,
      countRequest: () => { this.result.requests++; },
    };
    let underway = false;
    try {
      let lastState = this.state;
      for await (const message of readAhead(resolved.source.read(resolved.config, { stream, syncType, state: this.state }, ctx))) {
        if (!underway) { underway = true; onUnderway(); }
        if (message.type === 'records') {
          for (const record of message.records) {
            const row = this.normalizer.normalize(record);
            if (row) this.pending.push(row);
          }
          this.result.records += message.records.length;
          this.stagedSinceCommit += message.records.length;
          if (this.pending.length >= batchRows) await this.flush();
          this.opts.onProgress?.({ type: 'records', stream: stream.name, records: this.result.records });
        } else if (message.type === 'state') {
          lastState = message.state;
          const due = this.stagedSinceCommit >= commitRows || Date.now() - this.lastCommitAt >= commitEveryMs;
          if (due && syncType === 'INCREMENTAL') await this.commit(lastState, false);
        } else if (message.type === 'warning') {
          this.result.warnings.push(message.message);
          if (!warned.has(message.message)) this.log.warn(message.message);
          warned.add(message.message);
        }
      }
      if (!underway) onUnderway();
      await this.commit(lastState, true);
    } catch (err) {
      await this.fail(err);
    }
  }

  /** Waits for the last commit, prunes history past the retention and settles the result. */
  async finish(): Promise<StreamRunRecord> {
    const { warehouse, source: resolved } = this.opts;
    if (this.result.status !== 'failed') {
      try {
        await this.committing;
        const retention = resolved.entry.retention ? parseDuration(resolved.entry.retention) : undefined;
        if (retention) await warehouse.pruneHistory(this.planned.placement, new Date(Date.now() - retention));
        this.result.status = 'succeeded';
      } catch (err) {
        await this.fail(err);
      }
    }
    const { rejected, coerced } = this.normalizer.stats;
    this.result.rejected = rejected;
    if (rejected > 0) {
      this.result.warnings.push(`${rejected} record(s) had no primary key (${this.planned.stream.primaryKey.join(', ')}) and were not loaded`);
    }
    for (const [column, n] of Object.entries(coerced)) {
      this.result.warnings.push(`${n} value(s) of ${column} did not fit type ${this.planned.stream.columns[column]}: stored as NULL, original kept in _extra`);
    }
    this.result.durationMs = Date.now() - this.started;
    this.opts.onProgress?.({ type: 'stream-end', stream: this.name, result: this.result });
    return this.result;
  }

  /** The run stopped before this stream, opened ahead, was read: its load is aborted. */
  async skip(reason: string): Promise<void> {
    await this.load?.abort(`not read: ${reason}`).catch((err) => this.log.warn(`could not abort load: ${redactError(err)}`));
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    await this.load!.append(rows);
  }

  /**
   * Stages what is pending and commits it with `state`. Each commit but the last waits for the
   * one before it: that keeps memory bounded and surfaces a failure one commit late at most
   * (the warehouse then fails every later commit, so state never passes lost data). The last
   * commit returns at once; finish() awaits it and the one before it.
   */
  private async commit(state: StreamState | undefined, final: boolean): Promise<void> {
    await this.flush();
    const previous = this.committing;
    const committing = this.load!.commit(state, { final }).then((counts) => this.addCounts(counts));
    this.committing = Promise.all([previous, committing]).then(() => undefined);
    this.committing.catch(() => undefined); // awaited below, at the next commit or by finish(); not unhandled meanwhile
    this.stagedSinceCommit = 0;
    this.lastCommitAt = Date.now();
    if (!final) await previous;
  }

  private addCounts(c: LoadCounts): void {
    this.result.inserted += c.inserted; this.result.updated += c.updated; this.result.unchanged += c.unchanged; this.result.deleted += c.deleted;
  }

  private async fail(err: unknown): Promise<void> {
    if (this.result.status === 'failed') return;
    this.result.status = 'failed';
    // The settings an error names, as the config file spells them (`sources[1].config.apiKey`).
    const { sourceIndex } = this.opts;
    this.result.error = describeError(err, sourceIndex === undefined ? undefined : sourceSettingPath(sourceIndex));
    this.fatal = err instanceof AuthError || (err instanceof SupportSyncError && err.phase === 'config');
    this.log.error(`stream failed: ${this.result.error}`);
    await this.load?.abort(this.result.error).catch((abortErr) => this.log.warn(`could not abort load: ${redactError(abortErr)}`));
  }
}
