/**
 * Wires the delivery side of the queue for a set of destinations: one delivery worker per
 * subscription (plus one for user deletions per destination that can delete), a gate per
 * destination (paused while its credentials are refused), a pacer per destination (its
 * requests evenly spread at the vendor's rate), and housekeeping. Intake is separate
 * (accept-events.ts, intake-server.ts) and only adds to the queue.
 */
import { AuthError, HttpError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { redactError } from '../../core/redact.ts';
import type { PerformContext } from '../../destinations/define-action.ts';
import type { ResolvedDestination } from '../../destinations/resolve-destinations.ts';
import { createDestinationGate, type DestinationGate } from '../delivery/destination-gate.ts';
import { startDeliveryWorker, type DeliveryTarget, type DeliveryWorker } from '../delivery/delivery-worker.ts';
import { createPacer, type Pacer } from '../delivery/pacer.ts';
import type { EventQueue } from '../queue/event-queue.ts';
import { deletionsId } from '../router.ts';

export interface PipelineOptions {
  queue: EventQueue;
  destinations: readonly ResolvedDestination[];
  log: Logger;
  /** Test the credentials of each destination at start (pauses it at once if refused). Default true. */
  checkOnStart?: boolean;
  /** How often idle stages look for work written by other processes. */
  pollMs?: number;
  random?: () => number;
  /** Send partial batches at once instead of waiting `lingerMs` (commands that deliver and exit). */
  noLinger?: boolean;
}

export interface Pipeline {
  /** New deliveries were queued in this process. */
  wake(): void;
  close(): Promise<void>;
}

const MAINTENANCE_MS = 60_000;

/** The destination's subscriptions and deletions as delivery targets, sharing one pacer. */
function targetsOf(d: ResolvedDestination, client: unknown, pacer: Pacer | undefined, noLinger: boolean): DeliveryTarget[] {
  const targets: DeliveryTarget[] = d.subscriptions.map((sub) => ({
    id: sub.id,
    batchSize: sub.batch.size,
    lingerMs: noLinger ? 0 : sub.batch.lingerMs,
    send: async (bodies: unknown[], ctx: PerformContext) => {
      await pacer?.wait(ctx.signal);
      if (sub.batch.enabled && sub.action.performBatch) await sub.action.performBatch(client, bodies, ctx);
      else await sub.action.perform(client, bodies[0], ctx);
    },
  }));
  const onDelete = d.definition.onDelete;
  if (onDelete) {
    targets.push({
      id: deletionsId(d.name),
      batchSize: 1,
      lingerMs: 0,
      send: async (bodies, ctx) => {
        await pacer?.wait(ctx.signal);
        await onDelete(client, (bodies[0] as { userId: string }).userId, ctx);
      },
    });
  }
  return targets;
}

export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const { queue, destinations, log } = options;
  const controller = new AbortController();
  const gates: DestinationGate[] = [];
  const workers = new Map<string, DeliveryWorker>();

  for (const d of destinations) {
    const client = d.definition.createClient(d.config, { log: log.child({ destination: d.name }), at: `${d.at}.config` });
    const recheck = () => d.definition.testConnection(client, { signal: controller.signal });
    const gate = createDestinationGate({ destination: d.name, queue, log, recheck, recheckMs: d.delivery.authRecheck });
    gates.push(gate);
    // A fresh start is a fresh chance: the config may have been fixed.
    await queue.setState(d.name, undefined);
    if (options.checkOnStart !== false) {
      try {
        await recheck();
      } catch (err) {
        if (err instanceof AuthError || (err instanceof HttpError && (err.status === 404 || err.status === 405))) gate.pause(redactError(err));
        else log.warn(`destination ${d.name}: connection test failed; deliveries will retry`, { error: redactError(err) });
      }
    }
    const limit = d.definition.rateLimit?.(d.config);
    const pacer = limit ? createPacer(limit.perMs / limit.requests) : undefined;
    for (const target of targetsOf(d, client, pacer, options.noLinger === true)) {
      const worker = startDeliveryWorker({ queue, target, gate, settings: d.delivery, log, signal: controller.signal, random: options.random, pollMs: options.pollMs });
      workers.set(target.id, worker);
    }
  }

  const sizes = await queue.sizes();
  for (const [sub, n] of Object.entries(sizes.pending)) {
    if (!workers.has(sub)) log.warn(`${n} deliveries are queued for ${sub}, which is no longer configured; they wait until it is configured again`);
  }

  const maintenance = setInterval(() => {
    queue.maintain(Date.now()).catch((err) => log.warn('queue maintenance failed', { error: redactError(err) }));
  }, MAINTENANCE_MS);
  maintenance.unref();

  return {
    wake: () => {
      for (const worker of workers.values()) worker.wake();
    },
    async close() {
      clearInterval(maintenance);
      controller.abort();
      for (const gate of gates) gate.close();
      await Promise.all([...workers.values()].map((w) => w.stopped));
    },
  };
}
