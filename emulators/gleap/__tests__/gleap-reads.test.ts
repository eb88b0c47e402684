import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGleapEmulator } from '../gleap-emulator.ts';
import type { GleapEmulator } from '../gleap-emulator.ts';
import { AUTH, get, hook, NOW, ok, rawGet, readAll } from './client.ts';
import type { Json } from './client.ts';

let e: GleapEmulator;
let tickets: Json[];

before(async () => {
  e = await startGleapEmulator({ seed: 7, scale: 1200, now: NOW, rateLimit: null });
  tickets = await readAll(e, '/v3/tickets', 1000, 'tickets');
});
after(() => e.close());

const ids = (docs: Json[]) => docs.map((d) => d.id);
const ms = (s: string) => Date.parse(s);

describe('authentication', () => {
  test('a missing or wrong key is 401, a wrong or missing project 403, with JSON bodies', async () => {
    const none = await get(e, '/v3/tickets', {});
    assert.equal(none.status, 401);
    assert.deepEqual(none.body, { message: 'Unauthorized' });
    assert.equal((await get(e, '/v3/tickets', { Authorization: 'Bearer nope', Project: 'test-project' })).status, 401);
    assert.equal((await get(e, '/v3/tickets', { Authorization: 'test-api-key', Project: 'test-project' })).status, 401);
    const wrongProject = await get(e, '/v3/tickets', { Authorization: 'Bearer test-api-key', Project: 'other' });
    assert.equal(wrongProject.status, 403);
    assert.deepEqual(wrongProject.body, { message: 'Forbidden' });
    assert.equal((await get(e, '/v3/tickets', { Authorization: 'Bearer test-api-key' })).status, 403);
    assert.equal((await get(e, '/v3/tickets?limit=1', AUTH)).status, 200);
  });

  test('/admin takes the secret token, not the API key', async () => {
    assert.equal((await get(e, '/admin/auth', AUTH)).status, 401);
    assert.equal((await get(e, '/admin/auth', { 'Api-Token': 'wrong' })).status, 401);
    assert.equal((await get(e, '/admin/auth', { 'Api-Token': 'test-secret-token' })).status, 200);
  });

  test('unknown routes are 404 and wrong methods 405, after authentication', async () => {
    assert.equal((await get(e, '/v3/nothing-here')).status, 404);
    assert.equal((await get(e, '/v3/nothing-here', {})).status, 401);
    const r = await fetch(`${e.url}/v3/tickets`, { method: 'PATCH', headers: AUTH });
    assert.equal(r.status, 405);
  });
});

