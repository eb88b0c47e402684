/**
 * Durable retries, as Segment does them: randomized exponential backoff for up to a maximum
 * age (default 4 h, counted from the first failure), then the dead-letter store.
 * "Equal jitter": half the ceiling fixed, half random, so retries spread out without ever
 * coming back at once.
 */
import type { DeliverySettings } from '../../destinations/delivery-settings.ts';
import type { Delivery } from '../queue/event-queue.ts';

export type RetryDecision = { retry: true; dueAt: number } | { retry: false; reason: string };

/** Wait before retry number `failures` (1 = after the first failure). */
export function retryDelayMs(failures: number, settings: Pick<DeliverySettings, 'retryBaseDelay' | 'retryMaxDelay'>, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.retryMaxDelay, settings.retryBaseDelay * 2 ** Math.max(0, Math.min(failures, 40) - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function formatAge(ms: number): string {
  if (ms >= 3_600_000) return `${+(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 60_000) return `${+(ms / 60_000).toFixed(1)} min`;
  return `${+(ms / 1000).toFixed(1)} s`;
}

export function decideRetry(
  delivery: Pick<Delivery, 'attempts' | 'firstFailureAt'>,
  now: number,
  error: string,
  settings: Pick<DeliverySettings, 'retryBaseDelay' | 'retryMaxDelay' | 'maxRetryAge'>,
  retryAfterMs?: number,
  random?: () => number,
): RetryDecision {
  const firstFailure = delivery.firstFailureAt ?? now;
  const delay = Math.max(retryDelayMs(delivery.attempts + 1, settings, random), retryAfterMs ?? 0);
  if (now - firstFailure >= settings.maxRetryAge) {
    return { retry: false, reason: `gave up after ${delivery.attempts + 1} attempts over ${formatAge(now - firstFailure)} (maxRetryAge ${formatAge(settings.maxRetryAge)}); last error: ${error}` };
  }
  return { retry: true, dueAt: now + delay };
}
