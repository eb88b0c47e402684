import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileActionPipeline } from '../../action-pipeline.ts';
import { normalizeEventName, trackEvent, trackEventOptions } from '../actions/track-event.ts';

const pipeline = (options: Record<string, unknown> = {}, fields?: Record<string, unknown>) =>
  compileActionPipeline(trackEvent, fields, trackEventOptions.parse(options));

const track = (extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Order Completed',
  userId: 'u1',
  timestamp: '2024-05-01T10:00:00Z',
  properties: { total: 12.5 },
  ...extra,
});

describe('trackEvent', () => {
  test('maps a track call with Segment defaults, the date as ISO 8601 UTC', () => {
    const r = pipeline().run(track());
    assert.deepEqual(r, { ok: true, body: { name: 'order completed', date: '2024-05-01T10:00:00.000Z', data: { total: 12.5 }, userId: 'u1' }, droppedKeys: [] });
  });

  test('names are lower-cased with . and $ replaced by -, unless turned off', () => {
    assert.equal(normalizeEventName('Cart.Viewed $Promo'), 'cart-viewed -promo');
    const on = pipeline().run(track({ event: 'Checkout.Step$2' }));
    assert.ok(on.ok && (on.body as { name: string }).name === 'checkout-step-2');
    const off = pipeline({ normalizeEventName: false }).run(track({ event: 'Checkout.Step$2' }));
    assert.ok(off.ok && (off.body as { name: string }).name === 'Checkout.Step$2');
  });

  test('a page call becomes pageView with the page URL, its properties are not sent', () => {
    const r = pipeline().run({ type: 'page', name: 'Pricing', userId: 'u1', timestamp: '2024-05-01T10:00:00Z', context: { page: { url: 'https://x.io/pricing' } }, properties: { a: 1 } });
    assert.deepEqual(r.ok && r.body, { name: 'pageView', date: '2024-05-01T10:00:00.000Z', data: { page: 'https://x.io/pricing' }, userId: 'u1' });
  });

  test('a page call without a URL uses properties.url, then the page name', () => {
    const base = { type: 'page', userId: 'u1', timestamp: '2024-05-01T10:00:00Z' };
    const byProp = pipeline().run({ ...base, name: 'Home', properties: { url: 'https://x.io/' } });
    assert.deepEqual(byProp.ok && (byProp.body as { data: unknown }).data, { page: 'https://x.io/' });
    const byName = pipeline().run({ ...base, name: 'Home' });
    assert.deepEqual(byName.ok && (byName.body as { data: unknown }).data, { page: 'Home' });
  });

  test('a screen call becomes pageView with the screen name', () => {
    const r = pipeline().run({ type: 'screen', name: 'Settings', userId: 'u1', timestamp: '2024-05-01T10:00:00Z', properties: { x: 1 } });
    assert.deepEqual(r.ok && r.body, { name: 'pageView', date: '2024-05-01T10:00:00.000Z', data: { page: 'Settings' }, userId: 'u1' });
  });

  test('metadata keeps its first 10 keys and reports the others as dropped', () => {
    const properties = Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`k${i}`, i]));
    const r = pipeline().run(track({ properties }));
    assert.ok(r.ok);
    assert.deepEqual(Object.keys((r.body as { data: object }).data), Array.from({ length: 10 }, (_, i) => `k${i}`));
    assert.deepEqual(r.droppedKeys, ['data.k10', 'data.k11', 'data.k12']);
    const wider = pipeline({ maxMetadataKeys: 20 }).run(track({ properties }));
    assert.ok(wider.ok && wider.droppedKeys.length === 0);
  });

  test('an event without userId (anonymous only) is filtered with the reason', () => {
    const r = pipeline().run(track({ userId: undefined, anonymousId: 'a1' }));
    assert.deepEqual(r, { ok: false, filteredBecause: 'userId is missing' });
  });

  test('a numeric userId is sent as a string; epoch timestamps become ISO', () => {
    const r = pipeline().run(track({ userId: 42, timestamp: 1714557600 }));
    assert.ok(r.ok);
    assert.equal((r.body as { userId: string }).userId, '42');
    assert.equal((r.body as { date: string }).date, '2024-05-01T10:00:00.000Z');
  });

  test('a track event with no name, or an unusable date, is filtered', () => {
    assert.deepEqual(pipeline().run(track({ event: undefined })), { ok: false, filteredBecause: 'eventName is missing' });
    assert.deepEqual(pipeline().run(track({ timestamp: 'yesterday' })), { ok: false, filteredBecause: 'date is not an ISO 8601 date-time' });
  });

  test('an invalid optional field is left out and reported, not the whole event', () => {
    const r = pipeline().run(track({ properties: 'not an object' }));
    assert.ok(r.ok);
    assert.equal((r.body as { data?: unknown }).data, undefined);
    assert.match(r.droppedKeys[0]!, /^data \(the string "not an object" is not an object\)$/);
  });

  test('config fields replace the defaults field by field', () => {
    const r = pipeline({}, { eventName: { '@template': 'custom {{properties.kind}}' } }).run(track({ properties: { kind: 'X' } }));
    assert.ok(r.ok && (r.body as { name: string }).name === 'custom x');
  });

  test('enableBatching is a constant of the mapping', () => {
    assert.equal(pipeline().constants.enableBatching, true);
    assert.equal(pipeline({}, { enableBatching: false }).constants.enableBatching, false);
    assert.throws(() => pipeline({}, { enableBatching: { '@path': '$.x' } }), /enableBatching: must be true or false written in the config/);
  });
});
