import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_EVENT_BYTES, validateEvent } from '../intake/event-validation.ts';

const AT = Date.parse('2024-05-01T10:00:00.000Z');
const ok = (raw: unknown, defaults: Record<string, unknown> = {}) => {
  const r = validateEvent(raw, { receivedAtMs: AT, ...defaults });
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return JSON.parse(r.json) as Record<string, unknown>;
};
const reason = (raw: unknown, defaults: Record<string, unknown> = {}) => {
  const r = validateEvent(raw, { receivedAtMs: AT, ...defaults });
  assert.ok(!r.ok, 'expected a refusal');
  return r.reason;
};

describe('validateEvent', () => {
  test('assigns messageId, receivedAt and a missing timestamp; keeps the client timestamp', () => {
    const e = ok({ type: 'track', event: 'A', userId: 'u' });
    assert.match(String(e.messageId), /^[0-9a-f-]{36}$/);
    assert.equal(e.receivedAt, '2024-05-01T10:00:00.000Z');
    assert.equal(e.timestamp, '2024-05-01T10:00:00.000Z');
    const kept = ok({ type: 'track', event: 'A', userId: 'u', messageId: 'm-1', timestamp: '2024-04-30T00:00:00Z' });
    assert.equal(kept.messageId, 'm-1');
    assert.equal(kept.timestamp, '2024-04-30T00:00:00Z');
  });

  test('corrects the client clock like Segment: receivedAt - (sentAt - originalTimestamp)', () => {
    const e = ok({ type: 'track', event: 'A', userId: 'u', originalTimestamp: '2024-05-01T09:00:00.000Z' }, { sentAt: '2024-05-01T09:00:30.000Z' });
    assert.equal(e.timestamp, '2024-05-01T09:59:30.000Z');
    assert.equal(e.sentAt, '2024-05-01T09:00:30.000Z');
  });

  test('an anonymous-only event is valid; neither id is not', () => {
    ok({ type: 'identify', anonymousId: 'a1' });
    assert.equal(reason({ type: 'track', event: 'A' }), 'userId or anonymousId is required');
    assert.equal(reason({ type: 'track', event: 'A', userId: '  ' }), 'userId or anonymousId is required');
  });

  test('numeric ids become strings; other id types are refused', () => {
    assert.equal(ok({ type: 'identify', userId: 123 }).userId, '123');
    assert.equal(reason({ type: 'identify', userId: { id: 1 } }), 'userId must be a string, got {"id":1}');
  });

  test('type and the fields each type needs', () => {
    assert.match(reason({ userId: 'u' }), /^type is missing; expected one of track, identify, page, screen, group, alias$/);
    assert.match(reason({ type: 'delete', userId: 'u' }), /^type must be one of/);
    assert.equal(reason({ type: 'track', userId: 'u' }), 'a track event needs a name (event)');
    assert.equal(reason({ type: 'group', userId: 'u' }), 'a group call needs a groupId');
    assert.equal(reason({ type: 'alias', userId: 'u' }), 'an alias call needs a previousId');
    assert.equal(reason({ type: 'track', event: 'A', userId: 'u', properties: [1] }), 'properties must be an object, got [1]');
    assert.equal(reason({ type: 'track', event: 'A', userId: 'u', timestamp: 'noon' }), 'timestamp must be an ISO 8601 date-time, got "noon"');
    assert.equal(reason('text'), 'an event must be a JSON object');
  });

  test('the endpoint decides the type', () => {
    assert.equal(ok({ userId: 'u', traits: {} }, { type: 'identify' }).type, 'identify');
    assert.equal(ok({ type: 'page', userId: 'u', event: 'x' }, { type: 'track' }).type, 'track');
  });

  test('the batch context and integrations apply to each event; the event wins', () => {
    const e = ok({ type: 'track', event: 'A', userId: 'u', context: { ip: '1.1.1.1' } }, { context: { ip: '9.9.9.9', locale: 'de' }, integrations: { All: false } });
    assert.deepEqual(e.context, { ip: '1.1.1.1', locale: 'de' });
    assert.deepEqual(e.integrations, { All: false });
  });

  test('32 KB per event, counted on what the client sent', () => {
    const pad = (n: number) => ({ type: 'track', event: 'A', userId: 'u', messageId: 'm', timestamp: '2024-05-01T10:00:00Z', properties: { pad: 'x'.repeat(n) } });
    const base = JSON.stringify(pad(0)).length;
    ok(pad(MAX_EVENT_BYTES - base));
    assert.match(reason(pad(MAX_EVENT_BYTES - base + 1)), /^the event is 32769 bytes of JSON; at most 32768 \(32 KB\) are accepted$/);
  });
});
