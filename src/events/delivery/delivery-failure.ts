/**
 * What a failed send means for the deliveries in it:
 *   pause    the destination refused the credentials (401/403), or the endpoint does not
 *            exist (404/405: a wrong baseUrl): pause it, keep the events
 *   retry    transient (408, 429, 5xx other than 501/505, network, timeout): schedule a retry
 *   reject   the destination refused these events (other 4xx): dead-letter them with the reason
 *   aborted  we are shutting down: give them back untouched
 */
import { AuthError, HttpError, SupportSyncError } from '../../core/errors.ts';
import { redactError } from '../../core/redact.ts';

export type DeliveryFailure =
  | { kind: 'pause'; message: string; status: number }
  | { kind: 'retry'; message: string; status?: number; retryAfterMs?: number }
  | { kind: 'reject'; message: string; status?: number }
  | { kind: 'aborted' };

export function classifyFailure(err: unknown, signal?: AbortSignal): DeliveryFailure {
  if (signal?.aborted) return { kind: 'aborted' };
  const message = redactError(err);
  if (err instanceof AuthError) return { kind: 'pause', message, status: err.status };
  if (err instanceof HttpError) {
    // Every event would get the same answer: not the events' fault.
    if (err.status === 404 || err.status === 405) return { kind: 'pause', message, status: err.status };
    if (err.disposition === 'retry') return { kind: 'retry', message, status: err.status, retryAfterMs: err.retryAfterMs };
    return { kind: 'reject', message, status: err.status };
  }
  // Anything else (a bug, a fatal setup problem) keeps the events: retries age out into dead letters.
  if (err instanceof SupportSyncError && err.retryAfterMs !== undefined) return { kind: 'retry', message, retryAfterMs: err.retryAfterMs };
  return { kind: 'retry', message };
}
