import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGleapEmulator } from '../gleap-emulator.ts';
import type { GleapEmulator } from '../gleap-emulator.ts';
import { ADMIN, call, get, hook, NOW, ok, readAll } from './client.ts';
import type { Json } from './client.ts';

let e: GleapEmulator;
before(async () => {
  e = await startGleapEmulator({ seed: 3, scale: 400, now: NOW, rateLimit: null });
});
after(() => e.close());

const ids = (docs: Json[]) => docs.map((d) => d.id).sort();

describe('mutate hook', () => {
  const lists: Record<string, { path: string; key?: string; page: number }> = {
    tickets: { path: '/v3/tickets', key: 'tickets', page: 1000 },
    sessions: { path: '/v3/sessions', page: 1000 },
    messages: { path: '/v3/messages', page: 10000 },
    teams: { path: '/v3/teams', page: 1000 },
    surveys: { path: '/v3/engagement/surveys', page: 1000 },
    message_templates: { path: '/v3/message-templates', page: 1000 },
  };

  for (const [resource, list] of Object.entries(lists)) {
    test(`${resource}: updatedAt> the previous maximum returns exactly the mutated and created ones`, async () => {
      const top = await ok(e, `${list.path}?sort=-updatedAt&limit=1`);
      const newest = (list.key ? top[list.key] : top)[0];
      const countsBefore = await hook(e, 'GET', 'counts');
      const result = await hook(e, 'POST', 'mutate', { resource, count: 3, create: 2 });
      assert.equal(result.updated.length, 3);
      assert.equal(result.created.length, 2);
      const since = encodeURIComponent(`updatedAt>`) + `=${newest.updatedAt}`;
      const changed = await readAll(e, `${list.path}?${since}&sort=updatedAt`, list.page, list.key);
      assert.deepEqual(ids(changed), [...result.updated, ...result.created].sort());
      for (let k = 1; k < changed.length; k++) assert.ok(Date.parse(changed[k].updatedAt) > Date.parse(changed[k - 1].updatedAt), 'strictly increasing');
      const from = encodeURIComponent('updatedAt>=') + `=${changed[0].updatedAt}`;
      assert.deepEqual(ids(await readAll(e, `${list.path}?${from}`, list.page, list.key)), ids(changed));
      const countsAfter = await hook(e, 'GET', 'counts');
      assert.equal(countsAfter[resource], countsBefore[resource] + 2);
      // Created objects are complete and findable by id.
      for (const id of result.created) assert.equal((await ok(e, `${list.path}/${id}`)).id, id);
    });
  }

  test('rejects unknown resources and bad counts', async () => {
    assert.equal((await call(e, 'POST', '/__emulator/mutate', { headers: {}, body: { resource: 'nope', count: 1 } })).status, 400);
    assert.equal((await call(e, 'POST', '/__emulator/mutate', { headers: {}, body: { resource: 'tickets', count: -1 } })).status, 400);
  });
});

