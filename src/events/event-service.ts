/**
 * The event destination service for `supportsync serve`: the durable queue in the data
 * directory, delivery to every configured destination and, when the config has an
 * `intake:` block, the Segment-compatible HTTP intake (which validates, routes and stores).
 */
import type { SupportSyncConfig } from '../config/config-schema.ts';
import type { Logger, LogLevel } from '../core/logger.ts';
import { silentLogger } from '../core/logger.ts';
import { resolveDestinations, type ResolvedDestination } from '../destinations/resolve-destinations.ts';
import { createEventIntake, type EventIntake } from './intake/accept-events.ts';
import { startIntakeServer, type IntakeServer } from './intake/intake-server.ts';
import { startIntakeThread } from './intake/start-intake-thread.ts';
import { ensureDataDir, openEventQueue } from './open-event-queue.ts';
import type { EventQueue } from './queue/event-queue.ts';
import { startPipeline, type Pipeline, type PipelineOptions } from './pipeline/start-pipeline.ts';
import { acquireWorkerLock } from './pipeline/worker-lock.ts';
import { createRouter, routableDestinations } from './router.ts';

export interface EventServiceOptions {
  config: SupportSyncConfig;
  /** Directory of the config file: `dataDir` is relative to it. Default: the working directory. */
  baseDir?: string;
  log?: Logger;
  /** Already resolved (the config loader does it); resolved here otherwise. */
  destinations?: ResolvedDestination[];
  /** Start the HTTP intake when the config has an `intake:` block. Default true. */
  intake?: boolean;
  /**
   * Run the HTTP intake on a worker thread of its own (default true): parsing, validating,
   * routing and storing events then use the second core while this thread delivers.
   */
  intakeThread?: boolean;
  /** Log level of the intake thread (default: SUPPORTSYNC_LOG_LEVEL, else info). */
  logLevel?: LogLevel;
  /** Passed to the pipeline (tests shorten polling). */
  pipeline?: Pick<PipelineOptions, 'checkOnStart' | 'pollMs' | 'random' | 'noLinger'>;
}

export { dedupeWindowMs, ensureDataDir, openEventQueue, resolveDataDir } from './open-event-queue.ts';

export interface EventService {
  /** Where the intake listens (`http://127.0.0.1:8787`), when it runs. */
  url?: string;
  dataDir: string;
  queue: EventQueue;
  /** Accepts events in-process (what the HTTP intake and `events send` use). */
  intake: EventIntake;
  pipeline: Pipeline;
  close(): Promise<void>;
}

export async function startEventService(options: EventServiceOptions): Promise<EventService> {
  const { config } = options;
  const log = options.log ?? silentLogger;
  const destinations = options.destinations ?? resolveDestinations(config);
  for (const d of destinations) for (const w of d.warnings) log.warn(w);
  const dataDir = ensureDataDir(config, options.baseDir);
  const lock = acquireWorkerLock(dataDir);
  let queue: EventQueue | undefined;
  let pipeline: Pipeline | undefined;
  let intake: IntakeServer | undefined;
  let eventIntake: EventIntake | undefined;
  try {
    queue = openEventQueue(config, options.baseDir).queue;
    pipeline = await startPipeline({ queue, destinations, log, ...options.pipeline });
    eventIntake = createEventIntake(queue, createRouter(routableDestinations(destinations)));
    if (config.intake && options.intake !== false) {
      if (destinations.length === 0) log.warn('the intake accepts events but no destination is configured: they are counted and not sent anywhere');
      const p = pipeline;
      intake =
        options.intakeThread === false
          ? await startIntakeServer({ intake: eventIntake, queue, writeKeys: config.intake.writeKeys, host: config.intake.host, port: config.intake.port, log, onAccepted: () => p.wake() })
          : await startIntakeThread({ config, baseDir: options.baseDir, logLevel: options.logLevel, log, onAccepted: () => p.wake() });
    }
    // The caller announces where the intake listens (`serve` does, once); this says what backs it.
    log.debug('event service started', { intake: intake?.url, destinations: destinations.map((d) => d.name), dataDir });
  } catch (err) {
    await pipeline?.close();
    await queue?.close();
    lock.release();
    throw err;
  }
  const q = queue;
  const p = pipeline;
  const i = eventIntake!;
  let closing: Promise<void> | undefined;
  return {
    url: intake?.url,
    dataDir,
    queue: q,
    intake: i,
    pipeline: p,
    close() {
      closing ??= (async () => {
        try {
          await intake?.close();
          await p.close();
          await q.close();
        } finally {
          lock.release();
        }
      })();
      return closing;
    },
  };
}
