/**
 * The typed client against the real Gleap emulator over HTTP: every operation of seed 003
 * (message templates and sessions), tickets and messages with the query operators, teams,
 * agents, and every statistics endpoint. Then the failure modes: 401/403 naming the
 * setting, 429 absorbed by pacing, non-JSON error bodies, secrets never printed.
 */
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { startGleapEmulator, type GleapEmulator } from '../../../emulators/gleap/gleap-emulator.ts';
import { startTestServer } from '../../core/http/__tests__/test-server.ts';
import { AuthError, HttpError } from '../../core/errors.ts';
import { createGleapApiClient, type GleapApiClient } from '../gleap-api-client.ts';
import { ENV_SETTING_NAMES } from '../gleap-connection.ts';
import { parseTimeRange } from '../statistics/time-range.ts';

const NOW = new Date('2026-04-10T12:00:00Z');
let emulator: GleapEmulator;
let gleap: GleapApiClient;

const text = async (stream: Readable) => {
  let out = '';
  for await (const chunk of stream) out += chunk;
  return out;
};
const counts = async () => (await (await fetch(`${emulator.url}/__emulator/counts`)).json()) as Record<string, number>;
const rejectsWith = (status: number) => (e: unknown) => e instanceof HttpError && e.status === status;

before(async () => {
  emulator = await startGleapEmulator({ scale: 300, seed: 11, now: NOW, rateLimit: null });
  gleap = createGleapApiClient({ apiKey: 'test-api-key', projectId: 'test-project', baseUrl: `${emulator.url}/v3` });
});
after(() => emulator.close());

describe('message templates: create, list (search, visibility, withCount), get, update, delete', () => {
  test('the full life of a template', async () => {
    const content = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Your zebra refund is on its way' }] }] };
    const created = await gleap.templates.create({ title: 'Zebra refund', content, lexorank: '0|zzz', isPublic: true });
    assert.match(created.id, /^[0-9a-f]{24}$/);

    const found = await gleap.templates.list({ searchTerm: 'zebra', visibility: 'public' });
    assert.deepEqual(found.templates.map((t) => t.id), [created.id], 'search and visibility filter');
    assert.equal(found.totalCount, null, 'no count unless asked');
    const counted = await gleap.templates.list({ withCount: true, limit: 2 });
    assert.equal(counted.templates.length, 2);
    assert.ok(counted.totalCount! > 2, `withCount gives the total (${counted.totalCount})`);
    assert.equal((await gleap.templates.list({ searchTerm: 'zebra', visibility: 'private' })).templates.length, 0, 'private excludes it');

    assert.equal((await gleap.templates.get(created.id)).title, 'Zebra refund');
    const updated = await gleap.templates.update(created.id, { title: 'Zebra refund v2', content, lexorank: '0|zzz' });
    assert.equal(updated.title, 'Zebra refund v2');
    const deleted = await gleap.templates.delete(created.id);
    assert.equal(deleted?.id, created.id, 'delete returns the deleted template');
    await assert.rejects(gleap.templates.get(created.id), rejectsWith(404));
  });
});

