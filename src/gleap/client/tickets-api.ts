/**
 * Tickets: list with Gleap's query operators, page through all, get one.
 *   GET /tickets?type=BUG,CRASH&status=OPEN&updatedAt>=...&sort=-createdAt&limit&skip -> {tickets, count, totalCount}
 *   GET /tickets/{ticketId}
 */
import type { HttpClient } from '../../core/http/http-client.ts';
import type { QueryPair } from '../../core/http/query-string.ts';
import { pathOf } from '../api-types.ts';
import type { GleapDocument } from './documents.ts';
import { documentSchema, ticketPageSchema } from './documents.ts';
import type { ListOptions } from './list-query.ts';
import { listPairs, pageAll } from './list-query.ts';
import { parseResponse } from './parse-response.ts';

/** The largest page Gleap serves for /tickets. */
export const TICKET_PAGE = 1000;

export interface TicketListOptions extends ListOptions {
  /** Any of these types (BUG, FEATURE_REQUEST, INQUIRY, ...). */
  type?: string | readonly string[];
  status?: string | readonly string[];
  priority?: string | readonly string[];
  archived?: boolean;
  /** true: leave archived tickets out. */
  ignoreArchived?: boolean;
  isSpam?: boolean;
}

export interface TicketPage {
  tickets: GleapDocument[];
  /** Tickets on this page. */
  count: number;
  /** Tickets matching the filters, over all pages (when Gleap says). */
  totalCount: number | null;
}

const anyOf = (v: string | readonly string[] | undefined) => (v === undefined ? undefined : typeof v === 'string' ? v : v.join(','));

function ticketPairs(opts: TicketListOptions): QueryPair[] {
  const pairs: QueryPair[] = [];
  const add = (key: string, value: string | boolean | undefined) => {
    if (value !== undefined) pairs.push([key, value]);
  };
  add('type', anyOf(opts.type));
  add('status', anyOf(opts.status));
  add('priority', anyOf(opts.priority));
  add('archived', opts.archived);
  add('ignoreArchived', opts.ignoreArchived);
  add('isSpam', opts.isSpam);
  return [...pairs, ...listPairs(opts)];
}

export function ticketsApi(http: HttpClient) {
  const api = {
    async list(opts: TicketListOptions = {}): Promise<TicketPage> {
      const body = await http.get('/tickets', { query: ticketPairs(opts), label: 'tickets.list' });
      const page = parseResponse(ticketPageSchema, body, 'GET /tickets', '{tickets: [...], count, totalCount}');
      return { tickets: page.tickets, count: page.count ?? page.tickets.length, totalCount: page.totalCount ?? null };
    },
    /** Every ticket matching the filters, paged at Gleap's largest page. */
    listAll(opts: Omit<TicketListOptions, 'limit' | 'skip'> = {}, max?: number): AsyncGenerator<GleapDocument> {
      return pageAll(async (limit, skip) => (await api.list({ ...opts, limit, skip })).tickets, TICKET_PAGE, max);
    },
    async get(id: string): Promise<GleapDocument> {
      const body = await http.get(pathOf('/tickets/{ticketId}', { ticketId: id }), { label: 'tickets.get' });
      return parseResponse(documentSchema, body, 'GET /tickets/{id}', 'a ticket with an id');
    },
  };
  return api;
}

export type TicketsApi = ReturnType<typeof ticketsApi>;