describe('sessions', () => {
  test('create, get, find, update, delete round trip', async () => {
    const before = (await hook(e, 'GET', 'counts')).sessions;
    const created = await call(e, 'POST', '/v3/sessions', {
      body: { userId: 'user-42', name: 'Ada Lovelace', email: 'ada@example.com', plan: 'pro', tags: ['vip'], customData: { seats: 3 } },
    });
    assert.equal(created.status, 200);
    const s = created.body;
    assert.match(s.id, /^[0-9a-f]{24}$/);
    assert.equal(s._id, s.id);
    assert.equal(s.name, 'Ada Lovelace');
    assert.equal(s.unsubscribed, false, 'defaults are filled in');
    assert.deepEqual(await ok(e, `/v3/sessions/${s.id}`), s);
    assert.deepEqual(await ok(e, '/v3/sessions/by-user-id/user-42'), s);
    assert.deepEqual(ids(await ok(e, '/v3/sessions?userId=user-42')), [s.id]);
    assert.deepEqual(ids(await ok(e, '/v3/sessions/search?searchTerm=lovelace')), [s.id]);
    assert.equal((await hook(e, 'GET', 'counts')).sessions, before + 1);

    assert.equal((await call(e, 'POST', '/v3/sessions', { body: { userId: 'user-42' } })).status, 409);
    const bad = await call(e, 'POST', '/v3/sessions', { body: { userId: 'x', favouriteColour: 'blue' } });
    assert.equal(bad.status, 400);
    assert.ok(bad.body.details['requestBody.favouriteColour']);

    const updated = await call(e, 'PUT', `/v3/sessions/${s.id}`, { body: { name: 'Ada King', email: 'ada@king.example' } });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.name, 'Ada King');
    assert.equal(updated.body.plan, 'pro', 'other fields are kept');
    assert.ok(Date.parse(updated.body.updatedAt) > Date.parse(s.updatedAt), 'updatedAt moves');
    assert.equal(updated.body.createdAt, s.createdAt);
    const history = (await ok(e, `/v3/sessions/${s.id}/identity-history`)).history as Json[];
    assert.deepEqual(history.filter((h) => h.field === 'name').map((h) => [h.from, h.to]), [[null, 'Ada Lovelace'], ['Ada Lovelace', 'Ada King']]);

    assert.equal((await call(e, 'POST', '/v3/sessions/unsubscribe', { body: { sessions: [{ email: 'ada@king.example' }], reason: 'test' } })).body.unsubscribed, 1);
    assert.equal((await ok(e, `/v3/sessions/${s.id}`)).unsubscribed, true);
    assert.equal((await call(e, 'PUT', `/v3/sessions/${s.id}/resubscribe`, { body: {} })).body, true);
    assert.equal((await ok(e, `/v3/sessions/${s.id}`)).unsubscribed, false);

    assert.equal((await call(e, 'DELETE', `/v3/sessions/${s.id}`)).status, 204);
    assert.equal((await get(e, `/v3/sessions/${s.id}`)).status, 404);
    assert.equal((await get(e, '/v3/sessions/by-user-id/user-42')).status, 404);
    assert.equal((await hook(e, 'GET', 'counts')).sessions, before);
    assert.equal((await call(e, 'DELETE', `/v3/sessions/${s.id}`)).status, 404);
  });

  test('satellite endpoints answer for a generated session', async () => {
    const [s] = await ok(e, '/v3/sessions?countFeedbackReports>=1&sort=-countFeedbackReports&limit=1');
    const activities = await ok(e, `/v3/sessions/${s.id}/activities`);
    assert.equal(activities.filter((a: Json) => a.type === 'ticket').length, s.countFeedbackReports);
    assert.ok(Array.isArray(await ok(e, `/v3/sessions/${s.id}/events`)));
    assert.ok(Array.isArray(await ok(e, `/v3/sessions/${s.id}/checklists`)));
    for (const p of ['stripe', 'chargebee', 'lemonsqueezy', 'shopify']) assert.equal(typeof (await ok(e, `/v3/sessions/${s.id}/${p}`)), 'object');
    assert.deepEqual(await (await call(e, 'POST', '/v3/sessions/warmup')).body, { ok: true });
    const csv = await get(e, '/v3/sessions/export?plan=enterprise');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const lines = (csv.body as string).trim().split('\r\n');
    assert.equal(lines[0].split(',')[0], 'id');
    assert.equal(lines.length - 1, (await ok(e, '/v3/sessions?plan=enterprise&limit=1000')).length);
    assert.equal((await get(e, '/v3/sessions/000000000000000000000000/events')).status, 404);
  });

  test('importers: contacts are upserted, third-party imports are validated and accepted', async () => {
    const imported = await call(e, 'POST', '/v3/sessions/importer', { body: [{ userId: 'imp-1', name: 'One' }, { email: 'two@example.com' }] });
    assert.equal(imported.status, 200);
    assert.equal(imported.body.length, 2);
    assert.equal((await ok(e, '/v3/sessions/by-user-id/imp-1')).id, imported.body[0]);
    const again = await call(e, 'POST', '/v3/sessions/importer', { body: { sessions: [{ userId: 'imp-1', name: 'One again' }] } });
    assert.deepEqual(again.body, [imported.body[0]], 'same userId, same session');
    assert.equal((await call(e, 'POST', '/v3/sessions/importer/intercom', { body: { endpoint: 'https://api.intercom.io', apiKey: 'k' } })).status, 200);
    assert.equal((await call(e, 'POST', '/v3/sessions/importer/hubspot', { body: {} })).status, 400);
    assert.equal((await call(e, 'POST', '/v3/sessions/importer/zendesk', { body: { apiToken: 't', email: 'a@b.c', subdomain: 'x' } })).status, 200);
  });
});

