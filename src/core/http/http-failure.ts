/**
 * Turns a failed HTTP exchange into a typed error whose message says what happened and what
 * to change. Every message is built from a redacted URL and a redacted body excerpt, and
 * passes through `redact` once more as a whole.
 */
import { STATUS_CODES } from 'node:http';
import { AuthError, HttpError } from '../errors.ts';
import { redact } from '../redact.ts';
import { isRetryableStatus } from './retry-policy.ts';

export const BODY_EXCERPT_CHARS = 500;

/** Source-specific wording for 401/403, e.g. Gleap: "check apiKey" vs "check projectId". */
export type DescribeAuthError = (status: number, body: string) => string;

export interface FailureContext {
  method: string;
  /** Already redacted. */
  url: string;
  baseUrl: string;
  attempts: number;
}

export function bodyExcerpt(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return redact(text.length > BODY_EXCERPT_CHARS ? `${text.slice(0, BODY_EXCERPT_CHARS)}…` : text);
}

const after = (attempts: number) => (attempts > 1 ? ` after ${attempts} attempts` : '');

export const defaultDescribeAuthError: DescribeAuthError = (status) =>
  status === 401
    ? 'The API refused the credentials: check the API key or token in the source config.'
    : 'The API denied access: check that the credentials belong to the configured account or project and have permission for this resource.';

export function authFailure(status: number, body: string, ctx: FailureContext, describe = defaultDescribeAuthError): AuthError {
  const reason = describe(status, body) || defaultDescribeAuthError(status, body);
  return new AuthError(redact(`${reason} (HTTP ${status} from ${ctx.method} ${ctx.url})`), status);
}

export function statusFailure(status: number, body: string, ctx: FailureContext, retryAfterMs?: number): HttpError {
  const what = `${ctx.method} ${ctx.url}`;
  const label = `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
  const excerpt = bodyExcerpt(body);
  const detail = excerpt ? `: ${excerpt}` : '';
  let code: string;
  let message: string;
  if (status === 429) {
    code = 'HTTP_RATE_LIMITED';
    message = `${what} was still rate limited (${label})${after(ctx.attempts)}${detail}. Another client may be spending the same budget; lower the request rate or retry later.`;
  } else if (status === 408) {
    code = 'HTTP_TIMEOUT';
    message = `${what} timed out on the server (${label})${after(ctx.attempts)}. Retry later or ask for less data per request.`;
  } else if (status === 404) {
    code = 'HTTP_NOT_FOUND';
    message = `${what} failed with ${label}${detail}. Check baseUrl (${redact(ctx.baseUrl)}) and that the requested resource exists.`;
  } else if (status === 501 || status === 505) {
    code = 'HTTP_UNSUPPORTED';
    message = `${what} failed with ${label}${detail}. The server does not support this request; check baseUrl (${redact(ctx.baseUrl)}) and the API version.`;
  } else if (status >= 500) {
    code = 'HTTP_SERVER_ERROR';
    message = `${what} failed with ${label}${after(ctx.attempts)}${detail}. The service is having trouble; retry later.`;
  } else if (status >= 400) {
    code = 'HTTP_CLIENT_ERROR';
    message = `${what} was rejected with ${label}${detail}. A parameter or field of the request is not accepted; check the stream's parameters and the config values they come from.`;
  } else {
    code = 'HTTP_UNEXPECTED_STATUS';
    message = `${what} answered ${label}, which this client does not handle${detail}.`;
  }
  return new HttpError(redact(message), {
    status,
    method: ctx.method,
    url: ctx.url,
    body: excerpt,
    code,
    disposition: isRetryableStatus(status) ? 'retry' : 'fatal',
    retryAfterMs,
  });
}

export function timeoutFailure(timeoutMs: number, ctx: FailureContext, cause: unknown): HttpError {
  return new HttpError(
    redact(`${ctx.method} ${ctx.url} got no response within ${timeoutMs} ms${after(ctx.attempts)}. Check that baseUrl (${ctx.baseUrl}) is reachable, or raise timeoutMs.`),
    { status: 0, method: ctx.method, url: ctx.url, code: 'HTTP_TIMEOUT', disposition: 'retry', cause },
  );
}

export function networkFailure(ctx: FailureContext, cause: unknown): HttpError {
  return new HttpError(
    redact(`${ctx.method} ${ctx.url} failed: ${describeNetworkCause(cause)}${after(ctx.attempts)}. Check baseUrl (${ctx.baseUrl}), DNS, proxy and network access.`),
    { status: 0, method: ctx.method, url: ctx.url, code: 'HTTP_NETWORK', disposition: 'retry', cause },
  );
}

export function invalidBodyFailure(status: number, body: string, ctx: FailureContext, cause: unknown): HttpError {
  const excerpt = bodyExcerpt(body);
  return new HttpError(
    redact(`${ctx.method} ${ctx.url} answered HTTP ${status} with a body that is not valid JSON${after(ctx.attempts)} (${body.length} bytes${excerpt ? `, starting "${excerpt.slice(0, 120)}"` : ''}). The body was cut off in transit, or baseUrl (${ctx.baseUrl}) points at something other than the API.`),
    { status, method: ctx.method, url: ctx.url, body: excerpt, code: 'HTTP_INVALID_BODY', disposition: 'retry', cause },
  );
}

/** undici hides the useful part (ECONNRESET, "other side closed") in `cause`. */
function describeNetworkCause(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    if (e instanceof AggregateError && e.errors.length) e = e.errors[0];
    const code = (e as { code?: unknown }).code;
    const msg = e instanceof Error ? e.message : String(e);
    parts.push(typeof code === 'string' && !msg.includes(code) ? `${msg} (${code})` : msg);
    e = (e as { cause?: unknown }).cause;
  }
  return [...new Set(parts.filter(Boolean))].join(': ') || 'network error';
}
