/**
 * Run-time checks of the response shapes the client relies on. Gleap's OpenAPI document
 * leaves most responses untyped, so the parts we read are validated here, and a surprise
 * becomes an error that says which request, what was expected, and how the body starts,
 * instead of an `undefined` three calls later.
 */
import type { z } from 'zod';
import { SupportSyncError } from '../../core/errors.ts';
import { redact } from '../../core/redact.ts';

export class GleapResponseError extends SupportSyncError {
  readonly operation: string;
  constructor(operation: string, message: string) {
    super(redact(message), { code: 'GLEAP_UNEXPECTED_RESPONSE', phase: 'http', disposition: 'fatal' });
    this.operation = operation;
  }
}

function excerpt(body: unknown): string {
  let text: string;
  try {
    text = typeof body === 'string' ? body : JSON.stringify(body) ?? String(body);
  } catch {
    text = String(body);
  }
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/** `body` parsed by `schema`, or a GleapResponseError naming the operation and the first problems. */
export function parseResponse<S extends z.ZodType>(schema: S, body: unknown, operation: string, expected: string): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`);
  throw new GleapResponseError(
    operation,
    `${operation} answered a shape supportsync does not understand (expected ${expected}): ${issues.join('; ')}. ` +
      `The body starts with ${excerpt(body)}. Check baseUrl, or report it if Gleap changed its API.`,
  );
}