describe('message templates', () => {
  test('create, list, search, update, delete round trip', async () => {
    const missing = await call(e, 'POST', '/v3/message-templates', { body: { title: 'No rank', content: 'x' } });
    assert.equal(missing.status, 400);
    assert.ok(missing.body.details['requestBody.lexorank']);
    const body = { title: 'Shipping delay', content: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Your parcel is late' }] }] }, lexorank: '0|zzz:', isPublic: true };
    const created = await call(e, 'POST', '/v3/message-templates', { body });
    assert.equal(created.status, 200);
    const t = created.body;
    assert.deepEqual([t.title, t.isPublic, t.users, t.attachments, t.actions], ['Shipping delay', true, [], [], []]);
    assert.deepEqual(await ok(e, `/v3/message-templates/${t.id}`), t);
    assert.deepEqual(ids(await ok(e, '/v3/message-templates?searchTerm=PARCEL')), [t.id]);
    const publicOnes = await ok(e, '/v3/message-templates?visibility=public');
    assert.ok(publicOnes.every((x: Json) => x.isPublic) && publicOnes.some((x: Json) => x.id === t.id));
    const privateOnes = await ok(e, '/v3/message-templates?visibility=private');
    assert.ok(privateOnes.every((x: Json) => !x.isPublic));
    assert.equal((await get(e, '/v3/message-templates?visibility=secret')).status, 400);
    const counted = await ok(e, '/v3/message-templates?withCount=true&limit=2');
    assert.equal(counted.totalCount, publicOnes.length + privateOnes.length);

    const put = await call(e, 'PUT', `/v3/message-templates/${t.id}`, { body: { ...body, title: 'Shipping delay (EU)', isPublic: false } });
    assert.equal(put.status, 200);
    assert.equal(put.body.title, 'Shipping delay (EU)');
    assert.ok(Date.parse(put.body.updatedAt) > Date.parse(t.updatedAt));
    const deleted = await call(e, 'DELETE', `/v3/message-templates/${t.id}`);
    assert.equal(deleted.status, 200);
    assert.equal(deleted.body.id, t.id);
    assert.equal((await get(e, `/v3/message-templates/${t.id}`)).status, 404);
  });
});

describe('server API (/admin)', () => {
  test('track, identify, auth and delete are recorded in arrival order', async () => {
    await hook(e, 'DELETE', 'received');
    const events = [
      { name: 'signedUp', date: '2025-06-01T10:00:00.000Z', data: { plan: 'pro' }, userId: 'user@example.com' },
      { name: 'pageView', date: '2025-06-01T10:01:00.000Z', data: { page: '/home' }, userId: 'user@example.com' },
    ];
    assert.equal((await call(e, 'POST', '/admin/track', { headers: ADMIN, body: { events } })).status, 200);
    assert.equal((await call(e, 'POST', '/admin/track', { headers: ADMIN, body: { events: 'nope' } })).status, 400);
    assert.equal((await call(e, 'POST', '/admin/track', { headers: {}, body: { events } })).status, 401);
    const identify = { userId: 'user@example.com', name: 'Grace Hopper', email: 'grace@example.com', plan: 'pro', favouriteLanguage: 'COBOL' };
    assert.equal((await call(e, 'POST', '/admin/identify', { headers: ADMIN, body: identify })).status, 200);
    assert.equal((await call(e, 'POST', '/admin/identify', { headers: ADMIN, body: { name: 'No id' } })).status, 400);
    assert.equal((await get(e, '/admin/auth', ADMIN)).status, 200);

    // Identify created the contact; tracked events show up on it.
    const contact = await ok(e, `/v3/sessions/by-user-id/${encodeURIComponent('user@example.com')}`);
    assert.equal(contact.name, 'Grace Hopper');
    assert.deepEqual(contact.customData, { favouriteLanguage: 'COBOL' });
    const tracked = await ok(e, `/v3/sessions/${contact.id}/events`);
    assert.deepEqual(tracked.map((x: Json) => x.name).sort(), ['pageView', 'signedUp']);

    assert.equal((await call(e, 'DELETE', '/admin/contacts/user%40example.com', { headers: ADMIN })).status, 200);
    assert.equal((await get(e, `/v3/sessions/${contact.id}`)).status, 404);

    const received = await hook(e, 'GET', 'received');
    assert.deepEqual(received.map((r: Json) => `${r.method} ${r.path}`), [
      'POST /admin/track', 'POST /admin/identify', 'GET /admin/auth', 'DELETE /admin/contacts/user%40example.com',
    ]);
    assert.deepEqual(received[0].body, { events });
    assert.deepEqual(received[1].body, identify);
    assert.equal(received[2].body, null);
    assert.deepEqual(received[3].params, { userId: 'user@example.com' });
    for (const r of received) assert.ok(!Number.isNaN(Date.parse(r.at)));
    // Nothing on /admin shows up in the v3 statistics as a throttle or anything else odd.
    const stats = await hook(e, 'GET', 'stats');
    assert.equal(stats.byRoute['POST /admin/track'], 3);
  });
});
