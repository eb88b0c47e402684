/**
 * A destination's `settings:` block: how hard delivery tries. Defaults follow Segment
 * (retry for up to four hours with randomized exponential backoff).
 */
import { z } from 'zod';
import { DURATION_FORM, parseDuration } from '../core/duration.ts';

/** `"4h"`, `"30s"` or a number of milliseconds. */
const duration = (fallback: string) =>
  z
    .union([z.number().int().nonnegative(), z.string()])
    .default(fallback)
    .transform((v, ctx) => {
      if (typeof v === 'number') return v;
      const ms = parseDuration(v);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected ${DURATION_FORM}, or a number of milliseconds` });
        return z.NEVER;
      }
      return ms;
    });

export const deliverySettingsSchema = z.strictObject({
  /** How long a failing delivery is retried (from its first failure) before it is dead-lettered. */
  maxRetryAge: duration('4h'),
  /** Ceiling of the first scheduled retry; doubles per retry up to `retryMaxDelay`. */
  retryBaseDelay: duration('10s'),
  retryMaxDelay: duration('10m'),
  /** Requests in flight per mapping. */
  concurrency: z.number().int().min(1).max(32).default(2),
  /** While the token is refused, how often to check it again (GET /admin/auth). */
  authRecheck: duration('5m'),
});

export type DeliverySettings = z.infer<typeof deliverySettingsSchema>;