describe('ticket queries', () => {
  test('equality filters, comma lists and booleans', async () => {
    const bugs = await ok(e, '/v3/tickets?type=BUG&limit=1000');
    assert.ok(bugs.totalCount > 0 && bugs.tickets.every((t: Json) => t.type === 'BUG'));
    const features = await ok(e, '/v3/tickets?type=FEATURE_REQUEST&limit=1');
    const both = await ok(e, '/v3/tickets?type=BUG,FEATURE_REQUEST&limit=1000');
    assert.equal(both.totalCount, bugs.totalCount + features.totalCount);
    assert.ok(both.tickets.every((t: Json) => t.type === 'BUG' || t.type === 'FEATURE_REQUEST'));
    const open = await ok(e, '/v3/tickets?status=OPEN&priority=HIGH&limit=1000');
    assert.equal(open.totalCount, tickets.filter((t) => t.status === 'OPEN' && t.priority === 'HIGH').length);
    const spam = await ok(e, '/v3/tickets?isSpam=true&limit=1000');
    assert.equal(spam.totalCount, tickets.filter((t) => t.isSpam).length);
    assert.equal((await ok(e, '/v3/tickets?tags=billing&limit=1000')).totalCount, tickets.filter((t) => t.tags.includes('billing')).length);
    const one = tickets[17];
    assert.deepEqual(ids((await ok(e, `/v3/tickets?_id=${one._id}`)).tickets), [one.id]);
    assert.equal((await ok(e, '/v3/tickets?noSuchField=x')).totalCount, 0);
  });

  test('range operators agree in every encoding and compare instants', async () => {
    const from = '2025-03-01T00:00:00.000Z';
    const to = '2025-04-01T00:00:00Z';
    const expected = tickets.filter((t) => ms(t.createdAt) >= ms(from) && ms(t.createdAt) < ms(to)).map((t) => t.id).sort();
    assert.ok(expected.length > 10);
    for (const q of [
      `createdAt%3E%3D=${from}&createdAt%3C=${to}`, // operator encoded in the key
      `createdAt%3E%3D${encodeURIComponent(from)}&createdAt%3C${encodeURIComponent(to)}`, // whole pair encoded
      `createdAt>=${from}&createdAt<${to}`, // raw, byte for byte
      // Same instants written differently: offsets and extra fraction digits.
      `createdAt>=2025-03-01T01:00:00.000000%2B01:00&createdAt<2025-03-31T20:00:00-04:00`,
    ]) {
      const r = await rawGet(e, `/v3/tickets?${q}&limit=1000`);
      assert.equal(r.status, 200, q);
      assert.deepEqual(ids(r.body.tickets).sort(), expected, q);
    }
    const after = await ok(e, `/v3/tickets?closedAt>${from}&limit=1000`);
    assert.equal(after.totalCount, tickets.filter((t) => t.closedAt && ms(t.closedAt) > ms(from)).length);
    const votes = await ok(e, '/v3/tickets?upvotesCount%3E%3D=5&limit=1000');
    assert.equal(votes.totalCount, tickets.filter((t) => t.upvotesCount >= 5).length);
  });

  test('updatedAt bounds alone (a sync\'s query, answered from the index) match a plain filter, both ways and at the boundary', async () => {
    const byUpdated = [...tickets].sort((a, b) => ms(a.updatedAt) - ms(b.updatedAt) || (a.id < b.id ? -1 : 1));
    const from = byUpdated[300].updatedAt; // an instant some ticket has exactly
    const to = byUpdated[900].updatedAt;
    const expect = (keep: (t: number) => boolean) => byUpdated.filter((t) => keep(ms(t.updatedAt))).map((t) => t.id);
    const cases: [string, string[]][] = [
      [`updatedAt%3E%3D=${from}&sort=updatedAt`, expect((t) => t >= ms(from))],
      [`updatedAt%3E=${from}&sort=updatedAt`, expect((t) => t > ms(from))],
      [`updatedAt%3E%3D=${from}&updatedAt%3C=${to}&sort=updatedAt`, expect((t) => t >= ms(from) && t < ms(to))],
      [`updatedAt%3E%3D=${from}&updatedAt%3C%3D=${to}&sort=-updatedAt`, expect((t) => t >= ms(from) && t <= ms(to)).reverse()],
    ];
    for (const [q, expected] of cases) {
      const page = await ok(e, `/v3/tickets?${q}&limit=1000`);
      assert.ok(expected.length > 100, `enough rows in range for ${q}`);
      assert.equal(page.totalCount, expected.length, q);
      // Ties on updatedAt are ordered by id in the first key's direction, as the fixture is.
      assert.deepEqual(ids(page.tickets), expected.slice(0, 1000), q);
    }
  });

  test('an encoded ">" followed by "=" is the key "x>": strictly greater, as Express reads it', async () => {
    // fetch turns a raw `upvotesCount>=5` into `upvotesCount%3E=5`: clients must encode the key.
    const viaFetch = await ok(e, '/v3/tickets?upvotesCount>=5&limit=1000');
    assert.equal(viaFetch.totalCount, tickets.filter((t) => t.upvotesCount > 5).length);
    assert.ok(tickets.some((t) => t.upvotesCount === 5), 'the boundary value occurs');
  });

  test('sorting both ways, by rank for priority, ties broken by id', async () => {
    const asc = ids((await ok(e, '/v3/tickets?sort=updatedAt&limit=1000')).tickets);
    const desc = ids((await ok(e, '/v3/tickets?sort=-updatedAt&limit=1000&skip=200')).tickets);
    const byUpdated = [...tickets].sort((a, b) => ms(a.updatedAt) - ms(b.updatedAt) || a.id.localeCompare(b.id));
    assert.deepEqual(asc, ids(byUpdated).slice(0, 1000));
    assert.deepEqual(desc, ids(byUpdated).reverse().slice(200, 1200));
    const created = (await ok(e, '/v3/tickets?sort=-createdAt&limit=5')).tickets;
    assert.deepEqual(ids(created), ids([...tickets].sort((a, b) => ms(b.createdAt) - ms(a.createdAt) || b.id.localeCompare(a.id)).slice(0, 5)));
    const rank = { LOW: 0, MEDIUM: 1, HIGH: 2 } as Record<string, number>;
    const byPriority = (await ok(e, '/v3/tickets?sort=priority&limit=1000')).tickets as Json[];
    for (let k = 1; k < byPriority.length; k++) {
      const a = byPriority[k - 1];
      const b = byPriority[k];
      assert.ok(rank[a.priority] < rank[b.priority] || (a.priority === b.priority && a.id < b.id), 'priority order with id tie-break');
    }
  });

  test('limit and skip page through totalCount; limits are clamped; no sort means ids ascending', async () => {
    const first = await ok(e, '/v3/tickets?limit=7&skip=3');
    assert.equal(first.count, 7);
    assert.equal(first.totalCount, 1200);
    assert.deepEqual(ids(first.tickets), ids(tickets).slice(3, 10));
    assert.deepEqual(ids(tickets), [...ids(tickets)].sort(), 'default order: ids ascending');
    const clamped = await ok(e, '/v3/tickets?limit=5000');
    assert.equal(clamped.count, 1000);
    assert.equal(clamped.totalCount, 1200);
    assert.equal((await ok(e, '/v3/tickets')).count, 1000, 'default page size');
    const beyond = await ok(e, '/v3/tickets?skip=5000');
    assert.deepEqual([beyond.count, beyond.totalCount], [0, 1200]);
  });

  test('malformed values are 400 with a JSON message', async () => {
    for (const q of ['updatedAt>=yesterday', 'createdAt<=2025-13-45', 'limit=ten', 'skip=-3', 'isSpam=maybe', 'bugId>=many', 'ignoreArchived=sometimes',
      // A "+" decodes as a space: timestamps must use Z.
      'updatedAt>=2025-01-01T00:00:00+01:00']) {
      const r = await get(e, `/v3/tickets?${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(typeof r.body.message, 'string', q);
    }
  });

  test('archived and spam tickets are listed unless asked otherwise', async () => {
    const archived = tickets.filter((t) => t.archived).length;
    assert.ok(archived > 0 && tickets.some((t) => t.isSpam));
    assert.equal((await ok(e, '/v3/tickets?limit=1')).totalCount, tickets.length);
    assert.equal((await ok(e, '/v3/tickets?ignoreArchived=true&limit=1')).totalCount, tickets.length - archived);
    assert.equal((await ok(e, '/v3/tickets?archived=false&limit=1')).totalCount, tickets.length - archived);
    assert.equal((await ok(e, '/v3/tickets?archived=true&limit=1')).totalCount, archived);
    assert.equal((await hook(e, 'GET', 'counts')).tickets, tickets.length);
  });
});

describe('messages', () => {
  test('cursor pagination walks back through every message exactly once', async () => {
    const total = (await hook(e, 'GET', 'counts')).messages;
    const seen: Json[] = [];
    let before = '';
    for (let pages = 0; ; pages++) {
      assert.ok(pages < 1000, 'the cursor must end');
      const body = await ok(e, `/v3/messages?paginated=true&limit=997${before ? `&before=${before}` : ''}`);
      seen.push(...body.items);
      if (!body.hasMore) {
        assert.equal(body.nextBefore, null);
        break;
      }
      assert.equal(body.nextBefore, body.items[body.items.length - 1].id);
      before = body.nextBefore;
    }
    assert.equal(seen.length, total);
    assert.equal(new Set(ids(seen)).size, total);
    for (let k = 1; k < seen.length; k++) assert.ok(ms(seen[k - 1].createdAt) >= ms(seen[k].createdAt), 'newest first');
  });

  test('filters by ticket and type, with the ticket cursor and date cursor agreeing', async () => {
    const ticket = tickets.find((t) => t.latestComment && t.status !== 'DONE' && t.hasAgentReply)!;
    const all = await ok(e, `/v3/messages?ticket=${ticket.id}&sort=createdAt`);
    assert.ok(all.length >= 2 && all.every((m: Json) => m.ticket === ticket.id));
    assert.equal(all[all.length - 1].id, ticket.latestComment);
    assert.equal(all[0].createdAt, ticket.createdAt, 'the first message opens the ticket');
    const notes = await ok(e, `/v3/messages?ticket=${ticket.id}&type=NOTE`);
    assert.deepEqual(ids(notes), ids(all.filter((m: Json) => m.type === 'NOTE')));
    const pageById = await ok(e, `/v3/messages?ticket=${ticket.id}&paginated=true&limit=100&before=${all[all.length - 1].id}`);
    assert.deepEqual(ids(pageById.items), ids(all.slice(0, -1)).reverse());
    const pageByDate = await ok(e, `/v3/messages?ticket=${ticket.id}&paginated=true&limit=100&before=${all[all.length - 1].createdAt}`);
    assert.deepEqual(ids(pageByDate.items), ids(pageById.items));
  });
});

describe('data', () => {
  test('every field of seed 000 is present with its type', async () => {
    const types = {
      tickets: 'id:s bugId:i title:s description:s type:s status:s priority:s sentiment:s? createdAt:d updatedAt:d closedAt:d? dueDate:d? processingUser:s? processingTeam:s? session:s? tags:a archived:b isSpam:b conversationClosed:b conversationRating:s? hasAgentReply:b upvotesCount:i duplicatesCount:i score:n channel:s aiSummary:s? shareToken:s formData:o customData:o metaData:o slaBreached:b snoozed:b snoozedUntil:d? firstAssignmentAt:d? notificationsUnread:i',
      sessions: 'id:s gleapId:s gleapHash:s userId:s? name:s? email:s? phone:s? lang:s location:s avatar:s? companyId:s? companyName:s? deviceType:s platform:s plan:s value:n sla:n sessions:n blocked:b unsubscribed:b emailOnly:b firstActivity:d lastActivity:d lastHeardFrom:d? lastPageView:s? countFeedbackReports:i countFeedbackComments:i tags:a customData:o eventData:o createdAt:d updatedAt:d',
      messages: 'id:s ticket:s type:s status:s bot:b isNote:b kaiChat:b outbound:b sendToChannel:b sessionNotificationsUnread:b createdAt:d updatedAt:d data:o translatedData:o? comment:s rating:s? user:s? session:s? emailId:s? messageRef:s? replyTo:s? outboundTemplate:s? outboundSubject:s? attachments:a actions:a channel:o aiData:o?',
      teams: 'id:s name:s assignmentMethod:s members:a selectOnlyOnlineMembers:b limitTicketAmount:b ticketAmount:n createdAt:d updatedAt:d',
      surveys: 'id:s name:s type:s status:s createdAt:d updatedAt:d config:o',
      survey_responses: 'id:s survey_id:s session:s createdAt:d updatedAt:d responses:o read:b',
    };
    const surveys = await ok(e, '/v3/engagement/surveys');
    const samples: Record<string, Json[]> = {
      tickets,
      sessions: await ok(e, '/v3/sessions?limit=1000'),
      messages: await ok(e, '/v3/messages?limit=3000'),
      teams: await ok(e, '/v3/teams'),
      surveys,
      survey_responses: await ok(e, `/v3/engagement/surveys/${surveys[0].id}/responses`),
    };
    const check: Record<string, (v: unknown) => boolean> = {
      s: (v) => typeof v === 'string', i: Number.isInteger, n: (v) => typeof v === 'number', b: (v) => typeof v === 'boolean',
      a: Array.isArray, o: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
      d: (v) => typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v),
    };
    for (const [stream, spec] of Object.entries(types)) {
      assert.ok(samples[stream].length > 0, stream);
      for (const field of spec.split(' ')) {
        const [name, t] = field.split(':');
        const nullable = t.endsWith('?');
        const seenValue = samples[stream].some((d) => d[name] !== null);
        assert.ok(seenValue, `${stream}.${name} is never set`);
        for (const doc of samples[stream]) {
          assert.ok(name in doc, `${stream}.${name} missing`);
          const v = doc[name];
          assert.ok((nullable && v === null) || check[t[0]](v), `${stream}.${name} = ${JSON.stringify(v)} is not ${t}`);
        }
      }
      for (const doc of samples[stream]) assert.equal(doc._id, doc.id);
    }
    assert.match(tickets[0].id, /^[0-9a-f]{24}$/);
    // Nested JSON is populated, not just present.
    const msgs = samples.messages;
    assert.ok(msgs.every((m) => Array.isArray(m.data.content) && m.data.content.length > 0));
    for (const key of ['translatedData', 'aiData']) assert.ok(msgs.some((m) => m[key] !== null), key);
    for (const key of ['attachments', 'actions']) assert.ok(msgs.some((m) => m[key].length > 0), key);
    assert.ok(tickets.every((t) => Object.keys(t.metaData).length > 0 && Object.keys(t.customData).length > 0 && Object.keys(t.formData).length > 0));
    assert.ok(samples.sessions.some((s) => Object.keys(s.eventData).length > 0));
    assert.ok(samples.survey_responses.every((r) => Object.keys(r.responses).length > 0));
  });

  test('relations are consistent and timelines plausible', async () => {
    const [sessions, messages, teams, agents, surveys] = await Promise.all([
      readAll(e, '/v3/sessions', 1000), readAll(e, '/v3/messages', 10000), ok(e, '/v3/teams'), ok(e, '/v3/projects/users'), ok(e, '/v3/engagement/surveys'),
    ]);
    const byId = (docs: Json[]) => new Map(docs.map((d) => [d.id, d]));
    const [S, M, T, A, K] = [byId(sessions), byId(messages), byId(tickets), byId(agents), byId(teams)];
    assert.ok(teams.length >= 5 && teams.length <= 20 && agents.length >= 10 && agents.length <= 50);
    for (const team of teams) for (const m of team.members) assert.ok(A.has(m), 'team member is an agent');
    const perTicket = new Map<string, Json[]>();
    for (const m of messages) {
      const t = T.get(m.ticket);
      assert.ok(t, 'message.ticket is a ticket');
      assert.ok(ms(m.createdAt) >= ms(t.createdAt) && ms(m.updatedAt) >= ms(m.createdAt));
      if (m.user !== null) assert.ok(A.has(m.user), 'message.user is an agent');
      if (m.session !== null) assert.equal(m.session, t.session, 'customer messages come from the ticket session');
      assert.equal(m.isNote, m.type === 'NOTE');
      assert.ok(!(m.bot && m.user), 'bot messages have no agent');
      perTicket.set(m.ticket, [...(perTicket.get(m.ticket) ?? []), m]);
    }
    let closed = 0;
    for (const t of tickets) {
      assert.ok(S.has(t.session), 'ticket.session is a session');
      assert.ok(ms(t.createdAt) >= ms(S.get(t.session)!.createdAt) || t.bugId === 1);
      if (t.processingUser !== null) assert.ok(A.has(t.processingUser));
      if (t.processingTeam !== null) assert.ok(K.has(t.processingTeam));
      assert.ok(ms(t.updatedAt) >= ms(t.createdAt) && ms(t.updatedAt) <= NOW.getTime());
      assert.equal(t.closedAt !== null, t.status === 'DONE' || t.status === 'CLOSED');
      if (t.closedAt) {
        closed++;
        assert.ok(ms(t.closedAt) >= ms(t.createdAt));
      }
      const own = perTicket.get(t.id) ?? [];
      assert.equal(t.latestComment, own.length ? own[own.length - 1].id : null);
      assert.equal(t.hasAgentReply, own.some((m) => m.user !== null && !m.isNote));
      assert.ok(t.conversationRating === null || /^[1-5]$/.test(t.conversationRating));
    }
    assert.ok(closed > tickets.length / 2, 'most tickets are closed');
    const lastWeek = tickets.filter((t) => ms(t.createdAt) > NOW.getTime() - 7 * 86_400_000).length;
    assert.ok(lastWeek > 0, 'the last 7 days have data');
    const counts = messages.length / tickets.length;
    assert.ok(counts > 5 && counts < 12, `about 8 messages per ticket, got ${counts}`);
    for (const s of surveys) {
      for (const r of await ok(e, `/v3/engagement/surveys/${s.id}/responses`)) {
        assert.equal(r.survey_id, s.id);
        assert.ok(S.has(r.session));
      }
    }
  });

  test('counts equal what a complete paged read of every stream returns', async () => {
    const counts = await hook(e, 'GET', 'counts');
    const surveys = await ok(e, '/v3/engagement/surveys');
    let responses = 0;
    for (const s of surveys) responses += (await readAll(e, `/v3/engagement/surveys/${s.id}/responses`, 500)).length;
    const templates = await ok(e, '/v3/message-templates?withCount=true&limit=7');
    assert.deepEqual(counts, {
      tickets: (await readAll(e, '/v3/tickets', 1000, 'tickets')).length,
      sessions: (await readAll(e, '/v3/sessions', 1000)).length,
      messages: (await readAll(e, '/v3/messages?sort=updatedAt', 4000)).length,
      teams: (await ok(e, '/v3/teams')).length,
      agents: (await ok(e, '/v3/projects/users')).length,
      surveys: surveys.length,
      survey_responses: responses,
      message_templates: (await readAll(e, '/v3/message-templates', 7)).length,
    });
    assert.equal(templates.totalCount, counts.message_templates);
    assert.equal(templates.data.length, 7);
    const csv = await get(e, `/v3/engagement/surveys/${surveys[0].id}/responses/export`);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const lines = (csv.body as string).trim().split('\r\n');
    assert.deepEqual(lines[0].split(',').slice(0, 3), ['id', 'survey_id', 'session']);
    assert.equal(lines.length - 1, (await ok(e, `/v3/engagement/surveys/${surveys[0].id}/responses`)).length);
  });

  test('the same seed gives the same data, another seed different data', async () => {
    const twin = await startGleapEmulator({ seed: 7, scale: 1200, now: NOW, rateLimit: null });
    const other = await startGleapEmulator({ seed: 8, scale: 1200, now: NOW, rateLimit: null });
    try {
      for (const path of ['/v3/tickets?limit=50&sort=-updatedAt', '/v3/messages?limit=50', '/v3/sessions?limit=50', '/v3/teams', '/v3/engagement/surveys']) {
        const mine = await ok(e, path);
        assert.deepEqual(await ok(twin, path), mine, path);
        assert.notDeepEqual(await ok(other, path), mine, path);
      }
    } finally {
      await Promise.all([twin.close(), other.close()]);
    }
  });
});
