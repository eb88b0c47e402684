import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { createEventIntake } from '../intake/accept-events.ts';
import { startIntakeServer, type IntakeServer } from '../intake/intake-server.ts';
import type { EventQueue } from '../queue/event-queue.ts';
import { openLmdbQueue } from '../queue/lmdb-queue.ts';
import type { Router } from '../router.ts';
import { postJson, removeTempDirs, tempDir, WRITE_KEY } from './event-test-kit.ts';

const require = createRequire(import.meta.url);
// The real Segment library, unchanged: the compatibility claim.
const { Analytics } = require('@segment/analytics-node') as typeof import('@segment/analytics-node');

let queue: EventQueue;
let server: IntakeServer;
let wakes = 0;

/** Routes every accepted event to one subscription, so the tests see all that was stored. */
const ALL = 'test/all';
const everything: Router = {
  route: (events) => ({ deliveries: events.map((e) => ({ subscription: ALL, event: e.json, body: null, receivedAt: Date.now() })), counts: {} }),
};

before(async () => {
  queue = openLmdbQueue(tempDir());
  server = await startIntakeServer({ intake: createEventIntake(queue, everything), queue, writeKeys: ['other-key', WRITE_KEY], port: 0, onAccepted: () => wakes++ });
});
after(async () => {
  await server.close();
  await queue.close();
  removeTempDirs();
});

/** Reads and removes everything queued so far (each test starts from an empty queue). */
async function drain(): Promise<Record<string, unknown>[]> {
  const stored = await queue.lease(ALL, 100_000, Date.now() + 1000);
  await queue.settle({ delivered: stored });
  return stored.map((d) => JSON.parse(d.event));
}

