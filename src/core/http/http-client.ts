/**
 * The one HTTP client of supportsync (sources, the Gleap API client, event delivery).
 * Node's global fetch, plus what every vendor call needs: a shared rate budget, retries with
 * jittered backoff and Retry-After, per-attempt timeouts, typed and redacted errors, and
 * request statistics per label.
 *
 * One request = up to `maxAttempts` attempts. Each attempt: wait for a budget slot, send,
 * release the slot when the headers arrive, then classify the outcome as success, a
 * transient fault (408/429/5xx, network error, timeout, cut-off JSON: wait and retry) or a
 * final error (other 4xx; 401/403 become AuthError with the source's wording).
 */
import type { Readable } from 'node:stream';
import { SupportSyncError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import { registerSecret } from '../redact.ts';
import { abortableSleep } from './abortable-sleep.ts';
import type { DescribeAuthError, FailureContext } from './http-failure.ts';
import { authFailure, invalidBodyFailure, networkFailure, statusFailure, timeoutFailure } from './http-failure.ts';
import type { HttpStats } from './http-stats.ts';
import { createHttpStats } from './http-stats.ts';
import type { QueryInput } from './query-string.ts';
import { buildUrl, redactUrl, SECRET_QUERY_KEY, toQueryPairs } from './query-string.ts';
import type { RateBudget, ReleaseSlot } from './rate-budget.ts';
import type { RetryPolicy } from './retry-policy.ts';
import { backoffDelay, isRetryableStatus, parseRetryAfter, resolveRetryPolicy } from './retry-policy.ts';
import { AttemptTimeout, encodeBody, isRawBody, readLimited, streamBody } from './response-body.ts';
import { DEFAULT_SECRET_HEADERS, registerHeaderSecrets } from './secret-headers.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
export type ParseMode = 'json' | 'text' | 'stream';
type Headers_ = Record<string, string>;

export interface HttpRequest {
  method?: HttpMethod;
  /** Relative to `baseUrl` (`/tickets`), or an absolute http(s) URL. */
  path: string;
  query?: QueryInput;
  /** A plain value is sent as JSON; a string or bytes as they are. */
  body?: unknown;
  headers?: Headers_;
  /** The stream or operation this request serves; keys the statistics. */
  label?: string;
  signal?: AbortSignal;
  /** `json` (default): parsed body. `text`: string. `stream`: a Readable of body chunks. */
  parse?: ParseMode;
  /** Per attempt; for `stream`, the wait for headers and then the longest pause between chunks. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Called once per attempt, after the client-wide hook (e.g. `() => ctx.countRequest(stream)`). */
  onRequest?: (label: string) => void;
}

export interface HttpResponse<B> {
  status: number;
  headers: Headers;
  /** The request URL, redacted: safe to log. */
  url: string;
  body: B;
  attempts: number;
}

export type RequestOptions = Omit<HttpRequest, 'path' | 'method' | 'body' | 'parse'>;

export interface HttpClient {
  readonly baseUrl: string;
  request(req: HttpRequest & { parse: 'stream' }): Promise<HttpResponse<Readable>>;
  request(req: HttpRequest & { parse: 'text' }): Promise<HttpResponse<string>>;
  request<T = unknown>(req: HttpRequest & { parse?: 'json' }): Promise<HttpResponse<T>>;
  get<T = unknown>(path: string, opts?: RequestOptions): Promise<T>;
  post<T = unknown>(path: string, body?: unknown, opts?: RequestOptions): Promise<T>;
  put<T = unknown>(path: string, body?: unknown, opts?: RequestOptions): Promise<T>;
  patch<T = unknown>(path: string, body?: unknown, opts?: RequestOptions): Promise<T>;
  delete<T = unknown>(path: string, opts?: RequestOptions): Promise<T>;
  stats(): HttpStats;
}

export interface HttpClientOptions {
  /** e.g. `https://api.gleap.io/v3`; the only thing that differs between vendor and emulator. */
  baseUrl: string;
  /**
   * The settings `baseUrl` was made from, as bare config keys, named by errors that put the
   * server in doubt (unreachable, 404, not the API). Default `['baseUrl']`; e.g. a URL built
   * from an organization subdomain: `['organization']`.
   */
  baseUrlSettings?: readonly string[];
  /** Sent with every request. Values of secret headers are registered for redaction. */
  headers?: Headers_;
  /** Headers computed per attempt (e.g. a refreshed token); merged over `headers`. */
  auth?: (req: { method: string; url: string }) => Headers_ | Promise<Headers_>;
  /** Header names whose values are credentials; default: authorization, api-token, x-api-key, ... */
  secretHeaders?: readonly string[];
  /** Query keys whose values are masked in URLs shown to people. */
  secretQueryKeys?: RegExp;
  budget?: RateBudget;
  retry?: Partial<RetryPolicy>;
  /** Per attempt, default 60 s. */
  timeoutMs?: number;
  log?: Logger;
  userAgent?: string;
  describeAuthError?: DescribeAuthError;
  /** Called once per attempt with the request's label. */
  onRequest?: (label: string) => void;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_USER_AGENT = `supportsync (node ${process.version})`;
const ERROR_BODY_MAX_BYTES = 16 * 1024;

type Outcome =
  | { ok: true; response: HttpResponse<unknown> }
  | { ok: false; retryable: boolean; retryAfterMs?: number; throttled?: boolean; fail: (attempts: number) => Error };

export function createHttpClient(options: HttpClientOptions): HttpClient {
  if (!/^https?:\/\/[^/\s]+/i.test(options.baseUrl)) {
    throw new SupportSyncError(`baseUrl must be an http(s) URL such as https://api.example.com/v1, got "${options.baseUrl}"`, {
      code: 'HTTP_BAD_BASE_URL',
      phase: 'config',
    });
  }
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const baseUrlSettings = options.baseUrlSettings?.length ? options.baseUrlSettings : ['baseUrl'];
  const secretHeaders = options.secretHeaders ?? DEFAULT_SECRET_HEADERS;
  const secretQuery = options.secretQueryKeys ?? SECRET_QUERY_KEY;
  const log = options.log ?? silentLogger;
  const stats = createHttpStats();
  registerHeaderSecrets(options.headers, secretHeaders);

  async function request(req: HttpRequest): Promise<HttpResponse<unknown>> {
    const method = (req.method ?? 'GET').toUpperCase();
    // A credential in the query may come back in an error body: make it a known secret.
    for (const [k, v] of toQueryPairs(req.query)) if (secretQuery.test(k)) registerSecret(String(v));
    const url = buildUrl(baseUrl, req.path, req.query);
    const shownUrl = redactUrl(url, secretQuery);
    const label = req.label ?? `${method} ${req.path.split('?')[0]}`;
    const policy = resolveRetryPolicy(options.retry, req.retry);
    const ctx = (attempts: number): FailureContext => ({ method, url: shownUrl, baseUrl: redactUrl(baseUrl, secretQuery), baseUrlSettings, attempts });

    for (let attempt = 1; ; attempt++) {
      const release: ReleaseSlot = options.budget ? await options.budget.acquire(req.signal) : () => {};
      stats.add(label, 'requests');
      if (attempt > 1) stats.add(label, 'retries');
      options.onRequest?.(label);
      req.onRequest?.(label);

      const started = performance.now();
      const outcome = await attemptOnce(req, method, url, shownUrl, label, release, ctx(attempt));
      log.debug('http request', {
        label,
        method,
        url: shownUrl,
        attempt,
        ms: Math.round(performance.now() - started),
        ...(outcome.ok ? { status: outcome.response.status } : { failed: true }),
      });
      if (outcome.ok) return { ...outcome.response, attempts: attempt };

      // 429 without Retry-After: wait at least the base delay, a zero jitter would only hit it again.
      const backoff = backoffDelay(attempt, policy);
      const delay = outcome.retryAfterMs ?? (outcome.throttled ? Math.max(policy.baseDelayMs, backoff) : backoff);
      if (outcome.throttled) {
        stats.add(label, 'throttled');
        // Everyone sharing the budget waits, not just this caller (but never beyond what we would wait).
        options.budget?.pause(Math.min(delay, policy.maxRetryAfterMs));
      }
      const tooLong = delay > policy.maxRetryAfterMs;
      if (!outcome.retryable || attempt >= policy.maxAttempts || tooLong) {
        stats.add(label, 'failures');
        throw outcome.fail(attempt);
      }
      log.warn(`${outcome.fail(attempt).message.replace(/\.$/, '')}; retry ${attempt} of ${policy.maxAttempts - 1} in ${delay} ms`, { label });
      await abortableSleep(delay, req.signal);
    }
  }

  async function attemptOnce(
    req: HttpRequest,
    method: string,
    url: string,
    shownUrl: string,
    label: string,
    release: ReleaseSlot,
    fctx: FailureContext,
  ): Promise<Outcome> {
    const timeoutMs = req.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const parse = req.parse ?? 'json';
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const armTimer = () => {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(new AttemptTimeout()), timeoutMs);
    };
    const onCallerAbort = () => controller.abort(req.signal!.reason);
    if (req.signal?.aborted) {
      release();
      throw req.signal.reason;
    }
    req.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onCallerAbort);
    };
    // Classifies a thrown fetch/body error: caller abort is rethrown as is, never retried.
    const thrown = (err: unknown): Outcome => {
      if (req.signal?.aborted) throw req.signal.reason;
      if (controller.signal.reason instanceof AttemptTimeout) {
        return { ok: false, retryable: true, fail: (n) => timeoutFailure(timeoutMs, { ...fctx, attempts: n }, err) };
      }
      return { ok: false, retryable: true, fail: (n) => networkFailure({ ...fctx, attempts: n }, err) };
    };

    let headers: Headers_;
    try {
      headers = await buildHeaders(req, method, url, parse);
    } catch (err) {
      // A failing auth hook is the caller's problem, not a transient network fault.
      release();
      cleanup();
      throw err;
    }
    armTimer();
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: encodeBody(req.body), signal: controller.signal, redirect: 'follow' });
    } catch (err) {
      cleanup();
      return thrown(err);
    } finally {
      release();
    }

    let handedOver = false;
    try {
      if (res.status < 200 || res.status >= 300) {
        const text = await readLimited(res, ERROR_BODY_MAX_BYTES, (n) => stats.add(label, 'bytes', n));
        controller.abort();
        return classifyStatus(res, text, fctx, options.describeAuthError);
      }
      const response = (body: unknown): Outcome => ({
        ok: true,
        response: { status: res.status, headers: res.headers, url: shownUrl, body, attempts: 0 },
      });
      if (parse === 'stream') {
        clearTimeout(timer); // from here on the timer measures stalls, see streamBody
        handedOver = true;
        const onBytes = (n: number) => stats.add(label, 'bytes', n);
        return response(streamBody({ res, controller, armTimer, disarmTimer: () => clearTimeout(timer), cleanup, onBytes, timeoutMs, fctx }));
      }
      const bytes = new Uint8Array(await res.arrayBuffer());
      stats.add(label, 'bytes', bytes.byteLength);
      const text = new TextDecoder().decode(bytes);
      if (parse === 'text') return response(text);
      if (text.trim() === '' && (res.status === 204 || res.status === 205 || method !== 'GET')) return response(undefined);
      try {
        return response(JSON.parse(text));
      } catch (err) {
        // A 2xx whose JSON does not parse was almost always cut off in transit: transient.
        return { ok: false, retryable: true, fail: (n) => invalidBodyFailure(res.status, text, { ...fctx, attempts: n }, err) };
      }
    } catch (err) {
      return thrown(err);
    } finally {
      if (!handedOver) cleanup();
    }
  }

  async function buildHeaders(req: HttpRequest, method: string, url: string, parse: ParseMode): Promise<Headers_> {
    const dynamic = options.auth ? await options.auth({ method, url }) : undefined;
    registerHeaderSecrets(dynamic, secretHeaders);
    registerHeaderSecrets(req.headers, secretHeaders);
    const headers: Headers_ = {
      'user-agent': options.userAgent ?? DEFAULT_USER_AGENT,
      accept: parse === 'json' ? 'application/json' : '*/*',
    };
    if (req.body !== undefined && !isRawBody(req.body)) headers['content-type'] = 'application/json';
    for (const extra of [options.headers, dynamic, req.headers]) {
      for (const [k, v] of Object.entries(extra ?? {})) headers[k.toLowerCase()] = v;
    }
    return headers;
  }

  const sugar =
    (method: HttpMethod, withBody: boolean) =>
    async (path: string, a?: unknown, b?: RequestOptions) => {
      const opts = (withBody ? b : (a as RequestOptions | undefined)) ?? {};
      const res = await request({ ...opts, method, path, body: withBody ? a : undefined, parse: 'json' });
      return res.body;
    };

  return {
    baseUrl,
    request: request as HttpClient['request'],
    get: sugar('GET', false) as HttpClient['get'],
    post: sugar('POST', true) as HttpClient['post'],
    put: sugar('PUT', true) as HttpClient['put'],
    patch: sugar('PATCH', true) as HttpClient['patch'],
    delete: sugar('DELETE', false) as HttpClient['delete'],
    stats: () => stats.snapshot(),
  };
}

function classifyStatus(res: Response, text: string, fctx: FailureContext, describe?: DescribeAuthError): Outcome {
  const status = res.status;
  if (status === 401 || status === 403) {
    return { ok: false, retryable: false, fail: (n) => authFailure(status, text, { ...fctx, attempts: n }, describe) };
  }
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
  return {
    ok: false,
    retryable: isRetryableStatus(status),
    retryAfterMs: isRetryableStatus(status) ? retryAfterMs : undefined,
    throttled: status === 429,
    fail: (n) => statusFailure(status, text, { ...fctx, attempts: n }, retryAfterMs),
  };
}
