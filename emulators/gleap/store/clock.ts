/**
 * The emulator's clock. It starts at the configured `now` (the instant the generated data
 * ends) and advances with real time, so data, mutations and API writes share one timeline
 * even when `now` is fixed for reproducibility. `stamp()` never returns the same instant
 * twice: every write gets a strictly later time than the one before.
 */
export interface Clock {
  /** The emulated current time (epoch ms). */
  now(): number;
  /** A strictly increasing instant, >= now(), for one write. */
  stamp(): number;
}

export function createClock(start: number, wall: () => number = Date.now): Clock {
  const wallStart = wall();
  let last = start;
  const now = () => start + Math.max(0, wall() - wallStart);
  return {
    now,
    stamp() {
      last = Math.max(now(), last + 1);
      return last;
    },
  };
}
