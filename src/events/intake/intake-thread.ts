/**
 * The HTTP intake on a thread of its own (the entry module of a worker thread; see
 * start-intake-thread.ts). Parsing, validating, routing and storing events is most of the
 * work at high rates; on its own thread it runs beside delivery, which stays on the main
 * thread where the process-wide rate budget is shared with the sources.
 *
 * Messages to the parent: `{ type: 'listening', url }`, `{ type: 'accepted' }` (new
 * deliveries, at most once per event-loop turn), `{ type: 'failed', message }`,
 * `{ type: 'closed' }`. From the parent: `{ type: 'close' }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SupportSyncConfig } from '../../config/config-schema.ts';
import { createLogger, type LogLevel } from '../../core/logger.ts';
import { redactError } from '../../core/redact.ts';
import { resolveDestinations } from '../../destinations/resolve-destinations.ts';
import { openEventQueue } from '../open-event-queue.ts';
import { createRouter, routableDestinations } from '../router.ts';
import { createEventIntake } from './accept-events.ts';
import { startIntakeServer } from './intake-server.ts';

export interface IntakeThreadData {
  config: SupportSyncConfig;
  baseDir?: string;
  logLevel?: LogLevel;
}

const port = parentPort!;
const { config, baseDir, logLevel } = workerData as IntakeThreadData;
const log = createLogger({ level: logLevel, fields: { thread: 'intake' } });

try {
  if (!config.intake) throw new Error('the config has no intake block');
  const destinations = resolveDestinations(config);
  const { queue } = openEventQueue(config, baseDir);
  const intake = createEventIntake(queue, createRouter(routableDestinations(destinations)));
  let signalled = false;
  const server = await startIntakeServer({
    intake,
    queue,
    writeKeys: config.intake.writeKeys,
    host: config.intake.host,
    port: config.intake.port,
    log,
    onAccepted: () => {
      // One message per turn is enough to wake the delivery workers.
      if (signalled) return;
      signalled = true;
      setImmediate(() => {
        signalled = false;
        port.postMessage({ type: 'accepted' });
      });
    },
  });
  // This thread's de-duplication index forgets what left the window.
  const maintenance = setInterval(() => {
    queue.maintain(Date.now()).catch((err) => log.warn('queue maintenance failed', { error: redactError(err) }));
  }, 60_000);
  port.on('message', (message: { type: string }) => {
    if (message.type !== 'close') return;
    clearInterval(maintenance);
    void (async () => {
      await server.close();
      await queue.close();
      port.postMessage({ type: 'closed' });
      port.close();
    })();
  });
  port.postMessage({ type: 'listening', url: server.url });
} catch (err) {
  port.postMessage({ type: 'failed', message: redactError(err) });
  port.close();
}
