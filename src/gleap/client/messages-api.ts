/**
 * Messages of tickets: list with the query operators (`ticket=`, `type=COMMENT,NOTE`,
 * `createdAt>=`...), the cursor mode (`paginated=true&before=`), and get one.
 * The body text may be in `comment` or in `data` (a rich-text document): both are kept.
 */
import type { HttpClient } from '../../core/http/http-client.ts';
import type { QueryPair } from '../../core/http/query-string.ts';
import type { GleapDocument } from './documents.ts';
import { documentSchema, documentsSchema, messagePageSchema } from './documents.ts';
import type { ListOptions } from './list-query.ts';
import { listPairs, pageAll } from './list-query.ts';
import { parseResponse } from './parse-response.ts';

/** The spec's maximum page for /messages. */
export const MESSAGE_PAGE = 10_000;

export interface MessageListOptions extends ListOptions {
  ticket?: string;
  /** COMMENT, NOTE (any of). */
  type?: string | readonly string[];
}

export interface MessageCursorPage {
  items: GleapDocument[];
  hasMore: boolean;
  /** Pass as `before` for the next (older) page. */
  nextBefore: string | null;
}

function messagePairs(opts: MessageListOptions): QueryPair[] {
  const pairs: QueryPair[] = [];
  if (opts.ticket) pairs.push(['ticket', opts.ticket]);
  if (opts.type) pairs.push(['type', typeof opts.type === 'string' ? opts.type : opts.type.join(',')]);
  return [...pairs, ...listPairs(opts)];
}

export function messagesApi(http: HttpClient) {
  const api = {
    async list(opts: MessageListOptions = {}): Promise<GleapDocument[]> {
      const body = await http.get('/messages', { query: messagePairs(opts), label: 'messages.list' });
      return parseResponse(documentsSchema, body, 'GET /messages', 'an array of messages');
    },
    listAll(opts: Omit<MessageListOptions, 'limit' | 'skip'> = {}, max?: number): AsyncGenerator<GleapDocument> {
      return pageAll((limit, skip) => api.list({ ...opts, limit, skip }), MESSAGE_PAGE, max);
    },
    /** Newest first; `before` is the previous page's `nextBefore` (or an ISO date). */
    async page(opts: Omit<MessageListOptions, 'skip' | 'sort'> & { before?: string } = {}): Promise<MessageCursorPage> {
      const query: QueryPair[] = [['paginated', 'true'], ...messagePairs(opts)];
      if (opts.before) query.push(['before', opts.before]);
      const body = await http.get('/messages', { query, label: 'messages.page' });
      const page = parseResponse(messagePageSchema, body, 'GET /messages?paginated=true', '{items, hasMore, nextBefore}');
      const next = page.nextBefore;
      return { items: page.items, hasMore: page.hasMore, nextBefore: typeof next === 'string' && next ? next : null };
    },
    async get(id: string): Promise<GleapDocument> {
      // Served by Gleap, though the OpenAPI document only declares PUT and DELETE here.
      const body = await http.get(`/messages/${encodeURIComponent(id)}`, { label: 'messages.get' });
      return parseResponse(documentSchema, body, 'GET /messages/{id}', 'a message with an id');
    },
  };
  return api;
}

export type MessagesApi = ReturnType<typeof messagesApi>;
