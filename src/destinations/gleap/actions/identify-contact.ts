/**
 * Identify Contact: a Segment identify call creates or updates a Gleap contact
 * (`POST /admin/identify`, one contact per request).
 *
 * Defaults read `traits` and `context` as Segment's destination does, without its defects:
 * first and last name come from `traits` (not `properties`), a missing part is left out
 * instead of printing "undefined", and `traits.createdAt` and `traits.value` reach Gleap
 * (Segment drops both). Every other trait becomes a custom attribute, Engage audience
 * booleans (`order_completed_last_30days: true`) included. Gleap keeps at most 35 custom
 * keys: the first 35 are sent and the rest counted as dropped, never lost silently.
 */
import { z } from 'zod';
import type { HttpClient } from '../../../core/http/http-client.ts';
import { setKey } from '../../../events/mapping/set-key.ts';
import { defineAction } from '../../define-action.ts';

export type GleapContact = Record<string, unknown> & { userId: string };

/** Gleap's own contact fields: a custom attribute of that name would overwrite them. */
export const CONTACT_FIELDS = ['userId', 'name', 'email', 'phone', 'companyName', 'companyId', 'lang', 'plan', 'value', 'createdAt', 'lastActivity', 'lastPageView'] as const;
const CONTACT_FIELD_SET: ReadonlySet<string> = new Set(CONTACT_FIELDS);

/** Gleap keeps at most this many custom data keys per identify. */
export const GLEAP_MAX_CUSTOM_KEYS = 35;

/**
 * Traits that the default mappings already send as contact fields, by the field that
 * carries them. Such a trait is not repeated as a custom attribute when its field is set.
 */
const TRAIT_FIELD: ReadonlyMap<string, string> = new Map([
  ['firstName', 'firstName'],
  ['first_name', 'firstName'],
  ['lastName', 'lastName'],
  ['last_name', 'lastName'],
  ['name', 'name'],
  ['email', 'email'],
  ['phone', 'phone'],
  ['plan', 'plan'],
  ['value', 'value'],
  ['createdAt', 'createdAt'],
  ['created_at', 'createdAt'],
  ['userId', 'userId'],
]);

/** Contact fields copied as they are (name and lastPageView are built). */
const COPIED = ['email', 'phone', 'companyName', 'companyId', 'lang', 'plan', 'value', 'createdAt', 'lastActivity'] as const;

const present = (part: string | undefined): part is string => part !== undefined && part.trim() !== '';

export const identifyContactOptions = z.strictObject({
  maxCustomAttributes: z.number().int().min(0).max(GLEAP_MAX_CUSTOM_KEYS, `Gleap keeps at most ${GLEAP_MAX_CUSTOM_KEYS} custom keys`).default(GLEAP_MAX_CUSTOM_KEYS),
});

const orTrait = (a: string, b: string) => ({ '@if': { exists: { '@path': `$.traits.${a}` }, then: { '@path': `$.traits.${a}` }, else: { '@path': `$.traits.${b}` } } });

