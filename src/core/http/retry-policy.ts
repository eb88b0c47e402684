/**
 * When to retry an HTTP exchange and how long to wait. Pure functions over a plain policy
 * object, so tests inject tiny delays and a fixed random source.
 */

export interface RetryPolicy {
  /** Attempts in total, the first one included. 1 disables retries. */
  maxAttempts: number;
  /** Backoff ceiling of the first retry; doubles with each further retry. */
  baseDelayMs: number;
  /** Upper bound of one backoff delay. */
  maxDelayMs: number;
  /** A server asking to wait longer than this is not waited for: the request fails. */
  maxRetryAfterMs: number;
  /** Random source in [0, 1): full jitter. */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 5 * 60_000,
  random: Math.random,
});

/**
 * For a person waiting on an answer, as in `supportsync check`: one quick retry for a blip,
 * then the verdict. A dead host fails in well under a second instead of after five backoffs,
 * and a server asking to wait longer than a few seconds is reported rather than waited for.
 */
export const QUICK_RETRY_POLICY: Readonly<Partial<RetryPolicy>> = Object.freeze({
  maxAttempts: 2,
  baseDelayMs: 200,
  maxDelayMs: 1_000,
  maxRetryAfterMs: 5_000,
});

export function resolveRetryPolicy(...overrides: (Partial<RetryPolicy> | undefined)[]): RetryPolicy {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY };
  for (const o of overrides) {
    if (o) Object.assign(policy, Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
  }
  if (!(policy.maxAttempts >= 1)) throw new RangeError(`retry.maxAttempts must be >= 1, got ${policy.maxAttempts}`);
  return policy;
}

/**
 * Transient statuses: 408 (timeout), 429 (rate limit) and 5xx, except 501 Not Implemented
 * and 505 HTTP Version Not Supported, which will not change on a second try.
 */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/**
 * Exponential backoff with full jitter (AWS architecture blog): a uniform delay in
 * [0, min(max, base * 2^(retry-1))]. Spreads concurrent retries instead of synchronising them.
 * `retry` is 1 for the first retry.
 */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(policy.random() * ceiling);
}

/** `Retry-After` as milliseconds: delta-seconds (`"1"`, `"1.5"`) or an HTTP date. */
export function parseRetryAfter(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
