/**
 * Runs syncs on their cron schedules (`schedule`, and `fullSyncSchedule` for the periodic
 * additional full sync). Runs are serialized: an embedded warehouse has one writer, and a
 * source never syncs twice at once. A tick that arrives while the same job is still queued
 * or running is skipped (and logged), not stacked up.
 *
 * The warehouse is opened for each run and closed after it: an embedded DuckDB file admits
 * one process at a time, and between runs `query`, `runs` and the user's own tools need it.
 */
import { Cron } from 'croner';
import type { ResolvedSource } from '../config/load-config.ts';
import type { Logger } from '../core/logger.ts';
import { redactError } from '../core/redact.ts';
import type { RunRecord, Warehouse } from '../warehouse/warehouse.ts';
import { runSync } from './sync-run.ts';

export interface SchedulerOptions {
  /** Opens the warehouse for one run (the scheduler closes it after). */
  openWarehouse: () => Promise<Warehouse>;
  /** Every source of the config file, in file order: a position is what errors name (`sources[1].config.apiKey`). */
  sources: ResolvedSource[];
  log: Logger;
  onRun?: (run: RunRecord) => void;
}

export interface Scheduler {
  /** Next fire time of each job, for the startup banner. */
  jobs(): { source: string; kind: 'incremental' | 'full'; cron: string; next: Date | null }[];
  /** Waits for the current run (if any), then stops scheduling. */
  stop(): Promise<void>;
}

export function startScheduler(opts: SchedulerOptions): Scheduler {
  const { log } = opts;
  let queue: Promise<void> = Promise.resolve();
  const busy = new Set<string>();
  const crons: { source: string; kind: 'incremental' | 'full'; cron: Cron }[] = [];

  const enqueue = (source: ResolvedSource, full: boolean) => {
    const key = `${source.entry.name}:${full ? 'full' : 'incremental'}`;
    if (busy.has(key)) {
      log.warn('previous run still in progress; skipping this tick', { source: source.entry.name, full });
      return;
    }
    busy.add(key);
    queue = queue.then(async () => {
      try {
        const warehouse = await opts.openWarehouse();
        try {
          const run = await runSync({ warehouse, source, full, trigger: full ? 'full-schedule' : 'schedule', log, sourceIndex: opts.sources.indexOf(source) });
          opts.onRun?.(run);
        } finally {
          await warehouse.close();
        }
      } catch (err) {
        log.error(`scheduled run could not start: ${redactError(err)}`, { source: source.entry.name });
      } finally {
        busy.delete(key);
      }
    });
  };

  for (const source of opts.sources) {
    const { schedule, fullSyncSchedule } = source.entry;
    if (schedule) crons.push({ source: source.entry.name, kind: 'incremental', cron: new Cron(schedule, () => enqueue(source, false)) });
    if (fullSyncSchedule) crons.push({ source: source.entry.name, kind: 'full', cron: new Cron(fullSyncSchedule, () => enqueue(source, true)) });
  }

  return {
    jobs: () => crons.map((c) => ({ source: c.source, kind: c.kind, cron: c.cron.getPattern() ?? '', next: c.cron.nextRun() })),
    async stop() {
      for (const c of crons) c.cron.stop();
      await queue;
    },
  };
}
