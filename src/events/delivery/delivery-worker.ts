/**
 * The delivery stage for one subscription: leases due deliveries, sends their prepared
 * request items as batches (waiting up to `lingerMs` for a batch to fill), and settles each
 * batch atomically:
 * delivered ones leave the queue, transient failures are rescheduled with backoff, refused
 * ones go to the dead-letter store with the reason. A batch the destination refuses as a
 * whole is split in halves until the bad events are isolated, so one bad event does not
 * sink the others. Credentials refused: the destination is paused and the batch given back.
 * One-event-per-request actions (identify) never have two events of one user in flight, so
 * a later identify cannot overtake an earlier one (retries aside).
 */
import type { Logger } from '../../core/logger.ts';
import type { PerformContext } from '../../destinations/define-action.ts';
import type { DeliverySettings } from '../../destinations/delivery-settings.ts';
import type { Counts, Delivery, EventQueue } from '../queue/event-queue.ts';
import { createWakeup } from '../pipeline/wakeup.ts';
import { classifyFailure } from './delivery-failure.ts';
import type { DestinationGate } from './destination-gate.ts';
import { decideRetry } from './retry-schedule.ts';

/** Where a subscription's deliveries go. */
export interface DeliveryTarget {
  /** The subscription id. */
  id: string;
  batchSize: number;
  lingerMs: number;
  send(bodies: unknown[], ctx: PerformContext): Promise<void>;
}

export interface DeliveryWorkerOptions {
  queue: EventQueue;
  target: DeliveryTarget;
  gate: DestinationGate;
  settings: DeliverySettings;
  log: Logger;
  signal: AbortSignal;
  random?: () => number;
  /** How often to look for work written by other processes (replays, `events send`). */
  pollMs?: number;
}

export interface DeliveryWorker {
  /** New deliveries were queued. */
  wake(): void;
  /** Resolves when the in-flight sends have settled. */
  stopped: Promise<void>;
}