describe('event intake', () => {
  test('@segment/analytics-node works against it unchanged', async () => {
    await drain();
    const analytics = new Analytics({ writeKey: WRITE_KEY, host: server.url, flushAt: 10, maxRetries: 0 });
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));
    analytics.identify({ userId: 'u1', traits: { email: 'ada@example.com', plan: 'pro' } });
    analytics.track({ userId: 'u1', event: 'Order Completed', properties: { total: 12 } });
    analytics.page({ userId: 'u1', name: 'Home', properties: { url: 'https://x.io/' } });
    analytics.screen({ anonymousId: 'a1', name: 'Settings' });
    analytics.group({ userId: 'u1', groupId: 'g1', traits: { name: 'ACME' } });
    analytics.alias({ userId: 'u1', previousId: 'a1' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    assert.deepEqual(errors, []);
    const events = await drain();
    assert.deepEqual(events.map((e) => e.type), ['identify', 'track', 'page', 'screen', 'group', 'alias']);
    const track = events[1]!;
    assert.equal(track.event, 'Order Completed');
    assert.equal(typeof track.messageId, 'string');
    assert.equal(typeof track.receivedAt, 'string');
    assert.equal((track.context as { library: { name: string } }).library.name, '@segment/analytics-node');
    assert.ok(wakes > 0);
  });

  test('single-event endpoints take their type from the path; short forms work', async () => {
    await drain();
    assert.deepEqual(await postJson(`${server.url}/v1/track`, { userId: 'u', event: 'E' }), { status: 200, body: { success: true } });
    assert.equal((await postJson(`${server.url}/v1/i`, { userId: 'u', traits: {} })).status, 200);
    assert.deepEqual((await drain()).map((e) => e.type), ['track', 'identify']);
  });

  test('a wrong or missing write key is refused with 401; the body key works for browser libraries', async () => {
    await drain();
    const wrong = await postJson(`${server.url}/v1/track`, { userId: 'u', event: 'E' }, { writeKey: 'nope' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.error, /invalid write key/);
    assert.equal((await postJson(`${server.url}/v1/track`, { userId: 'u', event: 'E' }, { writeKey: null })).status, 401);
    assert.equal((await postJson(`${server.url}/v1/track`, { userId: 'u', event: 'E', writeKey: WRITE_KEY }, { writeKey: null })).status, 200);
    const queued = await drain();
    assert.equal(queued.length, 1);
    assert.equal(queued[0]!.writeKey, undefined, 'the write key is not stored with the event');
    assert.equal((await queue.counts())['@intake']!.unauthorized, 2);
  });

  test('malformed JSON, an oversized event and an event without ids get 400 with the reason; nothing is queued', async () => {
    await drain();
    const malformed = await postJson(`${server.url}/v1/track`, undefined, { raw: '{"userId": "u", "event": ' });
    assert.equal(malformed.status, 400);
    assert.match(malformed.body.error, /^malformed JSON/);
    const big = await postJson(`${server.url}/v1/track`, { userId: 'u', event: 'E', properties: { pad: 'x'.repeat(40_000) } });
    assert.equal(big.status, 400);
    assert.equal(big.body.error, 'the event is 40050 bytes; at most 32768 (32 KB) are accepted');
    const anonymous = await postJson(`${server.url}/v1/track`, { event: 'E' });
    assert.deepEqual(anonymous, { status: 400, body: { success: false, error: 'userId or anonymousId is required' } });
    const bigBatch = await postJson(`${server.url}/v1/batch`, { batch: [{ type: 'track', userId: 'u', event: 'E', properties: { pad: 'x'.repeat(520_000) } }] });
    assert.equal(bigBatch.status, 400);
    assert.match(bigBatch.body.error, /^the batch is \d+ bytes; at most 512000 \(500 KB\) are accepted$/);
    assert.deepEqual(await drain(), []);
  });

  test('an anonymous-only event is accepted, as Segment does', async () => {
    await drain();
    assert.equal((await postJson(`${server.url}/v1/identify`, { anonymousId: 'anon-1', traits: { plan: 'free' } })).status, 200);
    assert.equal((await drain()).length, 1);
  });

  test('in a batch, bad events are listed and the good ones kept; duplicates are dropped', async () => {
    await drain();
    const batch = [
      { type: 'track', userId: 'u', event: 'good-1', messageId: 'dup-1' },
      { type: 'track', event: 'no ids' },
      { type: 'bogus', userId: 'u' },
      { type: 'identify', userId: 'u', messageId: 'dup-1' },
      { type: 'identify', userId: 'u', traits: { a: 1 } },
    ];
    const res = await postJson(`${server.url}/v1/batch`, { batch, context: { locale: 'de-DE' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.accepted, 2);
    assert.equal(res.body.duplicates, 1);
    assert.deepEqual(res.body.rejected.map((r: { index: number }) => r.index), [1, 2]);
    const events = await drain();
    assert.deepEqual(events.map((e) => e.event ?? e.type), ['good-1', 'identify']);
    assert.equal((events[0]!.context as { locale: string }).locale, 'de-DE');
    const allBad = await postJson(`${server.url}/v1/batch`, { batch: [{ type: 'track' }] });
    assert.equal(allBad.status, 400);
    assert.match(allBad.body.error, /no valid event in the batch/);
  });

  test('gzip bodies are accepted', async () => {
    await drain();
    const raw = gzipSync(JSON.stringify({ batch: [{ type: 'track', userId: 'u', event: 'zipped' }] }));
    const res = await postJson(`${server.url}/v1/batch`, undefined, { raw, headers: { 'content-encoding': 'gzip' } });
    assert.equal(res.status, 200);
    assert.equal((await drain())[0]!.event, 'zipped');
  });

  test('POST /v1/delete queues user deletions', async () => {
    await drain();
    const res = await postJson(`${server.url}/v1/delete`, { userIds: ['a/b c', 'x'] });
    assert.deepEqual(res, { status: 200, body: { success: true, queued: 2 } });
    assert.deepEqual((await drain()).map((e) => [e.type, e.userId]), [['delete', 'a/b c'], ['delete', 'x']]);
    assert.equal((await postJson(`${server.url}/v1/delete`, { userIds: [] })).status, 400);
  });

  test('unknown paths and methods are answered clearly', async () => {
    const res = await fetch(`${server.url}/v2/track`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 404);
    assert.match((await res.json()).error, /expected POST \/v1\/track/);
    assert.equal((await fetch(`${server.url}/v1/track`)).status, 405);
    assert.equal((await fetch(`${server.url}/health`)).status, 200);
  });
});
