import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileActionPipeline } from '../../action-pipeline.ts';
import { identifyContact, identifyContactOptions } from '../actions/identify-contact.ts';

const pipeline = (options: Record<string, unknown> = {}, fields?: Record<string, unknown>) =>
  compileActionPipeline(identifyContact, fields, identifyContactOptions.parse(options));

const identify = (traits: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'identify',
  userId: 'u1',
  timestamp: '2024-05-01T10:00:00Z',
  traits,
  ...extra,
});

function body(traits: Record<string, unknown>, extra?: Record<string, unknown>, options?: Record<string, unknown>) {
  const r = pipeline(options).run(identify(traits, extra));
  assert.ok(r.ok, JSON.stringify(r));
  return { body: r.body as Record<string, unknown>, dropped: r.droppedKeys };
}

describe('identifyContact', () => {
  test('maps every field of the seed from traits and context', () => {
    const { body: b, dropped } = body(
      {
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@example.com',
        phone: '+44 20 0000',
        company: { name: 'Analytical Engines', id: 77 },
        plan: 'pro',
        value: 1200,
        createdAt: '2023-02-01T08:00:00Z',
      },
      { context: { locale: 'en-GB', page: { url: 'https://x.io/account' } } },
    );
    assert.deepEqual(dropped, []);
    assert.deepEqual(b, {
      userId: 'u1',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+44 20 0000',
      companyName: 'Analytical Engines',
      companyId: '77',
      lang: 'en-GB',
      plan: 'pro',
      value: 1200,
      createdAt: '2023-02-01T08:00:00.000Z',
      lastActivity: '2024-05-01T10:00:00.000Z',
      lastPageView: { page: 'https://x.io/account', date: '2024-05-01T10:00:00.000Z' },
    });
  });

  test('a missing last name gives "First", never "First undefined"; snake_case names work', () => {
    assert.equal(body({ firstName: 'Ada' }).body.name, 'Ada');
    assert.equal(body({ last_name: 'Lovelace' }).body.name, 'Lovelace');
    assert.equal(body({ first_name: 'Ada', last_name: 'L' }).body.name, 'Ada L');
    assert.equal(body({ name: 'Ada L.' }).body.name, 'Ada L.');
    assert.equal(body({}).body.name, undefined);
  });

  test('traits.createdAt and traits.value reach Gleap (Segment drops them)', () => {
    const { body: b } = body({ createdAt: '2022-01-01T00:00:00Z', value: '99.5' });
    assert.equal(b.createdAt, '2022-01-01T00:00:00.000Z');
    assert.equal(b.value, 99.5);
  });

  test('other traits become custom attributes; Engage audience booleans pass through', () => {
    const { body: b } = body({ email: 'a@b.c', favourite_color: 'green', logins: 3, order_completed_last_30days: true, churned_users: false });
    assert.equal(b.favourite_color, 'green');
    assert.equal(b.logins, 3);
    assert.equal(b.order_completed_last_30days, true);
    assert.equal(b.churned_users, false);
    assert.equal(b.email, 'a@b.c');
  });

  test('the rest of traits.company is kept; its name and id go to the contact fields', () => {
    const { body: b } = body({ company: { name: 'ACME', id: 'c1', industry: 'rockets' } });
    assert.equal(b.companyName, 'ACME');
    assert.deepEqual(b.company, { industry: 'rockets' });
  });

  test('at most 35 custom attributes are sent; the rest are counted as dropped', () => {
    const traits = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`attr_${i}`, i]));
    const { body: b, dropped } = body(traits);
    assert.equal(Object.keys(b).filter((k) => k.startsWith('attr_')).length, 35);
    assert.deepEqual(dropped, ['customAttributes.attr_35', 'customAttributes.attr_36', 'customAttributes.attr_37', 'customAttributes.attr_38', 'customAttributes.attr_39']);
    assert.equal(body(traits, {}, { maxCustomAttributes: 10 }).dropped.length, 30);
    assert.throws(() => identifyContactOptions.parse({ maxCustomAttributes: 36 }), /at most 35/);
  });

  test('a trait that would overwrite a contact field, or is not usable there, is reported, not silently lost', () => {
    const { body: b, dropped } = body({ value: 'lots', lang: 'fr' });
    assert.equal(b.value, undefined);
    assert.equal(b.lang, undefined);
    assert.deepEqual(dropped, ['value (the string "lots" is not a number)', "customAttributes.value (would overwrite Gleap's value field)", "customAttributes.lang (would overwrite Gleap's lang field)"]);
  });

  test('a trait named __proto__ is a plain key, never a prototype', () => {
    const traits = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}');
    const { body: b } = body(traits);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(b), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(b, '__proto__')?.value, { polluted: true });
  });

  test('an identify without userId is filtered (anonymous users are not contacts)', () => {
    assert.deepEqual(pipeline().run(identify({ email: 'x@y.z' }, { userId: undefined, anonymousId: 'anon' })), { ok: false, filteredBecause: 'userId is missing' });
  });
});
