/**
 * Waits until the queue has nothing left to do right now: every delivery settled, except
 * those of paused destinations (they wait for a fixed config).
 * For commands that deliver and exit (`events send`, `replay`, `delete-user`).
 */
import type { DestinationState, EventQueue, QueueSizes } from '../queue/event-queue.ts';

export interface DrainResult {
  /** Nothing pending anywhere. */
  drained: boolean;
  sizes: QueueSizes;
  paused: Record<string, DestinationState>;
  timedOut: boolean;
}

const destinationOf = (subscription: string) => subscription.slice(0, subscription.indexOf('/'));

export async function waitForDrain(queue: EventQueue, options: { timeoutMs: number; pollMs?: number; subscriptions?: ReadonlySet<string> }): Promise<DrainResult> {
  const deadline = Date.now() + options.timeoutMs;
  const pollMs = options.pollMs ?? 100;
  for (;;) {
    const [sizes, paused] = await Promise.all([queue.sizes(), queue.states()]);
    // Only subscriptions something delivers count (others wait for their config to return).
    const relevant = Object.entries(sizes.pending).filter(([sub]) => !options.subscriptions || options.subscriptions.has(sub));
    const active = relevant.filter(([sub]) => !paused[destinationOf(sub)]).reduce((n, [, c]) => n + c, 0);
    const total = relevant.reduce((n, [, c]) => n + c, 0);
    if (active === 0) return { drained: total === 0, sizes, paused, timedOut: false };
    if (Date.now() >= deadline) return { drained: false, sizes, paused, timedOut: true };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
