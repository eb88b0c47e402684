/** Finds the record array in a response body, the way a stream declared it. */
import { SupportSyncError } from '../../core/errors.ts';

export type RawRecord = Record<string, unknown>;

/**
 * `undefined`: the body is a bare array. A string: a dotted path to the array
 * (`tickets`, `data.items`). A function: for endpoints that answer in several shapes.
 */
export type RecordsPath = string | ((body: unknown) => unknown[] | undefined);

/** A `recordsPath` accepting a bare array or an array under any of `keys` (first match wins). */
export function recordsFrom(...keys: string[]): (body: unknown) => unknown[] | undefined {
  return (body) => {
    if (Array.isArray(body)) return body;
    for (const key of keys) {
      const found = at(body, key);
      if (Array.isArray(found)) return found;
    }
    return undefined;
  };
}

function at(body: unknown, path: string): unknown {
  let cur = body;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object with keys ${Object.keys(value as object).slice(0, 8).join(', ') || '(none)'}`;
  return typeof value;
}

export interface ExtractedPage {
  records: RawRecord[];
  /** Items that were not JSON objects (reported, never silently dropped). */
  malformed: number;
}

export function extractRecords(body: unknown, path: RecordsPath | undefined, stream: string): ExtractedPage {
  const found = path === undefined ? body : typeof path === 'string' ? at(body, path) : path(body);
  if (!Array.isArray(found)) {
    const where = path === undefined ? 'a JSON array as the body' : typeof path === 'string' ? `an array at "${path}"` : 'a known response shape';
    throw new SupportSyncError(
      `stream "${stream}": expected ${where}, got ${describe(path === undefined || typeof path !== 'string' ? body : found)}. The API answered in an unexpected shape; check baseUrl and the API version.`,
      { code: 'SOURCE_BAD_RESPONSE', phase: 'source', disposition: 'fatal' },
    );
  }
  const records: RawRecord[] = [];
  let malformed = 0;
  for (const item of found) {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) records.push(item as RawRecord);
    else malformed++;
  }
  return { records, malformed };
}
