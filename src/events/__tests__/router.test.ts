import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configSchema } from '../../config/config-schema.ts';
import { resolveDestinations } from '../../destinations/resolve-destinations.ts';
import { createRouter } from '../router.ts';

function router(mappings?: unknown[]) {
  const [d] = resolveDestinations(configSchema.parse({ destinations: [{ name: 'g', type: 'gleap', config: { apiToken: 'router-token' }, ...(mappings ? { mappings } : {}) }] }));
  return createRouter([{ name: 'g', title: d!.definition.title, subscriptions: d!.subscriptions, deletions: 'g/@delete' }]);
}

const stored = (events: Record<string, unknown>[]) =>
  events.map((e, i) => {
    const event = { messageId: `m${i}`, timestamp: '2024-05-01T10:00:00Z', receivedAt: '2024-05-01T10:00:01Z', ...e };
    return { event, json: JSON.stringify(event) };
  });

describe('router', () => {
  test('each event goes to the subscriptions whose trigger matches', () => {
    const r = router().route(
      stored([
        { type: 'track', event: 'A', userId: 'u1' },
        { type: 'identify', userId: 'u1', traits: { email: 'a@b.c' } },
        { type: 'group', groupId: 'g', userId: 'u1' },
      ]),
    );
    assert.deepEqual(r.deliveries.map((d) => d.subscription), ['g/trackEvent', 'g/identifyContact']);
    assert.equal(r.deliveries[0]!.receivedAt, Date.parse('2024-05-01T10:00:01Z'));
    assert.deepEqual(r.counts, { 'g/trackEvent': { received: 1 }, 'g/identifyContact': { received: 1 } });
  });

  test('matched but unusable events are counted as filtered with the reason; dropped keys by name', () => {
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`p${i}`, i]));
    const r = router().route(
      stored([
        { type: 'track', event: 'A', anonymousId: 'anon' },
        { type: 'track', event: 'B', userId: 'u', properties: many },
      ]),
    );
    assert.equal(r.deliveries.length, 1);
    assert.deepEqual(r.counts['g/trackEvent'], { received: 2, filtered: 1, 'filtered:userId is missing': 1, keysDropped: 2, 'dropped:data.p10': 1, 'dropped:data.p11': 1 });
  });

  test("Segment's integrations switches are honoured", () => {
    const r = router().route(
      stored([
        { type: 'track', event: 'off', userId: 'u', integrations: { All: false } },
        { type: 'track', event: 'on', userId: 'u', integrations: { All: false, 'Gleap (Actions)': true } },
        { type: 'track', event: 'byName', userId: 'u', integrations: { g: false } },
      ]),
    );
    assert.deepEqual(r.deliveries.map((d) => JSON.parse(d.event).event), ['on']);
  });

  test('custom triggers select events', () => {
    const r = router([{ action: 'trackEvent', trigger: 'type = "track" and match(event, "Order *")' }]).route(
      stored([
        { type: 'track', event: 'Order Completed', userId: 'u' },
        { type: 'track', event: 'Signed Up', userId: 'u' },
      ]),
    );
    assert.deepEqual(r.deliveries.map((d) => JSON.parse(d.event).event), ['Order Completed']);
  });

  test('a deletion drops the user’s earlier deliveries of the batch, purges stored ones, then queues itself', () => {
    const r = router().route(
      stored([
        { type: 'track', event: 'before', userId: 'gone' },
        { type: 'track', event: 'other', userId: 'stays' },
        { type: 'delete', userId: 'gone' },
        { type: 'track', event: 'after', userId: 'gone' },
      ]),
    );
    assert.deepEqual(
      r.deliveries.map((d) => [d.subscription, d.userId]),
      [
        ['g/trackEvent', 'stays'],
        ['g/@delete', 'gone'],
        ['g/trackEvent', 'gone'],
      ],
    );
    assert.deepEqual(r.purges, [{ userId: 'gone', subscriptions: ['g/trackEvent', 'g/identifyContact'], scope: 'g/@delete' }]);
    assert.deepEqual(r.counts['g/@delete'], { purged: 1, received: 1 });
  });
});
