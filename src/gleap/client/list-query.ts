/**
 * Gleap's list query language: filter on any property, the comparison operator inside the
 * key (`updatedAt>=2025-09-01T00:00:00.000Z`, sent as `updatedAt%3E%3D=...`), comma lists
 * for "any of", `sort=field` / `sort=-field`, and `limit`/`skip` paging.
 */
import { SupportSyncError, UsageError } from '../../core/errors.ts';
import type { QueryPair, QueryValue } from '../../core/http/query-string.ts';

export type FilterOp = '=' | '>=' | '>' | '<=' | '<';
export const FILTER_OPS: readonly FilterOp[] = ['>=', '<=', '>', '<', '='];

export type Filter = readonly [field: string, op: FilterOp, value: QueryValue | readonly QueryValue[]];

export interface ListOptions {
  /** Conditions, all of which must hold. */
  where?: readonly Filter[];
  /** `createdAt` (ascending) or `-createdAt` (descending); several keys comma-separated. */
  sort?: string;
  limit?: number;
  skip?: number;
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_.]*$/;

export function filterPairs(where: readonly Filter[] = []): QueryPair[] {
  return where.map(([field, op, value]) => {
    if (!FIELD.test(field)) throw new UsageError(`filter field "${field}" is not a field name (letters, digits, _ and .)`);
    const text = Array.isArray(value) ? value.map((v) => (v instanceof Date ? v.toISOString() : String(v))).join(',') : (value as QueryValue);
    return [op === '=' ? field : `${field}${op}`, text] as QueryPair;
  });
}

export function listPairs(opts: ListOptions = {}): QueryPair[] {
  const pairs = filterPairs(opts.where);
  if (opts.sort) pairs.push(['sort', opts.sort]);
  if (opts.limit !== undefined) pairs.push(['limit', opts.limit]);
  if (opts.skip !== undefined) pairs.push(['skip', opts.skip]);
  return pairs;
}

/**
 * A filter as people type it: `status=OPEN`, `type=BUG,CRASH`, `updatedAt>=2025-09-01`.
 * A bare date is read as midnight UTC and sent with a `Z` (a `+01:00` offset would decode
 * as a space on Gleap's side).
 */
export function parseFilter(text: string): Filter {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(>=|<=|>|<|=)\s*(.*?)\s*$/.exec(text);
  if (!m) {
    throw new UsageError(`--where "${text}": expected FIELD OP VALUE with OP one of ${FILTER_OPS.join(' ')} (e.g. status=OPEN, updatedAt>=2025-09-01)`);
  }
  const [, field, op, raw] = m as unknown as [string, string, FilterOp, string];
  let value: string = raw;
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) value = `${raw}T00:00:00.000Z`;
  else if (/^\d{4}-\d{2}-\d{2}T/.test(raw)) {
    const ms = Date.parse(raw);
    if (Number.isNaN(ms)) throw new UsageError(`--where "${text}": "${raw}" is not a valid date`);
    value = new Date(ms).toISOString();
  }
  return [field, op, value];
}

/**
 * Every item of a limit/skip-paged list, page by page. Stops on a short page, and refuses
 * to loop when a server ignores `skip` (the same first id twice).
 */
export async function* pageAll<T extends { id: string }>(
  fetchPage: (limit: number, skip: number) => Promise<T[]>,
  pageSize: number,
  max = Number.POSITIVE_INFINITY,
): AsyncGenerator<T> {
  let skip = 0;
  let seen = 0;
  let firstIdOfLastPage: string | undefined;
  for (;;) {
    const page = await fetchPage(pageSize, skip);
    if (page.length > 0 && skip > 0 && page[0]!.id === firstIdOfLastPage) {
      throw new SupportSyncError(`paging did not advance at skip=${skip}: the server answered the same page again (it seems to ignore skip)`, { code: 'GLEAP_PAGING', phase: 'http' });
    }
    firstIdOfLastPage = page[0]?.id;
    for (const item of page) {
      if (seen++ >= max) return;
      yield item;
    }
    if (page.length < pageSize) return;
    skip += page.length;
  }
}
