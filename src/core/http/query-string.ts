/**
 * URL building. Query strings are lists of `[key, value]` pairs, encoded on BOTH sides,
 * because Gleap puts the comparison operator inside the key: `updatedAt>=` must travel as
 * `updatedAt%3E%3D`. A list (not an object) also allows repeated keys and keeps order.
 */
import { redact } from '../redact.ts';

export type QueryValue = string | number | boolean | Date | null | undefined;
export type QueryPair = readonly [key: string, value: QueryValue];
export type QueryPairs = readonly QueryPair[];
/** Pairs, or an object for the common case (an array value repeats the key). */
export type QueryInput = QueryPairs | Readonly<Record<string, QueryValue | readonly QueryValue[]>>;

/** `undefined`/`null` values are left out; dates are sent as ISO 8601 with a `Z`. */
export function toQueryPairs(input: QueryInput | undefined): QueryPair[] {
  if (!input) return [];
  if (Array.isArray(input)) return (input as QueryPairs).filter(([, v]) => v !== undefined && v !== null);
  const pairs: QueryPair[] = [];
  for (const [key, value] of Object.entries(input as Record<string, QueryValue | readonly QueryValue[]>)) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined && v !== null) pairs.push([key, v]);
  }
  return pairs;
}

function encodeValue(value: QueryValue): string {
  return encodeURIComponent(value instanceof Date ? value.toISOString() : String(value));
}

/** `a=1&updatedAt%3E%3D=2025-...`: every key and value percent-encoded (RFC 3986). */
export function buildQuery(input: QueryInput | undefined): string {
  return toQueryPairs(input)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeValue(v)}`)
    .join('&');
}

/**
 * Joins a base URL that may carry a path prefix (`https://api.gleap.io/v3`) with a request
 * path (`/tickets`). An absolute `http(s)://` path is used as is (e.g. a download link).
 */
export function buildUrl(baseUrl: string, path: string, query?: QueryInput): string {
  const joined = /^https?:\/\//i.test(path)
    ? path
    : `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  const qs = buildQuery(query);
  if (!qs) return joined;
  return joined + (joined.includes('?') ? '&' : '?') + qs;
}

/** Query keys whose values are credentials wherever they appear. */
export const SECRET_QUERY_KEY = /(?:key|token|secret|passw(?:or)?d|signature|credential|auth)/i;

/**
 * A URL safe to print: values of secret-looking query keys are masked, then every
 * registered secret is removed by the shared redactor.
 */
export function redactUrl(url: string, secretKey: RegExp = SECRET_QUERY_KEY): string {
  const q = url.indexOf('?');
  if (q < 0) return redact(url);
  const masked = url
    .slice(q + 1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return part;
      let key: string;
      try {
        key = decodeURIComponent(part.slice(0, eq));
      } catch {
        key = part.slice(0, eq);
      }
      return secretKey.test(key) ? `${part.slice(0, eq)}=***` : part;
    })
    .join('&');
  return redact(`${url.slice(0, q)}?${masked}`);
}
