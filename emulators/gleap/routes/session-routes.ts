/**
 * Sessions (contacts): CRUD and the satellite endpoints of the spec.
 *   POST   /v3/sessions                       create (SessionDto) -> session; 409 if the userId exists
 *   GET    /v3/sessions/{id}                  get
 *   PUT    /v3/sessions/{id}                  merge fields -> session
 *   DELETE /v3/sessions/{id}                  204
 *   GET    /v3/sessions/search?searchTerm=    name / e-mail / userId / company contains, with filters
 *   GET    /v3/sessions/export                CSV of the filtered sessions
 *   POST   /v3/sessions/warmup                { ok: true }
 *   GET    /v3/sessions/by-user-id/{userId}   get by userId
 *   GET    /v3/sessions/{id}/activities|events|checklists|identity-history|stripe|chargebee|lemonsqueezy|shopify
 *   POST   /v3/sessions/importer              contacts (array or { sessions|contacts: [] }) -> ids
 *   POST   /v3/sessions/importer/intercom|hubspot|zendesk   validated, accepted, nothing to fetch
 *   POST   /v3/sessions/unsubscribe           { sessions: [{ userId?, email? }], reason? }
 *   PUT    /v3/sessions/{id}/resubscribe      true
 */
import { hashSeed, rowPrng } from '../../shared/prng.ts';
import type { Reply } from '../../shared/reply.ts';
import { iso } from '../data/format.ts';
import { EVENT_NAMES, PAGES } from '../data/vocabulary.ts';
import { parseListQuery } from '../query/parse-list-query.ts';
import { matchRows } from '../query/run-list-query.ts';
import { RESOURCES } from '../resources/resources.ts';
import { sessionIdentity } from '../resources/sessions.ts';
import { createSession, deleteSession, findSessionByEmail, findSessionByUserId, updateSession } from '../store/session-writes.ts';
import type { GleapStore } from '../store/gleap-store.ts';
import type { Doc } from '../store/table.ts';
import { getOne, listPage, lookup } from './read-routes.ts';
import { fail, notFound, objectBody, ok } from './route-context.ts';
import type { GleapRouter, Handler, RouteContext } from './route-context.ts';
import { toCsv } from './to-csv.ts';
import { validateBody } from './validate-body.ts';
import type { BodyRules } from './validate-body.ts';

const SESSION_DTO: BodyRules = Object.fromEntries(
  [
    ['gleapId', 'string'], ['gleapHash', 'string'], ['lang', 'string'], ['firstActivity', 'any'], ['lastHeardFrom', 'any'],
    ['lastActivity', 'any'], ['lastFeedbackReport', 'any'], ['project', 'string'], ['organisation', 'string'],
    ['unsubscribed', 'boolean'], ['unsubscribedAt', 'any'], ['unsubscribeReason', 'string'], ['lastPageView', 'any'],
    ['userId', 'string'], ['name', 'string'], ['location', 'any'], ['email', 'string'], ['avatar', 'string'],
    ['companyId', 'string'], ['emailOnly', 'boolean'], ['companyName', 'string'], ['deviceType', 'string'],
    ['platform', 'string'], ['sla', 'number'], ['phone', 'string'], ['blocked', 'boolean'], ['plan', 'string'],
    ['value', 'number'], ['sessions', 'number'], ['facebookId', 'string'], ['instagramId', 'string'],
    ['instagramUsername', 'string'], ['telegramChatId', 'string'], ['telegramUsername', 'string'],
    ['outboundHistory', 'any'], ['countFeedbackReports', 'number'], ['countFeedbackComments', 'number'],
    ['tags', 'string[]'], ['checklistTasks', 'any'], ['customData', 'object'], ['eventData', 'object'],
  ].map(([k, type]) => [k, { type: type as BodyRules[string]['type'] }]),
);

/** Runs `fn` with the live session named by `:id`, or answers 404. */
const withSession = (fn: (ctx: RouteContext, row: number) => Reply): Handler => (ctx) => {
  const row = ctx.store.sessions.indexOf(ctx.params.id);
  return row < 0 ? notFound('Session') : fn(ctx, row);
};

function sessionText(store: GleapStore, row: number): string {
  const d = store.sessions.materialize(row);
  return [d.name, d.email, d.userId, d.companyName, d.phone].filter((v) => typeof v === 'string').join(' ').toLowerCase();
}

function search(ctx: RouteContext): Reply {
  const query = parseListQuery(ctx.rawQuery, new Set(['searchTerm']));
  const term = (query.options.get('searchTerm') ?? '').trim().toLowerCase();
  const table = ctx.store.sessions;
  const rows = matchRows(table, query.conditions, query.sort, lookup(ctx.store));
  const limit = Math.min(query.limit || 50, RESOURCES.sessions.limits.max);
  const out: Doc[] = [];
  let skipped = 0;
  for (let p = 0; p < rows.length && out.length < limit; p++) {
    if (term && !sessionText(ctx.store, rows[p]).includes(term)) continue;
    if (skipped++ < query.skip) continue;
    out.push(table.materialize(rows[p]));
  }
  return ok(out);
}

