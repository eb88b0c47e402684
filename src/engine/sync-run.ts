/**
 * One sync run of one source: for each planned stream, read → normalize → stage →
 * commit (data and state in one transaction) → prune history. The engine knows the
 * connector contract and the warehouse interface, nothing about any vendor or database.
 *
 * Commit policy: a `state` message from the source means "everything before me is
 * covered". We commit at such a boundary once enough rows are staged (or enough time
 * passed), so a crash loses at most the work since the last commit, and never advances
 * the state past committed data.
 */
import { randomBytes } from 'node:crypto';
import type { ResolvedSource } from '../config/load-config.ts';
import { parseDuration } from '../core/duration.ts';
import { AuthError, describeError, sourceSettingPath, SupportSyncError } from '../core/errors.ts';
import { silentLogger, type Logger } from '../core/logger.ts';
import { redactError } from '../core/redact.ts';
import type { SourceContext, StreamState } from '../sources/source.ts';
import type { Load, Row, RunRecord, StreamRunRecord, Warehouse } from '../warehouse/warehouse.ts';
import { readAhead } from './read-ahead.ts';
import { createRecordNormalizer } from './record-normalizer.ts';
import { planStreams, type PlannedStream } from './stream-plan.ts';

export interface SyncOptions {
  warehouse: Warehouse;
  source: ResolvedSource;
  sourceIndex?: number;
  /** Stream names or globs; default: the config's selection. */
  streams?: string[];
  /** Force FULL_TABLE for every stream of this run. */
  full?: boolean;
  trigger?: RunRecord['trigger'];
  log?: Logger;
  signal?: AbortSignal;
  /** Called as records arrive, for progress bars. */
  onProgress?: (event: ProgressEvent) => void;
  /** Rows per append call and rows per commit; tests lower them to exercise many commits. */
  batchRows?: number;
  commitRows?: number;
  commitEveryMs?: number;
}

export type ProgressEvent =
  | { type: 'stream-start'; stream: string; table: string; syncType: string }
  | { type: 'records'; stream: string; records: number }
  | { type: 'stream-end'; stream: string; result: StreamRunRecord };

export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

export async function runSync(opts: SyncOptions): Promise<RunRecord> {
  const { warehouse, source: resolved } = opts;
  const log = (opts.log ?? silentLogger).child({ source: resolved.entry.name });
  const plan = planStreams(resolved.entry, resolved.source.discover(resolved.config), {
    only: opts.streams, full: opts.full, sourceIndex: opts.sourceIndex,
  });
  const run: RunRecord = {
    runId: newRunId(),
    source: resolved.entry.name,
    trigger: opts.trigger ?? 'manual',
    status: 'running',
    startedAt: new Date(),
    streams: {},
  };
  await warehouse.saveRun(run);
  log.info('run started', { runId: run.runId, streams: plan.map((p) => p.stream.name) });

  // A warning about the whole source (failed export jobs, say) comes from each of its
  // streams: it is logged once per run, and every stream's run record still carries it.
  const warned = new Set<string>();
  for (const planned of plan) {
    const result = await syncStream(opts, run, planned, log, warned);
    run.streams[planned.stream.name] = result;
    if (result.status === 'failed') {
      run.status = 'failed';
      run.error ??= `${planned.stream.name}: ${result.error}`;
      // Wrong credentials fail every stream the same way: stop instead of repeating it.
      if (result.fatal) break;
    }
  }
  await createViews(opts, plan, run, log);
  if (run.status === 'running') run.status = 'succeeded';
  run.finishedAt = new Date();
  run.durationMs = run.finishedAt.getTime() - run.startedAt.getTime();
  for (const r of Object.values(run.streams)) delete (r as { fatal?: boolean }).fatal;
  await warehouse.saveRun(run);
  log.info(`run ${run.status}`, { runId: run.runId, durationMs: run.durationMs });
  return run;
}

/** Creates the source's derived views whose streams all synced in this run. */
async function createViews(opts: SyncOptions, plan: PlannedStream[], run: RunRecord, log: Logger): Promise<void> {
  const { warehouse, source: resolved } = opts;
  for (const view of resolved.source.views ?? []) {
    const tables: Record<string, string> = {};
    for (const p of plan) if (run.streams[p.stream.name]?.status === 'succeeded') tables[p.stream.name] = warehouse.qualifiedName(p.placement);
    if (!view.dependsOn.every((name) => tables[name])) continue;
    const { layer, folder, tablePrefix } = resolved.entry;
    try {
      const name = await warehouse.createView({ layer, folder, prefix: tablePrefix || undefined, name: view.name }, view.sql(tables));
      log.info(`view ${name} updated`);
    } catch (err) {
      run.status = 'failed';
      run.error ??= `view ${view.name}: ${redactError(err)}`;
    }
  }
}

