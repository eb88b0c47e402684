/**
 * Sliding-window rate limiter: at most `requests` accepted per `perMs` milliseconds per
 * key (a project, an organization). An exact sliding log kept in a ring buffer: a request
 * is accepted when fewer than `requests` were accepted in the last `perMs`. Refused
 * requests do not consume budget.
 */
export interface RateLimit {
  requests: number;
  perMs: number;
}

export interface RateLimiter {
  readonly limit: RateLimit;
  /** Accepts (and records) a request at `now`, or refuses it. */
  tryTake(key: string, now: number): boolean;
  /** Milliseconds until `key` may send again (0 when it may now). */
  waitMs(key: string, now: number): number;
}

interface Window {
  stamps: Float64Array;
  head: number; // index of the oldest stamp
  count: number;
}

export function createRateLimiter(limit: RateLimit): RateLimiter {
  if (!(Number.isInteger(limit.requests) && limit.requests > 0) || !(limit.perMs > 0)) {
    throw new RangeError(`rate limit must be a positive request count per positive period, got ${JSON.stringify(limit)}`);
  }
  const windows = new Map<string, Window>();
  const windowOf = (key: string): Window => {
    let w = windows.get(key);
    if (!w) windows.set(key, (w = { stamps: new Float64Array(limit.requests), head: 0, count: 0 }));
    return w;
  };
  return {
    limit,
    tryTake(key, now) {
      const w = windowOf(key);
      const cap = limit.requests;
      if (w.count < cap) {
        w.stamps[(w.head + w.count) % cap] = now;
        w.count++;
        return true;
      }
      // Full: the oldest accepted request must have left the window.
      if (w.stamps[w.head] <= now - limit.perMs) {
        w.stamps[w.head] = now;
        w.head = (w.head + 1) % cap;
        return true;
      }
      return false;
    },
    waitMs(key, now) {
      const w = windows.get(key);
      if (!w || w.count < limit.requests) return 0;
      return Math.max(0, w.stamps[w.head] + limit.perMs - now);
    },
  };
}