const EXPORT_COLUMNS = [
  'id', 'userId', 'name', 'email', 'phone', 'companyId', 'companyName', 'plan', 'value', 'lang', 'location', 'platform',
  'deviceType', 'unsubscribed', 'blocked', 'tags', 'countFeedbackReports', 'lastActivity', 'createdAt', 'updatedAt',
];

function exportCsv(ctx: RouteContext): Reply {
  const query = parseListQuery(ctx.rawQuery);
  const table = ctx.store.sessions;
  const rows = matchRows(table, query.conditions, query.sort, lookup(ctx.store));
  const lines = Array.from(rows, (i) => {
    const d = table.materialize(i);
    return EXPORT_COLUMNS.map((c) => (c === 'tags' && Array.isArray(d.tags) ? d.tags.join(';') : d[c]));
  });
  return {
    status: 200,
    text: toCsv(EXPORT_COLUMNS, lines),
    contentType: 'text/csv; charset=utf-8',
    headers: { 'content-disposition': 'attachment; filename="sessions.csv"' },
  };
}

/** Events of a session: a few generated page views and events, plus what /admin/track received. */
function sessionEvents(store: GleapStore, row: number): { name: string; date: string | null; data: unknown }[] {
  const t = store.sessions;
  const doc = t.materialize(row);
  const events: { name: string; date: string | null; data: unknown }[] = [];
  if (row < t.generatedRows) {
    const rng = rowPrng(hashSeed(store.seed, 'session-events'), row);
    const from = t.createdAt[row];
    const to = Date.parse(doc.lastActivity as string) || from;
    const n = rng.int(1, 8);
    for (let k = 0; k < n; k++) {
      const name = rng.chance(0.6) ? 'pageView' : rng.pick(EVENT_NAMES);
      const date = iso(Math.floor(from + rng.next() * (to - from)));
      events.push({ name, date, data: name === 'pageView' ? { page: `https://app.example.com${rng.pick(PAGES)}` } : {} });
    }
  }
  if (typeof doc.userId === 'string') events.push(...(store.trackedEvents.get(doc.userId) ?? []));
  return events.sort((a, b) => String(b.date).localeCompare(String(a.date)));
}

function activities(store: GleapStore, row: number): unknown[] {
  const tickets = store.tickets;
  const out: { type: string; date: string | null; [k: string]: unknown }[] = [];
  for (let i = 0; i < tickets.size; i++) {
    if (tickets.cols.session[i] !== row || !tickets.alive[i]) continue;
    const d = tickets.materialize(i);
    out.push({ type: 'ticket', date: d.createdAt as string, ticket: d.id, title: d.title, ticketType: d.type, status: d.status });
  }
  for (const e of sessionEvents(store, row)) out.push({ type: 'event', date: e.date, name: e.name, data: e.data });
  return out.sort((a, b) => String(b.date).localeCompare(String(a.date)));
}

function billing(provider: 'stripe' | 'chargebee' | 'lemonsqueezy' | 'shopify'): Handler {
  return withSession((ctx, row) => {
    const d = ctx.store.sessions.materialize(row);
    if (!d.plan || d.plan === 'free' || provider !== 'stripe') return ok({});
    const rng = rowPrng(hashSeed(ctx.store.seed, 'stripe'), row);
    return ok({
      customerId: `cus_${rng.hex(14)}`,
      subscriptions: [{ id: `sub_${rng.hex(14)}`, plan: d.plan, status: 'active', amount: Number(d.value) * 100, currency: 'usd', interval: 'month' }],
      totalSpent: Number(d.value) * 100 * rng.int(1, 24),
    });
  });
}

function importContacts(ctx: RouteContext): Reply {
  const body = ctx.body;
  const list: unknown = Array.isArray(body) ? body : objectBody(body)?.sessions ?? objectBody(body)?.contacts ?? (objectBody(body) ? [body] : null);
  if (!Array.isArray(list)) return fail(400, 'Expected an array of contacts, or { "sessions": [...] }');
  const ids: string[] = [];
  for (const item of list) {
    const fields = objectBody(item);
    if (!fields) return fail(400, 'Every contact must be a JSON object');
    const existing =
      typeof fields.userId === 'string' ? findSessionByUserId(ctx.store, fields.userId)
      : typeof fields.email === 'string' ? findSessionByEmail(ctx.store, fields.email) : -1;
    const row = existing >= 0 ? (updateSession(ctx.store, existing, fields, 'import'), existing) : createSession(ctx.store, fields, 'import');
    ids.push(ctx.store.sessions.idOf(row));
  }
  return ok(ids);
}

/** Third-party importers: the emulator cannot reach them, so it validates and reports nothing imported. */
function externalImport(source: string, required: readonly string[]): Handler {
  return (ctx) => {
    const body = objectBody(ctx.body);
    const missing = required.filter((k) => typeof body?.[k] !== 'string' || body[k] === '');
    if (missing.length) return fail(400, `Missing ${missing.join(', ')} for the ${source} import`);
    return ok([{ source, status: 'queued', imported: 0 }]);
  };
}

