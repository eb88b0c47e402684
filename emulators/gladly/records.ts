/**
 * Customers, agents and topics as they appear in the export files. Identity (id, name)
 * depends only on the index; other fields also depend on the `version` (the job that
 * exports the record), so the same id carries newer values in later jobs.
 */
import type { DataModel } from './data-model.ts';
import { createRng, hash } from './prng.ts';
import { EMAIL_DOMAINS, EXTERNAL_SYSTEMS, FIRST_NAMES, LAST_NAMES, STREETS, TOPIC_NAMES } from './vocabulary.ts';

const Salt = { customer: 11, customerVersion: 12, agent: 13, agentVersion: 14, topic: 15, topicVersion: 16 } as const;

export interface Contact {
  first: string;
  last: string;
  email: string;
  phone: string;
}

/** `Zoë O'Neil` → `ZoeONeil`: what a mail address can hold. */
const ascii = (s: string): string => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9.]/g, '');

const phoneOf = (n: number): string => `+1${String(2_000_000_000 + (n % 7_999_999_999)).padStart(10, '0')}`;

/** Contacts are asked for once per conversation item: keep the recent ones. */
const contactCache = new WeakMap<DataModel, Map<string, Contact>>();
function cached(m: DataModel, key: string, make: () => Contact): Contact {
  let cache = contactCache.get(m);
  if (!cache) contactCache.set(m, (cache = new Map()));
  let c = cache.get(key);
  if (!c) {
    if (cache.size >= 50_000) cache.clear();
    cache.set(key, (c = make()));
  }
  return c;
}

/** The stable part of a customer: what conversation items quote in `from` / `to`. */
export const customerContact = (m: DataModel, index: number): Contact => cached(m, `c${index}`, () => makeCustomerContact(m, index));

function makeCustomerContact(m: DataModel, index: number): Contact {
  const rng = createRng(hash(m.seed, Salt.customer, index));
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const local = ascii(`${first}.${last}${index % 10 === 0 ? '' : index}`);
  return { first, last, email: `${local}@${rng.pick(EMAIL_DOMAINS)}`, phone: phoneOf(rng.uint32() * 3) };
}

/**
 * Customer profile. Shapes rotate by index: `externalCustomerId` (a string, lookup
 * adaptors before 05/12/21), `externalCustomerIds` (an object, later adaptors), or neither.
 */
export function customerRecord(m: DataModel, index: number, version: number): Record<string, unknown> {
  const c = customerContact(m, index);
  const stable = createRng(hash(m.seed, Salt.customer, index, 1));
  const v = createRng(hash(m.seed, Salt.customerVersion, index, version));
  const record: Record<string, unknown> = { id: m.customerId(index), name: `${c.first} ${c.last}` };
  if (v.chance(0.85)) {
    record.address = `${v.int(1, 9999)} ${v.pick(STREETS)}${v.chance(0.3) ? ` Apt. ${v.int(1, 400)}` : ''}`;
  }
  const emails = [c.email];
  if (v.chance(0.3)) emails.push(`${ascii(c.first).toLowerCase()}${v.int(1, 99)}@${v.pick(EMAIL_DOMAINS)}`);
  record.emailAddresses = emails;
  record.phoneNumbers = v.chance(0.75) ? [c.phone, ...(v.chance(0.2) ? [phoneOf(v.uint32())] : [])] : [];
  switch (index % 5) {
    case 0:
    case 1:
      record.externalCustomerId = uuidFrom(stable);
      break;
    case 2:
    case 3: {
      const ids: Record<string, string> = { [stable.pick(EXTERNAL_SYSTEMS)]: String(stable.int(10_000, 99_999)) };
      if (v.chance(0.3)) ids[EXTERNAL_SYSTEMS[(index + version) % EXTERNAL_SYSTEMS.length]] = String(v.int(100, 999_999));
      record.externalCustomerIds = ids;
      break;
    }
    default:
      break; // not linked to a lookup adaptor: neither field exists
  }
  return record;
}

/** The stable part of an agent: the address conversation items are sent from. */
export const agentContact = (m: DataModel, index: number): Contact => cached(m, `a${index}`, () => makeAgentContact(m, index));

function makeAgentContact(m: DataModel, index: number): Contact {
  const rng = createRng(hash(m.seed, Salt.agent, index));
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const local = ascii(`${first}.${last}${index}`).toLowerCase();
  return { first, last, email: `${local}@company.com`, phone: '' };
}

export function agentRecord(m: DataModel, index: number, version: number): Record<string, unknown> {
  const a = agentContact(m, index);
  const v = createRng(hash(m.seed, Salt.agentVersion, index, version));
  // An agent occasionally changes name or moves to another mail domain.
  const name = v.chance(0.15) ? `${a.first} ${v.pick(LAST_NAMES)}` : `${a.first} ${a.last}`;
  return { id: m.agentId(index), name, emailAddress: v.chance(0.2) ? a.email.replace('@company.com', '@support.company.com') : a.email };
}

/** A topic; non-root topics mostly carry `parentId` pointing at a root topic. */
export function topicRecord(m: DataModel, index: number, version: number): Record<string, unknown> {
  const rng = createRng(hash(m.seed, Salt.topic, index));
  const v = createRng(hash(m.seed, Salt.topicVersion, index, version));
  const base = TOPIC_NAMES[index % TOPIC_NAMES.length];
  const name = index < TOPIC_NAMES.length ? base : `${base} ${Math.floor(index / TOPIC_NAMES.length) + 1}`;
  const record: Record<string, unknown> = { id: m.topicId(index), name: v.chance(0.1) ? `${name} (old)` : name, disabled: v.chance(0.12) };
  if (index >= m.rootTopics && rng.chance(0.7)) record.parentId = m.topicId(rng.int(0, m.rootTopics - 1));
  return record;
}

function uuidFrom(rng: ReturnType<typeof createRng>): string {
  const hex = Array.from({ length: 4 }, () => rng.uint32().toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
