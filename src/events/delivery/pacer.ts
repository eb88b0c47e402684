/**
 * Spreads a destination's requests evenly: one every `intervalMs` (for Gleap, 60 s / 1000).
 * The shared rate budget allows a whole minute's requests in a burst; a backlog of events
 * would then take the project's budget from a source syncing at the same time, and the CPU
 * from intake, for seconds on end. Paced, delivery sends as many per minute, evenly.
 */
import { abortableSleep } from '../../core/http/abortable-sleep.ts';

export interface Pacer {
  /** Resolves when the next request may start (rejects if `signal` aborts first). */
  wait(signal?: AbortSignal): Promise<void>;
}

export function createPacer(intervalMs: number, clock: () => number = () => performance.now()): Pacer {
  let next = 0;
  return {
    wait(signal) {
      const now = clock();
      const at = Math.max(now, next);
      next = at + intervalMs;
      return at > now ? abortableSleep(at - now, signal) : Promise.resolve();
    },
  };
}