describe('sessions: every seed-003 operation', () => {
  test('create, get, update, by user id, search, list, export, delete', async () => {
    const created = await gleap.sessions.create({ userId: 'u-typed-1', name: 'Typed Client', email: 'typed@client.dev', plan: 'pro' });
    assert.equal((await gleap.sessions.get(created.id)).email, 'typed@client.dev');
    assert.equal((await gleap.sessions.update(created.id, { companyName: 'Acme Typed' })).companyName, 'Acme Typed');
    assert.equal((await gleap.sessions.byUserId('u-typed-1')).id, created.id);
    assert.deepEqual((await gleap.sessions.search('typed@client')).map((s) => s.id), [created.id]);

    const page = await gleap.sessions.list({ limit: 5, sort: '-createdAt' });
    assert.equal(page.length, 5);
    let all = 0;
    for await (const _ of gleap.sessions.listAll()) all++;
    assert.equal(all, (await counts()).sessions, 'listAll pages through every session');

    const csv = await text(await gleap.sessions.exportCsv({ where: [['userId', '=', 'u-typed-1']] }));
    const [header, row] = csv.trim().split(/\r?\n/);
    assert.match(header!, /^id,userId,name,email/);
    assert.match(row!, /u-typed-1,Typed Client,typed@client\.dev/);

    await gleap.sessions.delete(created.id);
    await assert.rejects(gleap.sessions.get(created.id), rejectsWith(404));
  });

  test('warmup, activities, events, checklists, identity history, Stripe, Chargebee', async () => {
    const [session] = await gleap.sessions.list({ limit: 1 });
    const id = session!.id;
    assert.deepEqual(await gleap.sessions.warmup(), { ok: true });
    assert.ok(Array.isArray(await gleap.sessions.activities(id)), 'activities is a list');
    const events = await gleap.sessions.events(id);
    assert.ok(events.length > 0, 'generated sessions have events');
    assert.ok(Array.isArray(await gleap.sessions.checklists(id)), 'checklists is a list');
    assert.ok('history' in (await gleap.sessions.identityHistory(id)), 'identity history has history');
    assert.equal(typeof (await gleap.sessions.stripe(id)), 'object');
    assert.equal(typeof (await gleap.sessions.chargebee(id)), 'object');
  });

  test('import, the three importers, unsubscribe and resubscribe', async () => {
    const ids = await gleap.sessions.import([{ userId: 'imp-1', email: 'imp1@x.dev' }, { email: 'imp2@x.dev', name: 'Two' }]);
    assert.equal(ids.length, 2);
    assert.equal((await gleap.sessions.byUserId('imp-1')).id, ids[0]);

    assert.deepEqual(await gleap.sessions.importIntercom({ endpoint: 'https://api.intercom.io', apiKey: 'ic-key-123' }), [{ source: 'intercom', status: 'queued', imported: 0 }]);
    assert.equal((await gleap.sessions.importHubspot({ apiKey: 'hs-key-123' }))[0] !== undefined, true);
    assert.equal((await gleap.sessions.importZendesk({ apiToken: 'zd-token-123', email: 'a@b.c', subdomain: 'acme' })).length, 1);
    await assert.rejects(gleap.sessions.importZendesk({ apiToken: 'zd-token-123', email: '', subdomain: 'acme' }), rejectsWith(400));

    const res = await gleap.sessions.unsubscribe({ sessions: [{ userId: 'imp-1' }, { email: 'imp2@x.dev' }], reason: 'test' });
    assert.equal(res.success, true);
    assert.equal((await gleap.sessions.get(ids[0]!)).unsubscribed, true);
    assert.equal(await gleap.sessions.resubscribe(ids[0]!), true);
    assert.equal((await gleap.sessions.get(ids[0]!)).unsubscribed, false);
  });
});

