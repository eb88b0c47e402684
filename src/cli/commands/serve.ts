import { Command } from 'commander';
import { startScheduler } from '../../engine/scheduler.ts';
import { startEventService } from '../../events/event-service.ts';
import { openWarehouse } from '../../warehouse/open-warehouse.ts';
import { cliLogger, requireConfig, type CommonOptions } from '../context.ts';

/** Long-running: the scheduler for sources (and, once configured, the event intake). */
export function serveCommand(): Command {
  return new Command('serve')
    .description('run until stopped: scheduled syncs for sources, and the event intake and delivery for destinations')
    .requiredOption('--config <file>', 'config file (YAML)')
    .option('--verbose', 'log every step (each request and page), not only runs, schedules and warnings')
    .action(async (opts: CommonOptions) => {
      const loaded = requireConfig(opts);
      const log = cliLogger(opts, true);
      // Listening for the stop signals before anything starts: a SIGTERM that arrives while
      // serve starts up (say, right after a startup line was read) stops it cleanly too.
      const stopRequested = new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      const scheduled = loaded.sources.filter((s) => s.entry.schedule || s.entry.fullSyncSchedule);
      const open = () => openWarehouse(loaded.config.warehouse, loaded.baseDir, 'sync');
      // Opened once now so that a warehouse that cannot be opened (locked, bad path) stops
      // serve at once; then only for each run, so the file is free between runs.
      if (scheduled.length > 0) await (await open()).close();
      const scheduler = scheduled.length > 0 ? startScheduler({ openWarehouse: open, sources: loaded.sources, log }) : undefined;
      for (const job of scheduler?.jobs() ?? []) {
        log.info(`scheduled ${job.kind} sync of ${job.source}`, { cron: job.cron, next: job.next?.toISOString() });
      }
      for (const source of loaded.sources) {
        if (!scheduled.includes(source)) log.info(`${source.entry.name} has no schedule: it syncs only with \`supportsync sync\``);
      }
      const events = loaded.config.intake || loaded.destinations.length > 0
        ? await startEventService({ config: loaded.config, baseDir: loaded.baseDir, log, destinations: loaded.destinations })
        : undefined;
      if (events?.url) log.info(`event intake listening on ${events.url} (Segment HTTP API: /v1/track, /v1/identify, /v1/batch, ...)`);
      if (!scheduler && !events) log.warn('nothing to do: no source has a `schedule` and no destination is configured');
      await stopRequested;
      log.info('stopping: waiting for the current run to finish');
      await Promise.all([scheduler?.stop(), events?.close()]);
    });
}
