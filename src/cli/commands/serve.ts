import { Command } from 'commander';
import { startScheduler } from '../../engine/scheduler.ts';
import { openWarehouse } from '../../warehouse/open-warehouse.ts';
import { cliLogger, requireConfig, type CommonOptions } from '../context.ts';

/** Long-running: the scheduler for sources (and, once configured, the event intake). */
export function serveCommand(): Command {
  return new Command('serve')
    .description('run until stopped: scheduled syncs for sources (cron `schedule` / `fullSyncSchedule`)')
    .requiredOption('--config <file>', 'config file (YAML)')
    .option('--verbose', 'log every step')
    .action(async (opts: CommonOptions) => {
      const loaded = requireConfig(opts);
      const log = cliLogger({ ...opts, verbose: true });
      const warehouse = await openWarehouse(loaded.config.warehouse, loaded.baseDir);
      const scheduler = startScheduler({ warehouse, sources: loaded.sources, log });
      for (const job of scheduler.jobs()) {
        log.info(`scheduled ${job.kind} sync of ${job.source}`, { cron: job.cron, next: job.next?.toISOString() });
      }
      if (scheduler.jobs().length === 0) log.warn('no source has a `schedule`; nothing to run (add one, e.g. schedule: "0 * * * *")');
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      log.info('stopping: waiting for the current run to finish');
      await scheduler.stop();
      await warehouse.close();
    });
}