describe('tickets, messages, teams, agents', () => {
  test('tickets: filters with operators in the key, comma lists, sort, paging, get', async () => {
    const since = '2026-01-01T00:00:00.000Z';
    const page = await gleap.tickets.list({ type: ['BUG', 'CRASH'], where: [['createdAt', '>=', since]], sort: '-createdAt', limit: 50 });
    assert.ok(page.tickets.length > 0, 'some recent bugs');
    for (const t of page.tickets) {
      assert.ok(['BUG', 'CRASH'].includes(String(t.type)), `type ${t.type}`);
      assert.ok(String(t.createdAt) >= since, `createdAt ${t.createdAt} >= ${since}`);
    }
    const dates = page.tickets.map((t) => String(t.createdAt));
    assert.deepEqual(dates, [...dates].sort().reverse(), 'sorted newest first');
    assert.ok(page.totalCount! >= page.count, 'totalCount counts every page');

    let all = 0;
    for await (const _ of gleap.tickets.listAll()) all++;
    assert.equal(all, (await counts()).tickets);
    assert.equal((await gleap.tickets.get(page.tickets[0]!.id)).id, page.tickets[0]!.id);
  });

  test('messages: by ticket and type, cursor pages, get', async () => {
    const [ticket] = (await gleap.tickets.list({ sort: '-createdAt', limit: 1, where: [['createdAt', '<', '2026-03-01T00:00:00.000Z']] })).tickets;
    const comments = await gleap.messages.list({ ticket: ticket!.id, type: 'COMMENT' });
    assert.ok(comments.length > 0 && comments.every((m) => m.ticket === ticket!.id && m.type === 'COMMENT'), 'only comments of the ticket');

    const first = await gleap.messages.page({ limit: 5 });
    assert.equal(first.items.length, 5);
    assert.equal(first.hasMore, true);
    const second = await gleap.messages.page({ limit: 5, before: first.nextBefore! });
    assert.ok(String(second.items[0]!.createdAt) <= String(first.items[4]!.createdAt), 'older page after the cursor');
    assert.equal((await gleap.messages.get(comments[0]!.id)).id, comments[0]!.id);
  });

  test('teams and agents', async () => {
    const teams = await gleap.teams.list();
    assert.ok(teams.length >= 5, `teams: ${teams.length}`);
    assert.equal((await gleap.teams.get(teams[0]!.id)).name, teams[0]!.name);
    const agents = await gleap.agents.list();
    assert.ok(agents.length >= 10 && agents.every((a) => typeof a.email === 'string'), 'agents with e-mails');
  });
});

describe('statistics: every endpoint', () => {
  const range = parseTimeRange({ last: '30d' }, 'Europe/Paris', NOW);
  const base = { range, timeZone: 'Europe/Paris' };

  test('facts, bar chart, list, list export, heatmap', async () => {
    const fact = await gleap.statistics.fact({ ...base, chartType: 'NEW_TICKETS_COUNT' });
    assert.equal(fact.title, 'New tickets');
    assert.ok(fact.rawValue! > 0, `new tickets: ${fact.rawValue}`);

    const chart = await gleap.statistics.chart({ ...base, chartType: 'NEW_TICKETS_COUNT', groupInterval: 'day' });
    assert.equal(chart.series[0]!.points.length, 30, 'one bar per local day');
    assert.equal(chart.series[0]!.points.reduce((s, p) => s + (p.value ?? 0), 0), fact.rawValue, 'the bars add up to the fact');

    const list = await gleap.statistics.list({ ...base, chartType: 'TEAM_PERFORMANCE_LIST' });
    assert.ok(list.rows.length > 0, 'agents in the list');
    const csv = await text(await gleap.statistics.exportList({ ...base, chartType: 'TEAM_PERFORMANCE_LIST' }));
    assert.match(csv, /^Agent,Agent e-mail,Agent id,Assigned,Replies,Closed/);
    assert.equal(csv.trim().split(/\r?\n/).length, list.rows.length + 1, 'one CSV line per list row');

    const heatmap = await gleap.statistics.heatmap({ ...base, chartType: 'BUSIEST_HOURS_PER_WEEKDAY' });
    assert.equal(heatmap.rows.length, 7);
    assert.equal(heatmap.rows.reduce((s, r) => s + r.hours.reduce((a, b) => a + b, 0), 0), fact.rawValue, 'the heatmap counts the new tickets');
  });

  test('raw data: one page, and all pages with limit/skip giving the same events', async () => {
    const one = await gleap.statistics.rawData({ ...base, limit: 10_000 });
    assert.ok(one.length > 100, `events: ${one.length}`);
    const paged: Record<string, unknown>[] = [];
    for await (const e of gleap.statistics.rawDataAll(base, 37)) paged.push(e);
    assert.deepEqual(paged, one);
    const closed = await gleap.statistics.rawData({ ...base, type: 'TICKET_CLOSED' });
    assert.ok(closed.length > 0 && closed.every((e) => e.type === 'TICKET_CLOSED'), 'type filters');
  });

  test('e-mail overview, client usage and bounces', async () => {
    const overview = await gleap.statistics.emailOverview(base);
    assert.equal(typeof overview.sent, 'number');
    assert.ok(Array.isArray((await gleap.statistics.emailClientUsage(base)).data), 'client usage data');
    assert.ok(Array.isArray((await gleap.statistics.emailClientBounces(base)).data), 'bounce data');
  });
});