async function syncStream(
  opts: SyncOptions,
  run: RunRecord,
  { stream, syncType, placement, fromScratch }: PlannedStream,
  runLog: Logger,
  warned: Set<string>,
): Promise<StreamRunRecord & { fatal?: boolean }> {
  const { warehouse, source: resolved } = opts;
  const log = runLog.child({ stream: stream.name });
  const started = Date.now();
  const batchRows = opts.batchRows ?? 2_000;
  // A trade-off, measured (2 cores, DuckDB on one thread while the engine stages): a commit
  // costs DuckDB a fixed part (batch table, state, log, WAL) and it is the bottleneck of narrow
  // rows. 100k-row commits took the 1 GB Gladly export from 48 s to 29 s (512 MB of it: 23.8 s
  // → 18.0 s) with the same peak RSS, and 1M tickets the same time (13.7-14.5 s either way).
  // 250k went no faster (17.7 s) but raised peak RSS (1M tickets: 568 MB instead of 470-510),
  // the last commit of a rate-limited sync runs alone for longer after the last request, and a
  // crash loses more work. Just over one DuckDB row group (122,880) is the worst: 131,072-row
  // commits took 50% more CPU for 1M tickets.
  const commitRows = opts.commitRows ?? 100_000;
  const commitEveryMs = opts.commitEveryMs ?? 10_000;
  const normalizer = createRecordNormalizer(stream.columns, stream.primaryKey);
  const result: StreamRunRecord & { fatal?: boolean } = {
    table: warehouse.qualifiedName(placement), syncType, status: 'running',
    records: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0, rejected: 0, requests: 0, durationMs: 0, warnings: [],
  };
  opts.onProgress?.({ type: 'stream-start', stream: stream.name, table: result.table, syncType });

  let load: Load | undefined;
  let pending: Row[] = [];
  let stagedSinceCommit = 0;
  let lastCommitAt = Date.now();
  const addCounts = (c: { inserted: number; updated: number; unchanged: number; deleted: number }) => {
    result.inserted += c.inserted; result.updated += c.updated; result.unchanged += c.unchanged; result.deleted += c.deleted;
  };
  const flush = async () => {
    if (pending.length === 0) return;
    const rows = pending;
    pending = [];
    await load!.append(rows);
  };
  // At most one commit runs while the next rows are read and staged: waiting for the previous
  // commit before starting another keeps memory bounded and surfaces a failure one commit late
  // at most (the warehouse then fails every later commit, so state never passes lost data).
  let committing: Promise<void> | undefined;
  const commit = async (state: StreamState | undefined, final: boolean) => {
    await flush();
    const previous = committing;
    committing = load!.commit(state, { final }).then(addCounts);
    committing.catch(() => undefined); // awaited below or at the next commit; not unhandled meanwhile
    stagedSinceCommit = 0;
    lastCommitAt = Date.now();
    await previous;
    if (final) await committing;
  };

  const ctx: SourceContext = {
    log,
    signal: opts.signal ?? new AbortController().signal,
    countRequest: () => { result.requests++; },
  };

  try {
    const changes = await warehouse.prepareTable({ placement, columns: normalizer.columns, primaryKey: stream.primaryKey });
    for (const change of changes) if (change.kind !== 'created') log.info(`schema: ${change.kind} column ${change.column}`, { table: change.table });
    if (fromScratch) result.warnings.push('full re-read: the saved state was ignored (this stream offers no FULL_TABLE; rows no longer at the source are kept)');
    const state = syncType === 'INCREMENTAL' && !fromScratch ? await warehouse.readState(resolved.entry.name, stream.name) : undefined;
    load = await warehouse.beginLoad({
      runId: run.runId, source: resolved.entry.name, stream: stream.name,
      spec: { placement, columns: normalizer.columns, primaryKey: stream.primaryKey, versionColumn: stream.cursorField },
      mode: syncType === 'FULL_TABLE' ? 'replace' : 'merge',
    });

    let lastState: StreamState | undefined = state;
    for await (const message of readAhead(resolved.source.read(resolved.config, { stream, syncType, state }, ctx))) {
      if (message.type === 'records') {
        for (const record of message.records) {
          const row = normalizer.normalize(record);
          if (row) pending.push(row);
        }
        result.records += message.records.length;
        stagedSinceCommit += message.records.length;
        if (pending.length >= batchRows) await flush();
        opts.onProgress?.({ type: 'records', stream: stream.name, records: result.records });
      } else if (message.type === 'state') {
        lastState = message.state;
        const due = stagedSinceCommit >= commitRows || Date.now() - lastCommitAt >= commitEveryMs;
        if (due && syncType === 'INCREMENTAL') await commit(lastState, false);
      } else if (message.type === 'warning') {
        result.warnings.push(message.message);
        if (!warned.has(message.message)) log.warn(message.message);
        warned.add(message.message);
      }
    }
    await commit(lastState, true);

    const retention = resolved.entry.retention ? parseDuration(resolved.entry.retention) : undefined;
    if (retention) await warehouse.pruneHistory(placement, new Date(Date.now() - retention));
    result.status = 'succeeded';
  } catch (err) {
    result.status = 'failed';
    // The settings an error names, as the config file spells them (`sources[1].config.apiKey`).
    result.error = describeError(err, opts.sourceIndex === undefined ? undefined : sourceSettingPath(opts.sourceIndex));
    result.fatal = err instanceof AuthError || (err instanceof SupportSyncError && err.phase === 'config');
    log.error(`stream failed: ${result.error}`);
    await load?.abort(result.error).catch((abortErr) => log.warn(`could not abort load: ${redactError(abortErr)}`));
  } finally {
    result.rejected = normalizer.stats.rejected;
    if (normalizer.stats.rejected > 0) {
      result.warnings.push(`${normalizer.stats.rejected} record(s) had no primary key (${stream.primaryKey.join(', ')}) and were not loaded`);
    }
    for (const [column, n] of Object.entries(normalizer.stats.coerced)) {
      result.warnings.push(`${n} value(s) of ${column} did not fit type ${stream.columns[column]}: stored as NULL, original kept in _extra`);
    }
    result.durationMs = Date.now() - started;
    opts.onProgress?.({ type: 'stream-end', stream: stream.name, result });
  }
  return result;
}
