/**
 * The read endpoints of the v3 API: lists with Gleap's query language, and single gets.
 *   GET /v3/tickets                  -> { tickets, count, totalCount }
 *   GET /v3/messages                 -> [...]; with paginated=true -> { items, hasMore, nextBefore }
 *   GET /v3/sessions, /v3/teams, /v3/projects/users, /v3/engagement/surveys -> [...]
 *   GET /v3/engagement/surveys/{id}/responses (+ /export as CSV)
 *
 * Archived and spam tickets are listed like any other: the spec documents
 * `ignoreArchived=true`, `archived=false` and `isSpam=false` as ways to leave them out,
 * which only make sense if they are included by default.
 */
import { parseInstant } from '../query/compile-condition.ts';
import { parseListQuery, QueryError } from '../query/parse-list-query.ts';
import type { Condition, ListQuery } from '../query/parse-list-query.ts';
import { matchRows, runListQuery } from '../query/run-list-query.ts';
import { RESOURCES } from '../resources/resources.ts';
import type { GleapStore } from '../store/gleap-store.ts';
import type { Doc, Table, TableName } from '../store/table.ts';
import { fail, notFound, ok } from './route-context.ts';
import type { GleapRouter, RouteContext } from './route-context.ts';
import { toCsv } from './to-csv.ts';

/** Parses the query, runs it, and builds the page's documents. */
export function listPage(
  ctx: RouteContext,
  name: TableName,
  opts: { options?: readonly string[]; extra?: Condition[] } = {},
): { docs: Doc[]; total: number; query: ListQuery } {
  const query = parseListQuery(ctx.rawQuery, new Set(opts.options ?? []));
  const table = ctx.store.table(name);
  const page = runListQuery(table, query, RESOURCES[name].limits, lookup(ctx.store), opts.extra ?? []);
  return { docs: Array.from(page.rows, (i) => table.materialize(i)), total: page.total, query };
}

export const lookup = (store: GleapStore) => (name: string): Table => store.table(name);

/** `GET .../:id` on a table; 404 for unknown, malformed and deleted ids. */
export function getOne(ctx: RouteContext, name: TableName, label: string): ReturnType<typeof ok> {
  const table = ctx.store.table(name);
  const i = table.indexOf(ctx.params.id);
  return i < 0 ? notFound(label) : ok(table.materialize(i));
}

const MESSAGE_OPTIONS = ['paginated', 'before', 'language', 'showHistory'];
const CURSOR_DEFAULT_LIMIT = 50;

function listMessages(ctx: RouteContext) {
  const query = parseListQuery(ctx.rawQuery, new Set(MESSAGE_OPTIONS));
  if (query.options.get('paginated') !== 'true') {
    const { docs } = listPage(ctx, 'messages', { options: MESSAGE_OPTIONS });
    return ok(docs);
  }
  // Cursor mode: newest first, pages walk back in time; `nextBefore` is the oldest id returned.
  const table = ctx.store.messages;
  const rows = matchRows(table, query.conditions, [], lookup(ctx.store));
  const limit = Math.min(query.limit || CURSOR_DEFAULT_LIMIT, RESOURCES.messages.limits.max);
  const before = query.options.get('before');
  let end = rows.length;
  if (before !== undefined && before !== '') {
    const row = table.indexOf(before, true);
    if (row >= 0) end = lowerBound(rows, (r) => r >= row);
    else {
      const ms = parseInstant(before);
      if (Number.isNaN(ms)) throw new QueryError(`Invalid before "${before}": expected a message id or an ISO 8601 date`);
      end = lowerBound(rows, (r) => table.createdAt[r] >= ms);
    }
  }
  const start = Math.max(0, end - limit);
  const items: Doc[] = [];
  for (let p = end - 1; p >= start; p--) items.push(table.materialize(rows[p]));
  const hasMore = start > 0;
  return ok({ items, hasMore, nextBefore: hasMore ? table.idOf(rows[start]) : null });
}

/** First position in ascending `rows` where `pred` holds (pred is monotonic). */
function lowerBound(rows: Int32Array, pred: (row: number) => boolean): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(rows[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function surveyScope(ctx: RouteContext): Condition[] | null {
  return ctx.store.surveys.indexOf(ctx.params.id) < 0 ? null : [{ field: 'survey_id', op: 'eq', values: [ctx.params.id] }];
}

export function registerReadRoutes(router: GleapRouter): void {
  router
    .add('GET', '/v3/tickets', (ctx) => {
      const query = parseListQuery(ctx.rawQuery, new Set(['ignoreArchived']));
      const ignore = query.options.get('ignoreArchived');
      if (ignore !== undefined && ignore !== 'true' && ignore !== 'false') {
        return fail(400, `Invalid ignoreArchived "${ignore}": expected true or false`);
      }
      const extra: Condition[] = ignore === 'true' ? [{ field: 'archived', op: 'eq', values: ['false'] }] : [];
      const { docs, total } = listPage(ctx, 'tickets', { options: ['ignoreArchived'], extra });
      return ok({ tickets: docs, count: docs.length, totalCount: total });
    })
    .add('GET', '/v3/tickets/:id', (ctx) => getOne(ctx, 'tickets', 'Ticket'))
    .add('GET', '/v3/messages', listMessages)
    .add('GET', '/v3/messages/:id', (ctx) => getOne(ctx, 'messages', 'Message'))
    .add('GET', '/v3/teams', (ctx) => ok(listPage(ctx, 'teams').docs))
    .add('GET', '/v3/teams/:id', (ctx) => getOne(ctx, 'teams', 'Team'))
    .add('GET', '/v3/projects/users', (ctx) => ok(listPage(ctx, 'agents').docs))
    .add('GET', '/v3/projects/users/:id', (ctx) => getOne(ctx, 'agents', 'User'))
    .add('GET', '/v3/engagement/surveys', (ctx) => ok(listPage(ctx, 'surveys').docs))
    .add('GET', '/v3/engagement/surveys/:id', (ctx) => getOne(ctx, 'surveys', 'Survey'))
    .add('GET', '/v3/engagement/surveys/:id/responses', (ctx) => {
      const extra = surveyScope(ctx);
      return extra ? ok(listPage(ctx, 'survey_responses', { extra }).docs) : notFound('Survey');
    })
    .add('GET', '/v3/engagement/surveys/:id/responses/export', (ctx) => {
      const extra = surveyScope(ctx);
      if (!extra) return notFound('Survey');
      const query = parseListQuery(ctx.rawQuery);
      const table = ctx.store.survey_responses;
      const rows = matchRows(table, [...extra, ...query.conditions], query.sort, lookup(ctx.store));
      const docs = Array.from(rows, (i) => table.materialize(i));
      const answerKeys = [...new Set(docs.flatMap((d) => Object.keys((d.responses as object) ?? {})))].sort();
      const header = ['id', 'survey_id', 'session', 'createdAt', 'updatedAt', 'read', ...answerKeys];
      const lines = docs.map((d) => [
        d.id, d.survey_id, d.session, d.createdAt, d.updatedAt, d.read,
        ...answerKeys.map((k) => (d.responses as Record<string, unknown>)[k]),
      ]);
      return { status: 200, text: toCsv(header, lines), contentType: 'text/csv; charset=utf-8' };
    });
}