export const identifyContact = defineAction({
  title: 'Identify Contact',
  description: 'Create or update a contact in Gleap.',
  defaultTrigger: 'type = "identify"',
  fields: {
    userId: { label: 'User ID', description: 'A unique identifier for the contact.', type: 'string', required: true, default: { '@path': '$.userId' } },
    firstName: { label: 'First name', description: "The contact's first name.", type: 'string', default: orTrait('firstName', 'first_name') },
    lastName: { label: 'Last name', description: "The contact's last name.", type: 'string', default: orTrait('lastName', 'last_name') },
    name: { label: 'Full name', description: "The contact's full name, used when neither first nor last name is known.", type: 'string', default: { '@path': '$.traits.name' } },
    email: { label: 'Email Address', description: "The contact's email address.", type: 'string', default: { '@path': '$.traits.email' } },
    phone: { label: 'Phone Number', description: "The contact's phone number.", type: 'string', default: { '@path': '$.traits.phone' } },
    companyName: { label: 'Company Name', description: "The contact's company name.", type: 'string', default: { '@path': '$.traits.company.name' } },
    companyId: { label: 'Company ID', description: "The contact's company ID.", type: 'string', default: { '@path': '$.traits.company.id' } },
    lang: { label: 'Language', description: "The user's language.", type: 'string', default: { '@path': '$.context.locale' } },
    plan: { label: 'Subscription Plan', description: "The user's subscription plan.", type: 'string', default: { '@path': '$.traits.plan' } },
    value: { label: 'User Value', description: "The user's value.", type: 'number', default: { '@path': '$.traits.value' } },
    lastPageView: { label: 'Last Page View', description: 'The page where the contact was last seen.', type: 'string', default: { '@path': '$.context.page.url' } },
    createdAt: { label: 'Signed Up Timestamp', description: 'The time specified for when a contact signed up.', type: 'datetime', default: orTrait('createdAt', 'created_at') },
    lastActivity: { label: 'Last Seen Timestamp', description: 'The time when the contact was last seen.', type: 'datetime', default: { '@path': '$.timestamp' } },
    customAttributes: { label: 'Custom Attributes', description: 'The custom attributes which are set for the contact.', type: 'object', default: { '@path': '$.traits' } },
  },
  options: identifyContactOptions,

  prepare(payload, options) {
    const contact: GleapContact = { userId: payload.userId };
    const { firstName, lastName } = payload;
    const name = present(firstName) ? (present(lastName) ? `${firstName} ${lastName}` : firstName) : present(lastName) ? lastName : payload.name;
    if (name !== undefined) contact.name = name;
    for (let i = 0; i < COPIED.length; i++) {
      const key = COPIED[i]!;
      if (payload[key] !== undefined) contact[key] = payload[key];
    }
    if (payload.lastPageView !== undefined) {
      contact.lastPageView = payload.lastActivity === undefined ? { page: payload.lastPageView } : { page: payload.lastPageView, date: payload.lastActivity };
    }

    const custom = payload.customAttributes;
    if (custom === undefined) return { ok: true, body: contact };
    let dropped: string[] | undefined;
    let kept = 0;
    for (const key in custom) {
      if (!Object.hasOwn(custom, key)) continue;
      const value = custom[key];
      if (value === undefined) continue;
      const carriedBy = TRAIT_FIELD.get(key);
      // Already sent as a contact field: repeating it as custom data would add nothing.
      if (carriedBy !== undefined && payload[carriedBy as keyof typeof payload] !== undefined) continue;
      if (key === 'company' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const rest = companyRest(value as Record<string, unknown>, payload.companyName !== undefined, payload.companyId !== undefined);
        if (rest === undefined) continue;
        if (kept < options.maxCustomAttributes) {
          setKey(contact, key, rest);
          kept++;
        } else (dropped ??= []).push(`customAttributes.${key}`);
        continue;
      }
      if (CONTACT_FIELD_SET.has(key)) {
        (dropped ??= []).push(`customAttributes.${key} (would overwrite Gleap's ${key} field)`);
        continue;
      }
      if (kept < options.maxCustomAttributes) {
        setKey(contact, key, value);
        kept++;
      } else (dropped ??= []).push(`customAttributes.${key}`);
    }
    return dropped ? { ok: true, body: contact, droppedKeys: dropped } : { ok: true, body: contact };
  },

  perform: async (client: HttpClient, contact: GleapContact, ctx) => {
    await client.post('/admin/identify', contact, { label: 'gleap /admin/identify', ...ctx });
  },
});

/** `traits.company` without the name and id already sent as companyName and companyId; undefined when nothing is left. */
function companyRest(company: Record<string, unknown>, nameSent: boolean, idSent: boolean): Record<string, unknown> | undefined {
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(company)) {
    if ((key === 'name' && nameSent) || (key === 'id' && idSent)) continue;
    setKey(rest, key, company[key]);
  }
  return Object.keys(rest).length ? rest : undefined;
}
