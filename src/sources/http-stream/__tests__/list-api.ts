/**
 * A small real HTTP server with Gleap's list semantics, for reader tests: operator-in-key
 * filters (`updatedAt>=`), `sort=field|-field` (ties by id, like an indexed MongoDB sort),
 * `limit`/`skip`, plus page-numbered and token-paged variants. Rows live in a plain array
 * the test mutates between (or during) runs.
 */
import { sendJson, startTestServer } from '../../../core/http/__tests__/test-server.ts';
import type { TestServer } from '../../../core/http/__tests__/test-server.ts';

export interface Row {
  id: string;
  updatedAt: string;
  [key: string]: unknown;
}

export interface ListApi {
  url: string;
  rows: Row[];
  /** Parsed URL of every request, in arrival order. */
  requests: URL[];
  /** Return a status to fail request number `n` (1-based) with it; undefined to serve it. */
  failWith?: (n: number, url: URL) => number | undefined;
  /** Runs before request `n` is served (to change data mid-read). */
  beforeServe?: (n: number, url: URL) => void;
  /** Behaviour switches for misbehaving-API tests. */
  quirks: { ignoreSkip?: boolean; ignoreSort?: boolean; repeatToken?: boolean };
  close(): Promise<void>;
}

const T0 = Date.parse('2025-09-01T00:00:00.000Z');

/** `n` rows `r000`.. with updatedAt one `stepMs` apart from 2025-09-01T00:00:00Z + offsetMs. */
export function makeRows(n: number, opts: { stepMs?: number; offsetMs?: number; prefix?: string; extra?: (i: number) => Record<string, unknown> } = {}): Row[] {
  const step = opts.stepMs ?? 1000;
  return Array.from({ length: n }, (_, i) => ({
    id: `${opts.prefix ?? 'r'}${String(i).padStart(3, '0')}`,
    updatedAt: new Date(T0 + (opts.offsetMs ?? 0) + i * step).toISOString(),
    title: `row ${i}`,
    ...opts.extra?.(i),
  }));
}

export const at = (offsetMs: number): string => new Date(T0 + offsetMs).toISOString();

function select(rows: Row[], params: URLSearchParams, quirks: ListApi['quirks']): Row[] {
  let out = [...rows];
  for (const [key, value] of params) {
    const m = /^(\w+)(>=|>|<=|<)$/.exec(key);
    if (m) {
      const [, field, op] = m;
      const bound = Date.parse(value);
      out = out.filter((r) => {
        const v = Date.parse(String(r[field]));
        return op === '>=' ? v >= bound : op === '>' ? v > bound : op === '<=' ? v <= bound : v < bound;
      });
    } else if (key === 'survey') {
      out = out.filter((r) => r.survey === value);
    }
  }
  const sort = params.get('sort');
  if (sort && !quirks.ignoreSort) {
    const desc = sort.startsWith('-');
    const field = sort.replace(/^-/, '');
    out.sort((a, b) => {
      const d = Date.parse(String(a[field])) - Date.parse(String(b[field]));
      return (desc ? -d : d) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
  } else if (quirks.ignoreSort) {
    out.sort((a, b) => Date.parse(String(b.updatedAt)) - Date.parse(String(a.updatedAt)));
  }
  return out;
}

export async function startListApi(rows: Row[]): Promise<ListApi> {
  let server: TestServer;
  const api: ListApi = {
    url: '',
    rows,
    requests: [],
    quirks: {},
    close: () => server.close(),
  };
  server = await startTestServer((_req, res, arrived) => {
    const url = new URL(arrived.url, 'http://api.test');
    api.requests.push(url);
    const n = api.requests.length;
    const status = api.failWith?.(n, url);
    if (status) return sendJson(res, status, { message: 'injected failure' });
    api.beforeServe?.(n, url);
    const p = url.searchParams;
    const limit = Number(p.get('limit') ?? p.get('size') ?? 1000);
    const parts = url.pathname.split('/').filter(Boolean);

    if (url.pathname === '/surveys') return sendJson(res, 200, [...new Set(api.rows.map((r) => r.survey).filter(Boolean))].map((id) => ({ _id: id })));
    if (parts[0] === 'surveys' && parts[2] === 'responses') {
      const all = select(api.rows.filter((r) => r.survey === decodeURIComponent(parts[1])), p, api.quirks);
      const skip = Number(p.get('skip') ?? 0);
      return sendJson(res, 200, { responses: all.slice(skip, skip + limit) });
    }
    const all = select(api.rows, p, api.quirks);
    switch (url.pathname) {
      case '/tickets':
      case '/bare': {
        const skip = api.quirks.ignoreSkip ? 0 : Number(p.get('skip') ?? 0);
        const page = all.slice(skip, skip + limit);
        return url.pathname === '/bare' ? sendJson(res, 200, page) : sendJson(res, 200, { tickets: page, count: page.length, totalCount: all.length });
      }
      case '/pages': {
        const page = Number(p.get('page'));
        const first = Number(p.get('first') ?? 1);
        return sendJson(res, 200, all.slice((page - first) * limit, (page - first + 1) * limit));
      }
      case '/messages': {
        // Opaque tokens: the position of the next item, base64url encoded.
        const start = Number(Buffer.from(p.get('before') ?? '', 'base64url').toString()) || 0;
        const items = all.slice(start, start + limit);
        const hasMore = start + limit < all.length;
        // repeatToken: a broken server that hands out the second page's token forever.
        const nextBefore = Buffer.from(String(api.quirks.repeatToken ? limit : start + limit)).toString('base64url');
        return sendJson(res, 200, { items, hasMore, nextBefore: hasMore ? nextBefore : null });
      }
      default:
        return sendJson(res, 404, { message: 'no such route' });
    }
  });
  api.url = server.url;
  return api;
}