function unsubscribe(ctx: RouteContext): Reply {
  const body = objectBody(ctx.body);
  if (!body || !Array.isArray(body.sessions)) return fail(400, 'Expected { "sessions": [{ "userId" | "email" }], "reason"? }');
  const reason = typeof body.reason === 'string' ? body.reason : null;
  let count = 0;
  for (const item of body.sessions) {
    const ref = objectBody(item);
    const row =
      typeof ref?.userId === 'string' ? findSessionByUserId(ctx.store, ref.userId)
      : typeof ref?.email === 'string' ? findSessionByEmail(ctx.store, ref.email) : -1;
    if (row < 0) continue;
    updateSession(ctx.store, row, { unsubscribed: true, unsubscribedAt: new Date(ctx.store.clock.now()).toISOString(), unsubscribeReason: reason }, 'unsubscribe');
    count++;
  }
  return ok({ success: true, unsubscribed: count });
}

export function registerSessionRoutes(router: GleapRouter): void {
  router
    .add('GET', '/v3/sessions', (ctx) => ok(listPage(ctx, 'sessions').docs))
    .add('POST', '/v3/sessions', (ctx) => {
      const invalid = validateBody(ctx.body, SESSION_DTO);
      if (invalid) return invalid;
      const fields = ctx.body as Record<string, unknown>;
      if (typeof fields.userId === 'string' && findSessionByUserId(ctx.store, fields.userId) >= 0) {
        return fail(409, `A session with userId "${fields.userId}" already exists`);
      }
      return ok(ctx.store.sessions.materialize(createSession(ctx.store, fields, 'api')));
    })
    .add('GET', '/v3/sessions/search', search)
    .add('GET', '/v3/sessions/export', exportCsv)
    .add('POST', '/v3/sessions/warmup', () => ok({ ok: true }))
    .add('GET', '/v3/sessions/by-user-id/:userId', (ctx) => {
      const row = findSessionByUserId(ctx.store, ctx.params.userId);
      return row < 0 ? notFound('Session') : ok(ctx.store.sessions.materialize(row));
    })
    .add('POST', '/v3/sessions/importer', importContacts)
    .add('POST', '/v3/sessions/importer/intercom', externalImport('intercom', ['endpoint', 'apiKey']))
    .add('POST', '/v3/sessions/importer/hubspot', externalImport('hubspot', ['apiKey']))
    .add('POST', '/v3/sessions/importer/zendesk', externalImport('zendesk', ['apiToken', 'email', 'subdomain']))
    .add('POST', '/v3/sessions/unsubscribe', unsubscribe)
    .add('GET', '/v3/sessions/:id', (ctx) => getOne(ctx, 'sessions', 'Session'))
    .add('PUT', '/v3/sessions/:id', withSession((ctx, row) => {
      const body = objectBody(ctx.body);
      if (!body) return fail(400, 'Expected a JSON object with the fields to update');
      return ok(updateSession(ctx.store, row, body, 'api'));
    }))
    .add('DELETE', '/v3/sessions/:id', withSession((ctx, row) => {
      deleteSession(ctx.store, row);
      return { status: 204 };
    }))
    .add('PUT', '/v3/sessions/:id/resubscribe', withSession((ctx, row) => {
      updateSession(ctx.store, row, { unsubscribed: false, unsubscribedAt: null, unsubscribeReason: null }, 'resubscribe');
      return ok(true);
    }))
    .add('GET', '/v3/sessions/:id/activities', withSession((ctx, row) => ok(activities(ctx.store, row))))
    .add('GET', '/v3/sessions/:id/events', withSession((ctx, row) => ok(sessionEvents(ctx.store, row))))
    .add('GET', '/v3/sessions/:id/checklists', withSession((ctx, row) => {
      const rng = rowPrng(hashSeed(ctx.store.seed, 'checklists'), row);
      if (!rng.chance(0.3)) return ok([]);
      const total = rng.int(3, 6);
      const done = rng.int(0, total);
      return ok([{ id: rng.hex(24), name: 'Getting started', tasks: total, completedTasks: done, completed: done === total }]);
    }))
    .add('GET', '/v3/sessions/:id/identity-history', withSession((ctx, row) => {
      const t = ctx.store.sessions;
      const history: unknown[] = [];
      if (row < t.generatedRows) {
        const first = sessionIdentity(ctx.store, row);
        const at = new Date(t.createdAt[row]).toISOString();
        if (first.userId) history.push({ field: 'userId', from: null, to: first.userId, at, source: 'identify' });
        if (first.email) history.push({ field: 'email', from: null, to: first.email, at, source: 'identify' });
      }
      history.push(...(ctx.store.identityHistory.get(row) ?? []));
      return ok({ history });
    }))
    .add('GET', '/v3/sessions/:id/stripe', billing('stripe'))
    .add('GET', '/v3/sessions/:id/chargebee', billing('chargebee'))
    .add('GET', '/v3/sessions/:id/lemonsqueezy', billing('lemonsqueezy'))
    .add('GET', '/v3/sessions/:id/shopify', billing('shopify'));
}
