/**
 * Paginators as data (a tagged union), and the three things the reader asks of them: the
 * query of a page, whether a page was the last, and where the next page starts.
 * No auto-detection: a stream says how its endpoint pages.
 */
import { SupportSyncError } from '../../core/errors.ts';
import type { QueryPairs } from '../../core/http/query-string.ts';

/** `?limit=100&skip=200`. Ends on a short page, or when `totalCount(body)` is reached. */
export interface OffsetPaginator {
  type: 'offset';
  limitParam: string;
  offsetParam: string;
  /** Must not exceed the API's own maximum, or a capped page would look like the last one. */
  pageSize: number;
  totalCount?: (body: unknown) => number | undefined;
  /**
   * Pages of an incremental (ascending) query requested at once, each starting at the last
   * row of the one before so that rows moving in between are noticed (the reader's step 7).
   * Default 1: the next page only, planned from the page before it.
   */
  pagesAhead?: number;
}

export type Paginator =
  | OffsetPaginator
  /** `?page=2&size=100`. Ends on a short page, or at `totalPages(body)`. */
  | {
      type: 'page';
      pageParam: string;
      sizeParam: string;
      firstPage: 0 | 1;
      pageSize: number;
      totalPages?: (body: unknown) => number | undefined;
    }
  /** A server token: `?paginated=true&before=<nextBefore>`. Ends when there is no next token or `hasMore` is false. */
  | {
      type: 'cursor';
      cursorParam: string;
      nextCursor: (body: unknown) => string | number | null | undefined;
      hasMore?: (body: unknown) => boolean | undefined;
      /** Fixed pairs that switch the endpoint into paged mode, e.g. `[['paginated', 'true']]`. */
      params?: QueryPairs;
      limitParam?: string;
      pageSize?: number;
    }
  /** One request returns everything. */
  | { type: 'none' };

/** Where a paged read stands, counted from the last (re)start of the query. */
export interface PagePosition {
  /** Pages fetched before this one. */
  index: number;
  /** Records returned before this page. */
  offset: number;
  /** The server's token for this page (cursor paginator). */
  token?: string;
  /** Tokens already used, to refuse a loop. */
  seenTokens: ReadonlySet<string>;
}

export function firstPosition(): PagePosition {
  return { index: 0, offset: 0, seenTokens: new Set() };
}

export function pageQuery(p: Paginator, pos: PagePosition): QueryPairs {
  switch (p.type) {
    case 'offset':
      return [[p.limitParam, p.pageSize], [p.offsetParam, pos.offset]];
    case 'page':
      return [[p.pageParam, p.firstPage + pos.index], [p.sizeParam, p.pageSize]];
    case 'cursor':
      return [
        ...(p.params ?? []),
        ...(p.limitParam && p.pageSize ? ([[p.limitParam, p.pageSize]] as QueryPairs) : []),
        ...(pos.token !== undefined ? ([[p.cursorParam, pos.token]] as QueryPairs) : []),
      ];
    case 'none':
      return [];
  }
}

/** The position after a page of `count` records, or undefined when that page was the last. */
export function nextPosition(p: Paginator, pos: PagePosition, body: unknown, count: number, stream: string): PagePosition | undefined {
  if (count === 0 || p.type === 'none') return undefined;
  const next = { ...pos, index: pos.index + 1, offset: pos.offset + count };
  switch (p.type) {
    case 'offset': {
      const total = p.totalCount?.(body);
      if (total !== undefined) return next.offset < total ? next : undefined;
      return count < p.pageSize ? undefined : next;
    }
    case 'page': {
      const pages = p.totalPages?.(body);
      if (pages !== undefined) return next.index < pages ? next : undefined;
      return count < p.pageSize ? undefined : next;
    }
    case 'cursor': {
      if (p.hasMore?.(body) === false) return undefined;
      const raw = p.nextCursor(body);
      if (raw === undefined || raw === null || raw === '') return undefined;
      const token = String(raw);
      if (token === pos.token || pos.seenTokens.has(token)) {
        throw new SupportSyncError(
          `stream "${stream}": the API returned the page cursor ${p.cursorParam}=${token} a second time. Stopping instead of reading the same pages forever; the API's paging is inconsistent, retry the sync later.`,
          { code: 'PAGINATION_LOOP', phase: 'source', disposition: 'fatal' },
        );
      }
      const seen = new Set(pos.seenTokens);
      if (pos.token !== undefined) seen.add(pos.token);
      return { ...next, token, seenTokens: seen };
    }
  }
}

/** Checks a declaration's paginator; returns the problems found. */
export function paginatorProblems(p: Paginator): string[] {
  const problems: string[] = [];
  const positive = (n: unknown) => Number.isInteger(n) && (n as number) > 0;
  if (p.type === 'offset' || p.type === 'page') {
    if (!positive(p.pageSize)) problems.push(`paginator.pageSize must be a positive integer, got ${p.pageSize}`);
  }
  if (p.type === 'offset' && (!p.limitParam || !p.offsetParam)) problems.push('paginator needs limitParam and offsetParam');
  if (p.type === 'offset' && p.pagesAhead !== undefined) {
    if (!positive(p.pagesAhead)) problems.push(`paginator.pagesAhead must be a positive integer, got ${p.pagesAhead}`);
    else if (p.pagesAhead > 1 && p.pageSize < 2) problems.push('paginator.pagesAhead above 1 needs a pageSize of at least 2 (pages overlap by one row)');
  }
  if (p.type === 'page' && (!p.pageParam || !p.sizeParam)) problems.push('paginator needs pageParam and sizeParam');
  if (p.type === 'page' && p.firstPage !== 0 && p.firstPage !== 1) problems.push('paginator.firstPage must be 0 or 1');
  if (p.type === 'cursor') {
    if (!p.cursorParam) problems.push('paginator needs cursorParam');
    if (typeof p.nextCursor !== 'function') problems.push('paginator needs a nextCursor(body) function');
    if (p.pageSize !== undefined && !positive(p.pageSize)) problems.push(`paginator.pageSize must be a positive integer, got ${p.pageSize}`);
  }
  if (!['offset', 'page', 'cursor', 'none'].includes((p as { type: string }).type)) {
    problems.push(`paginator.type must be one of offset, page, cursor, none; got "${(p as { type: string }).type}"`);
  }
  return problems;
}
