/**
 * One sync run of one source: each planned stream is opened, read (normalize → stage →
 * commit data and state in one transaction) and finished (stream-sync.ts). The engine knows
 * the connector contract and the warehouse interface, nothing about any vendor or database.
 */
import { randomBytes } from 'node:crypto';
import type { ResolvedSource } from '../config/load-config.ts';
import { silentLogger, type Logger } from '../core/logger.ts';
import { redactError } from '../core/redact.ts';
import type { RunRecord, StreamRunRecord, Warehouse } from '../warehouse/warehouse.ts';
import { planStreams, type PlannedStream } from './stream-plan.ts';
import { StreamSync } from './stream-sync.ts';

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

/** Streams opened while the one before them is read (see runSync). */
const OPEN_AHEAD = 2;

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
  // Streams are read one at a time, in plan order, and the warehouse work around each read
  // overlaps with the reads: once a stream is under way the next two are opened (table, state,
  // load), and a stream's last commit runs while the next is read. Two, because an open waits
  // for the warehouse's write lock, which a commit holds for as long as it merges: the stream
  // after next is opened before the current one's commits begin.
  const opened: Promise<StreamSync>[] = [];
  let toOpen = 0;
  const openAhead = (count: number) => {
    while (toOpen < plan.length && opened.length < count) {
      const stream = openStream(opts, run, plan[toOpen++]!, log);
      stream.catch(() => undefined); // awaited in its turn, which rethrows; not unhandled meanwhile
      opened.push(stream);
    }
  };
  let finishing: Promise<void> = Promise.resolve();
  for (let i = 0; i < plan.length; i++) {
    openAhead(1);
    const current = await opened.shift()!;
    run.streams[current.name] = current.result;
    await current.read(warned, () => openAhead(OPEN_AHEAD));
    // Results are settled in plan order, so the run's error is the first stream's that failed.
    const previous = finishing;
    const finished = current.finish();
    finishing = previous.then(() => finished).then((result) => {
      if (result.status !== 'failed') return;
      run.status = 'failed';
      run.error ??= `${current.name}: ${result.error}`;
    });
    // At most one stream finishing while the next is read.
    await previous;
    // Wrong credentials fail every stream the same way: stop instead of repeating it.
    if (current.fatal) {
      for (const stream of opened.splice(0)) await (await stream).skip(`the run stopped at ${current.name}'s error`);
      break;
    }
  }
  await finishing;
  await createViews(opts, plan, run, log);
  if (run.status === 'running') run.status = 'succeeded';
  run.finishedAt = new Date();
  run.durationMs = run.finishedAt.getTime() - run.startedAt.getTime();
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

async function openStream(opts: SyncOptions, run: RunRecord, planned: PlannedStream, log: Logger): Promise<StreamSync> {
  const stream = new StreamSync(opts, run, planned, log);
  await stream.open();
  return stream;
}
