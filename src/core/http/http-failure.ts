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

/**
 * What to tell the user about a 401/403: a message, and the settings it names in backticks
 * (bare config keys such as `apiKey`, which the caller may name in full; see describeError).
 */
export interface AuthAdvice {
  message: string;
  settings?: readonly string[];
}

/** Source-specific wording for 401/403, e.g. Gleap: "verify `apiKey`" vs "verify `projectId`". */
export type DescribeAuthError = (status: number, body: string) => string | AuthAdvice;

export interface FailureContext {
  method: string;
  /** Already redacted. */
  url: string;
  baseUrl: string;
  /** The settings the base URL was made from (e.g. `baseUrl`, or `organization`): named when the server is in doubt. */
  baseUrlSettings: readonly string[];
  attempts: number;
}

export function bodyExcerpt(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return redact(text.length > BODY_EXCERPT_CHARS ? `${text.slice(0, BODY_EXCERPT_CHARS)}…` : text);
}

const after = (attempts: number) => (attempts > 1 ? ` after ${attempts} attempts` : '');

/** "`baseUrl` (server http://…)": the setting that chose the server, and the server it gave. */
const server = (ctx: FailureContext) => `${ctx.baseUrlSettings.map((k) => `\`${k}\``).join(' and ')} (server ${redact(ctx.baseUrl)})`;

export const defaultDescribeAuthError: DescribeAuthError = (status) =>
  status === 401
    ? 'The API refused the credentials: check the API key or token in the source config.'
    : 'The API denied access: check that the credentials belong to the configured account or project and have permission for this resource.';

export function authFailure(status: number, body: string, ctx: FailureContext, describe = defaultDescribeAuthError): AuthError {
  const given = describe(status, body);
  const advice = typeof given === 'string' ? { message: given } : given;
  const reason = advice.message || defaultDescribeAuthError(status, body);
  return new AuthError(redact(`${reason} (HTTP ${status} from ${ctx.method} ${ctx.url})`), status, advice.message ? advice.settings : []);
}

export function statusFailure(status: number, body: string, ctx: FailureContext, retryAfterMs?: number): HttpError {
  const what = `${ctx.method} ${ctx.url}`;
  const label = `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
  const excerpt = bodyExcerpt(body);
  const detail = excerpt ? `: ${excerpt}` : '';
  let code: string;
  let message: string;
  let settings: readonly string[] = [];
  if (status === 429) {
    code = 'HTTP_RATE_LIMITED';
    message = `${what} was still rate limited (${label})${after(ctx.attempts)}${detail}. Another client may be spending the same budget; lower the request rate or retry later.`;
  } else if (status === 408) {
    code = 'HTTP_TIMEOUT';
    message = `${what} timed out on the server (${label})${after(ctx.attempts)}. Retry later or ask for less data per request.`;
  } else if (status === 404) {
    code = 'HTTP_NOT_FOUND';
    message = `${what} failed with ${label}${detail}. Check ${server(ctx)} and that the requested resource exists.`;
    settings = ctx.baseUrlSettings;
  } else if (status === 501 || status === 505) {
    code = 'HTTP_UNSUPPORTED';
    message = `${what} failed with ${label}${detail}. The server does not support this request; check ${server(ctx)} and the API version.`;
    settings = ctx.baseUrlSettings;
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
    settings,
  });
}

export function timeoutFailure(timeoutMs: number, ctx: FailureContext, cause: unknown): HttpError {
  return new HttpError(
    redact(`${ctx.method} ${ctx.url} got no response within ${timeoutMs} ms${after(ctx.attempts)}. Check that ${server(ctx)} is reachable, or raise timeoutMs.`),
    { status: 0, method: ctx.method, url: ctx.url, code: 'HTTP_TIMEOUT', disposition: 'retry', settings: ctx.baseUrlSettings, cause },
  );
}

export function networkFailure(ctx: FailureContext, cause: unknown): HttpError {
  return new HttpError(
    redact(`${ctx.method} ${ctx.url} failed: ${describeNetworkCause(cause)}${after(ctx.attempts)}. Check ${server(ctx)}, DNS, proxy and network access.`),
    { status: 0, method: ctx.method, url: ctx.url, code: 'HTTP_NETWORK', disposition: 'retry', settings: ctx.baseUrlSettings, cause },
  );
}

export function invalidBodyFailure(status: number, body: string, ctx: FailureContext, cause: unknown): HttpError {
  const excerpt = bodyExcerpt(body);
  return new HttpError(
    redact(`${ctx.method} ${ctx.url} answered HTTP ${status} with a body that is not valid JSON${after(ctx.attempts)} (${body.length} bytes${excerpt ? `, starting "${excerpt.slice(0, 120)}"` : ''}). The body was cut off in transit, or ${server(ctx)} points at something other than the API.`),
    { status, method: ctx.method, url: ctx.url, body: excerpt, code: 'HTTP_INVALID_BODY', disposition: 'retry', settings: ctx.baseUrlSettings, cause },
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