describe('failures', () => {
  test('401 names the API key setting, 403 the project, in the words the user used', async () => {
    const badKey = createGleapApiClient({ apiKey: 'wrong-key-1', projectId: 'test-project', baseUrl: `${emulator.url}/v3`, settingNames: ENV_SETTING_NAMES });
    await assert.rejects(badKey.tickets.list(), (e: unknown) => e instanceof AuthError && e.status === 401 && /verify `GLEAP_API_KEY`/.test(e.message) && !e.message.includes('wrong-key-1'));
    const badProject = createGleapApiClient({ apiKey: 'test-api-key', projectId: 'other-project', baseUrl: `${emulator.url}/v3` });
    await assert.rejects(badProject.statistics.fact({ chartType: 'NEW_TICKETS_COUNT', range: parseTimeRange({}, 'UTC', NOW), timeZone: 'UTC' }), (e: unknown) => e instanceof AuthError && e.status === 403 && /verify `projectId`/.test(e.message));
  });

  test('429 from the server is paced and retried, not an error', async () => {
    const limited = await startGleapEmulator({ scale: 50, seed: 3, now: NOW, rateLimit: { requests: 3, perMs: 1000 } });
    try {
      // Our budget (1000 / 60 s) is far above the server's 3 / s: only the server's 429s pace us.
      // 8 calls need ~3 s of windows; with jitter, 6 attempts of ≥ 200 ms could all land in one
      // (a failure seen on a busy machine), so attempts are plenty here: pacing is under test.
      const client = createGleapApiClient({ apiKey: 'test-api-key', projectId: 'test-project', baseUrl: `${limited.url}/v3`, retry: { baseDelayMs: 200, maxAttempts: 20 } });
      const results = await Promise.all(Array.from({ length: 8 }, () => client.teams.list()));
      assert.ok(results.every((r) => r.length > 0), 'every call answered');
      const stats = (await (await fetch(`${limited.url}/__emulator/stats`)).json()) as { throttled: number };
      assert.ok(stats.throttled > 0, `the server did throttle (${stats.throttled})`);
      assert.ok((client.http.stats().byLabel['teams.list']?.throttled ?? 0) > 0, 'the client counted the 429s');
    } finally {
      await limited.close();
    }
  });

  test('non-JSON error bodies give a clear message; secrets never show', async () => {
    const server = await startTestServer((req, res, arrived) => {
      if (req.url!.startsWith('/v3/tickets')) {
        res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      } else {
        // An error page that echoes the request body, secret included.
        res.writeHead(400, { 'content-type': 'text/plain' }).end(`Bad Request: could not use ${arrived.body}`);
      }
    });
    try {
      const client = createGleapApiClient({ apiKey: 'key-0123456789', projectId: 'p-echo', baseUrl: `${server.url}/v3`, retry: { maxAttempts: 1 } });
      await assert.rejects(client.tickets.list(), (e: unknown) => e instanceof HttpError && e.status === 502 && /HTTP 502 Bad Gateway: <html><body><h1>502 Bad Gateway/.test(e.message));
      await assert.rejects(client.sessions.importHubspot({ apiKey: 'hubspot-secret-987' }), (e: unknown) =>
        e instanceof HttpError && e.status === 400 && /Bad Request: could not use/.test(e.message) && !e.message.includes('hubspot-secret-987') && !e.body.includes('hubspot-secret-987'));
      assert.equal(server.arrived[0]!.headers.authorization, 'Bearer key-0123456789', 'Bearer header');
      assert.equal(server.arrived[0]!.headers.project, 'p-echo', 'Project header');
    } finally {
      await server.close();
    }
  });
});
