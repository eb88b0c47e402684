/**
 * The emulator's mutable state besides the data: credentials, request statistics, the
 * rate limiter, the fault injector and the log of what arrived on /admin.
 */
import type { FaultInjector, FaultKind } from '../../shared/faults.ts';
import type { RateLimiter } from '../../shared/rate-limiter.ts';

export interface ReceivedRequest {
  method: string;
  /** As received on the wire: percent-encoding kept, query dropped. */
  path: string;
  /** Decoded path parameters, e.g. `{ userId }` for DELETE /admin/contacts/{userId}. */
  params?: Record<string, string>;
  body: unknown;
  at: string;
}

export interface EmulatorStats {
  requests: number;
  /** Every 429 answered: the rate limit's and injected `status429` faults. */
  throttled: number;
  byRoute: Record<string, number>;
  /** Injected faults by kind. */
  faults: Partial<Record<FaultKind, number>>;
}

export interface EmulatorState {
  readonly apiKey: string;
  readonly project: string;
  readonly secretToken: string;
  stats: EmulatorStats;
  limiter: RateLimiter | null;
  /** Add `Retry-After` (seconds) to 429 answers; Gleap does not document one. */
  retryAfter: boolean;
  readonly faults: FaultInjector;
  readonly received: ReceivedRequest[];
  /** Oldest entries are dropped beyond this. */
  readonly receivedLimit: number;
}

export function emptyStats(): EmulatorStats {
  return { requests: 0, throttled: 0, byRoute: {}, faults: {} };
}