export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { queue, target, gate, settings, log, signal } = options;
  const pollMs = options.pollMs ?? 1000;
  const wakeup = createWakeup();
  const inFlight = new Set<Promise<void>>();
  signal.addEventListener('abort', () => wakeup.ring(), { once: true });

  const counts = (fields: Record<string, number>): Counts => ({ [target.id]: fields });
  /** One event per request, several requests in flight: keep each user's events in order. */
  const oneByOne = target.batchSize === 1 && settings.concurrency > 1;
  const busyUsers = new Set<string>();

  /**
   * Sends `batch`; on a refusal of the whole batch, tries the halves, within a budget of
   * extra requests (one bad event among 500 takes ~18; if they are all bad, the budget runs
   * out and the rest is dead-lettered as it is). Always settles every delivery.
   */
  async function deliver(batch: Delivery[], bodies: unknown[], splits = { left: 2 * Math.ceil(Math.log2(Math.max(2, batch.length))) + 4 }): Promise<void> {
    let attempts = 0;
    const ctx: PerformContext = { signal, onRequest: () => attempts++ };
    const resent = batch.filter((d) => d.attempts > 0).length;
    try {
      await target.send(bodies, ctx);
      await queue.settle({ delivered: batch, counts: counts({ delivered: batch.length, retried: resent + Math.max(0, attempts - 1) * batch.length }) });
      return;
    } catch (err) {
      const failure = classifyFailure(err, signal);
      const retried = resent + Math.max(0, attempts - 1) * batch.length;
      switch (failure.kind) {
        case 'aborted':
          queue.release(batch);
          return;
        case 'pause':
          queue.release(batch);
          if (retried) await queue.addCounts(counts({ retried }));
          gate.pause(failure.message);
          return;
        case 'reject':
          if (batch.length > 1 && splits.left >= 2) {
            if (retried) await queue.addCounts(counts({ retried }));
            log.warn(`${target.id}: the destination refused a batch of ${batch.length}; sending its halves to isolate the bad events`, { status: failure.status });
            splits.left -= 2;
            const half = Math.ceil(batch.length / 2);
            await deliver(batch.slice(0, half), bodies.slice(0, half), splits);
            await deliver(batch.slice(half), bodies.slice(half), splits);
            return;
          }
          log.warn(`${target.id}: dead-lettered ${batch.length} event(s) the destination refused`, { reason: failure.message });
          await queue.settle({ dead: batch.map((delivery) => ({ delivery, reason: failure.message, status: failure.status })), counts: counts({ deadLettered: batch.length, retried }) });
          return;
        case 'retry': {
          const now = Date.now();
          const retry = [];
          const dead = [];
          for (const delivery of batch) {
            const decision = decideRetry(delivery, now, failure.message, settings, failure.retryAfterMs, options.random);
            if (decision.retry) retry.push({ delivery, dueAt: decision.dueAt, error: failure.message });
            else dead.push({ delivery, reason: decision.reason, status: failure.status });
          }
          if (dead.length) log.warn(`${target.id}: dead-lettered ${dead.length} deliveries after retrying for too long`, { reason: failure.message });
          else log.warn(`${target.id}: delivery failed; ${retry.length} events will be retried`, { error: failure.message });
          await queue.settle({ retry, dead, counts: counts({ deadLettered: dead.length, retried }) });
          return;
        }
      }
    }
  }

  function launch(batch: Delivery[]): void {
    const user = oneByOne ? batch[0]!.userId : undefined;
    if (user !== undefined) busyUsers.add(user);
    const p = deliver(
      batch,
      batch.map((d) => d.body),
    )
      .catch((err) => {
        // Settling failed (the store): give the deliveries back; they are retried from the queue.
        queue.release(batch);
        log.error(`${target.id}: could not record a delivery outcome`, { error: (err as Error).message });
      })
      .finally(() => {
        if (user !== undefined) busyUsers.delete(user);
        inFlight.delete(p);
        wakeup.ring();
      });
    inFlight.add(p);
  }

  /** One step: wait for a reason to act, or lease a batch and launch it. */
  async function step(): Promise<void> {
    if (!gate.isOpen()) return gate.whenOpen(signal);
    if (inFlight.size >= settings.concurrency) {
      await Promise.race(inFlight);
      return;
    }
    const now = Date.now();
    // A partial batch of first attempts waits up to lingerMs for company. Decided on keys
    // alone: every new event rings this worker, and values are only read to send them.
    if (target.lingerMs > 0 && target.batchSize > 1) {
      const oldest = await queue.nextDue(target.id);
      if (oldest === undefined) return wakeup.wait(pollMs);
      if (oldest > now) return wakeup.wait(Math.max(1, Math.min(pollMs, oldest - now)));
      if (now < oldest + target.lingerMs && (await queue.countDue(target.id, now, target.batchSize)) < target.batchSize) {
        return wakeup.wait(oldest + target.lingerMs - now);
      }
    }
    const batch = await queue.lease(target.id, oneByOne ? settings.concurrency * 4 : target.batchSize, now);
    if (batch.length === 0) {
      const next = await queue.nextDue(target.id);
      return wakeup.wait(next === undefined ? pollMs : Math.max(1, Math.min(pollMs, next - now)));
    }
    if (oneByOne) {
      // The oldest event of a user who has none in flight: a user's events go out in order.
      const pick = batch.find((d) => d.userId === undefined || !busyUsers.has(d.userId));
      queue.release(batch.filter((d) => d !== pick));
      if (!pick) {
        await Promise.race(inFlight);
        return;
      }
      return launch([pick]);
    }
    launch(batch);
  }

  async function loop(): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await step();
        failures = 0;
      } catch (err) {
        failures++;
        log.error(`${target.id}: cannot read the queue; retrying`, { error: (err as Error).message, failures });
        await wakeup.wait(Math.min(30_000, 250 * 2 ** Math.min(failures, 7)));
      }
    }
    await Promise.allSettled([...inFlight]);
  }

  const stopped = loop().catch((err) => log.error(`${target.id}: delivery worker stopped`, { error: (err as Error).message }));
  return { wake: () => wakeup.ring(), stopped };
}
