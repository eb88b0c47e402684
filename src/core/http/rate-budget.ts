/**
 * Request budgets: "N requests per window", shared by every caller of the same API account
 * in this process (sources, the Gleap API client, event delivery). Callers wait for a slot;
 * they never fail for lack of one.
 *
 * Why a sliding log and not a token bucket: vendors count requests in a fixed or sliding
 * window (Gleap: 1000 per 60 s per project). A token bucket that starts full with capacity N
 * and refills at N/window lets N requests through at the end of one window and, refilling,
 * close to N more within the next 60 s: up to ~2N in one server window, hence 429s. A bucket
 * small enough to be safe (capacity 1) wastes nothing but bursts nothing either, and a
 * server that counts a fixed window is still safe only by luck of alignment.
 *
 * The sliding log keeps the times of the last N requests and lets a request start only when
 * fewer than N started within the last window. That guarantees "at most N in ANY window of
 * that length", which satisfies sliding and fixed window servers alike, while a long run is
 * paced at exactly N per window (100% of the budget minus the margin below).
 *
 * A slot's time is taken when the response headers arrive (the caller's `release()`), not
 * when the request is sent: the server counted the request somewhere between the two, so
 * measuring from the later instant keeps us safe whatever the network latency. In-flight
 * requests occupy a slot until released. A small margin (1% of the window, at most 1 s)
 * absorbs servers that count in coarse buckets. Costs: about 1% of the budget, plus one
 * latency per request per window (0.3% for 200 ms against a 60 s window).
 *
 * A 429 means someone else spends the same budget (another process, a dashboard) or the
 * server counts differently: `pause(ms)` stops every caller of the budget until then.
 */
export interface RateLimit {
  /** Requests allowed per window. */
  requests: number;
  /** Window length in milliseconds. */
  perMs: number;
  /** Extra wait added to the window; default 1% of it, at most 1000 ms. */
  marginMs?: number;
}

/** The vendors' published limits, per Gleap project and per Gladly organization. */
export const VENDOR_RATE_LIMITS = Object.freeze({
  gleap: Object.freeze({ requests: 1000, perMs: 60_000 }),
  gladly: Object.freeze({ requests: 10, perMs: 1000 }),
});

/** Call once the response headers arrived (or the request failed); repeated calls are ignored. */
export type ReleaseSlot = () => void;

export interface RateBudgetStats {
  granted: number;
  /** Total time callers spent waiting for a slot. */
  waitedMs: number;
  pauses: number;
  inFlight: number;
  queued: number;
}

export interface RateBudget {
  readonly key: string;
  readonly requests: number;
  readonly perMs: number;
  /** Waits for a slot; rejects with the signal's reason if the caller gives up first. */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot>;
  /** Holds every caller back for `ms` (after a 429). Overlapping pauses extend, never shorten. */
  pause(ms: number): void;
  stats(): RateBudgetStats;
}

interface Waiter {
  since: number;
  resolve: (release: ReleaseSlot) => void;
  detach: () => void;
}

interface MutableBudget extends RateBudget {
  /** Adopts a lower rate when another caller declares one for the same key. */
  tighten(limit: RateLimit): void;
}

function defaultMargin(perMs: number): number {
  return Math.min(Math.ceil(perMs * 0.01), 1000);
}

function validate(limit: RateLimit): void {
  if (!(Number.isInteger(limit.requests) && limit.requests > 0)) {
    throw new RangeError(`rate limit requests must be a positive integer, got ${limit.requests}`);
  }
  if (!(limit.perMs > 0)) throw new RangeError(`rate limit perMs must be > 0, got ${limit.perMs}`);
}

export function createRateBudget(limit: RateLimit, key = 'anonymous', clock: () => number = () => performance.now()): RateBudget {
  return createMutableBudget(limit, key, clock);
}

function createMutableBudget(limit: RateLimit, key: string, clock: () => number): MutableBudget {
  validate(limit);
  let requests = limit.requests;
  let perMs = limit.perMs;
  let windowMs = perMs + (limit.marginMs ?? defaultMargin(perMs));
  // Release times in ascending order; `head` skips entries older than the window.
  const released: number[] = [];
  let head = 0;
  let inFlight = 0;
  let pausedUntil = 0;
  const waiters: Waiter[] = [];
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  const counters = { granted: 0, waitedMs: 0, pauses: 0 };

  const prune = (now: number) => {
    while (head < released.length && released[head] + windowMs <= now) head++;
    if (head > 1024 && head * 2 > released.length) {
      released.splice(0, head);
      head = 0;
    }
  };

  const schedule = (at: number) => {
    if (timer && timerAt <= at) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    // Kept ref'd on purpose: it only exists while somebody waits for a slot.
    timer = setTimeout(() => {
      timer = undefined;
      timerAt = Infinity;
      pump();
    }, Math.max(0, Math.ceil(at - clock())));
  };

  const unschedule = () => {
    clearTimeout(timer);
    timer = undefined;
    timerAt = Infinity;
  };

  const makeRelease = (): ReleaseSlot => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      inFlight--;
      released.push(clock());
      pump();
    };
  };

  function pump(): void {
    const now = clock();
    prune(now);
    while (waiters.length > 0) {
      if (now < pausedUntil) return schedule(pausedUntil);
      if (inFlight + released.length - head >= requests) {
        // Full: wait for the oldest slot to leave the window, or for a release.
        if (head < released.length) schedule(released[head] + windowMs);
        return;
      }
      const w = waiters.shift()!;
      w.detach();
      inFlight++;
      counters.granted++;
      counters.waitedMs += now - w.since;
      w.resolve(makeRelease());
    }
    // Nobody waits: no timer may keep the process alive.
    unschedule();
  }

  return {
    key,
    get requests() {
      return requests;
    },
    get perMs() {
      return perMs;
    },
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<ReleaseSlot>((resolve, reject) => {
        const onAbort = () => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          if (waiters.length === 0) unschedule();
          reject(signal!.reason);
        };
        const waiter: Waiter = {
          since: clock(),
          resolve,
          detach: () => signal?.removeEventListener('abort', onAbort),
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.push(waiter);
        pump();
      });
    },
    pause(ms) {
      if (!(ms > 0)) return;
      counters.pauses++;
      pausedUntil = Math.max(pausedUntil, clock() + ms);
      pump();
    },
    stats() {
      return { ...counters, inFlight, queued: waiters.length };
    },
    tighten(next) {
      validate(next);
      if (next.requests / next.perMs >= requests / perMs) return;
      requests = next.requests;
      perMs = next.perMs;
      windowMs = perMs + (next.marginMs ?? defaultMargin(perMs));
      pump();
    },
  };
}

const registry = new Map<string, MutableBudget>();

/**
 * The process-wide budget for `key` (e.g. `gleap:<projectId>`, `gladly:<organization>`).
 * Every caller naming the same key shares one budget. If callers declare different limits,
 * the strictest wins (a user may leave room for other tools; we never exceed the tighter).
 */
export function getRateBudget(key: string, limit: RateLimit): RateBudget {
  const existing = registry.get(key);
  if (existing) {
    existing.tighten(limit);
    return existing;
  }
  const budget = createMutableBudget(limit, key, () => performance.now());
  registry.set(key, budget);
  return budget;
}

/** Waits until a slot is free, runs `fn`, and releases when it settles. For non-HTTP callers. */
export async function withRateBudget<T>(budget: RateBudget, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const release = await budget.acquire(signal);
  try {
    return await fn();
  } finally {
    release();
  }
}
