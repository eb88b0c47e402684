/**
 * Sessions (Gleap's contacts). Activity and counts live in columns; identity (name,
 * e-mail, userId, company) is drawn per row from its own generator, so it is stable and
 * cheap to recompute for filters without building the whole document.
 */
import { hashSeed, rowPrng } from '../../shared/prng.ts';
import type { Prng } from '../../shared/prng.ts';
import { fill, iso, maskTable, slug } from '../data/format.ts';
import {
  CITIES, COMPANIES, DEVICE_TYPES, EMAIL_DOMAINS, EVENT_NAMES, FIRST_NAMES, LANGS, LANG_WEIGHTS, LAST_NAMES, PAGES,
  PLANS, PLAN_VALUES, PLAN_WEIGHTS, PLATFORMS, PLATFORM_WEIGHTS, SESSION_TAGS,
} from '../data/vocabulary.ts';
import type { GleapStore } from '../store/gleap-store.ts';
import type { Doc, Table } from '../store/table.ts';
import { defineResource } from './resource-def.ts';

export const SESSION_COLUMNS = {
  lastActivity: Float64Array,
  lastHeardFrom: Float64Array,
  lastReportAt: Float64Array,
  lang: Uint8Array,
  plan: Uint8Array,
  platform: Uint8Array,
  deviceType: Uint8Array,
  blocked: Uint8Array,
  unsubscribed: Uint8Array,
  emailOnly: Uint8Array,
  anonymous: Uint8Array,
  visits: Uint16Array,
  reports: Int32Array,
  comments: Int32Array,
  tags: Uint8Array,
};
export type SessionColumns = typeof SESSION_COLUMNS;

const TAG_SETS = maskTable(SESSION_TAGS);

export interface SessionIdentity {
  name: string | null;
  email: string | null;
  userId: string | null;
  phone: string | null;
  companyId: string | null;
  companyName: string | null;
  location: string;
  avatar: string | null;
}

/** The generated identity of session row `i` (stable: drawn from the row's own generator). */
export function sessionIdentity(store: GleapStore, i: number): SessionIdentity {
  const t = store.sessions;
  const rng = rowPrng(hashSeed(store.seed, 'session-identity'), i);
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const companyIdx = rng.chance(0.6) ? rng.int(0, COMPANIES.length - 1) : -1;
  const domain = companyIdx >= 0 && rng.chance(0.6) ? `${slug(COMPANIES[companyIdx]).replace(/\./g, '')}.com` : rng.pick(EMAIL_DOMAINS);
  const phone = rng.chance(0.35) ? `+${rng.pick(['49', '43', '33', '44', '1'])} ${rng.int(100, 999)} ${rng.int(1000000, 9999999)}` : null;
  const location = rng.pick(CITIES);
  const hasAvatar = rng.chance(0.3);
  const anonymous = t.cols.anonymous[i] === 1;
  const emailOnly = t.cols.emailOnly[i] === 1;
  return {
    name: anonymous ? null : `${first} ${last}`,
    email: anonymous ? null : `${slug(first)}.${slug(last)}.${i.toString(36)}@${domain}`,
    userId: anonymous || emailOnly ? null : `usr_${(Math.imul(i + 1, 0x9e3779b1) >>> 0).toString(36)}`,
    phone: anonymous ? null : phone,
    companyId: companyIdx >= 0 && !anonymous ? `cmp_${companyIdx + 1000}` : null,
    companyName: companyIdx >= 0 && !anonymous ? COMPANIES[companyIdx] : null,
    location,
    avatar: hasAvatar && !anonymous ? `https://avatars.gleap.io/${i.toString(36)}-${(Math.imul(i, 0x2545f491) >>> 0).toString(16)}.png` : null,
  };
}

/** The widget's anonymous identifiers of session row `i`. */
export function sessionGleapIds(store: GleapStore, i: number): { gleapId: string; gleapHash: string } {
  const rng = rowPrng(hashSeed(store.seed, 'session-gleap-id'), i);
  return { gleapId: rng.hex(24), gleapHash: rng.hex(64) };
}

/** Every field a session document has, empty: the base of sessions created through the API. */
export function blankSession(store: GleapStore): Doc {
  return {
    gleapId: null, gleapHash: null, userId: null, name: null, email: null, phone: null, lang: 'en', location: null,
    avatar: null, companyId: null, companyName: null, deviceType: null, platform: null, plan: null, value: 0, sla: 0,
    sessions: 0, blocked: false, unsubscribed: false, unsubscribedAt: null, unsubscribeReason: null, emailOnly: false,
    firstActivity: null, lastActivity: null, lastHeardFrom: null, lastPageView: null, lastFeedbackReport: null,
    countFeedbackReports: 0, countFeedbackComments: 0, tags: [], customData: {}, eventData: {}, project: store.project,
  };
}

function buildSession(store: GleapStore, i: number): Doc {
  const t = store.sessions;
  const c = t.cols;
  const who = sessionIdentity(store, i);
  const gleap = sessionGleapIds(store, i);
  const rng = rowPrng(hashSeed(store.seed, 'session-doc'), i);
  const plan = PLANS[c.plan[i]];
  const visits = c.visits[i];
  const eventData: Record<string, { count: number; lastAt: string | null }> = {};
  for (const name of EVENT_NAMES) {
    if (rng.chance(0.5)) eventData[name] = { count: rng.int(1, visits * 3 + 1), lastAt: iso(c.lastActivity[i]) };
  }
  const id = t.idOf(i);
  return {
    _id: id,
    id,
    gleapId: gleap.gleapId,
    gleapHash: gleap.gleapHash,
    userId: who.userId,
    name: who.name,
    email: who.email,
    phone: who.phone,
    lang: LANGS[c.lang[i]],
    location: who.location,
    avatar: who.avatar,
    companyId: who.companyId,
    companyName: who.companyName,
    deviceType: DEVICE_TYPES[c.deviceType[i]],
    platform: PLATFORMS[c.platform[i]],
    plan,
    value: PLAN_VALUES[c.plan[i]],
    sla: c.plan[i] >= 3 ? 4 : 24,
    sessions: visits,
    blocked: c.blocked[i] === 1,
    unsubscribed: c.unsubscribed[i] === 1,
    unsubscribedAt: c.unsubscribed[i] ? iso(c.lastActivity[i]) : null,
    unsubscribeReason: c.unsubscribed[i] ? rng.pick(['too many emails', 'not relevant', null]) : null,
    emailOnly: c.emailOnly[i] === 1,
    firstActivity: iso(t.createdAt[i]),
    lastActivity: iso(c.lastActivity[i]),
    lastHeardFrom: iso(c.lastHeardFrom[i]),
    lastPageView: c.anonymous[i] && rng.chance(0.5) ? null : fill('https://app.example.com{page}', { page: rng.pick(PAGES) }),
    lastFeedbackReport: iso(c.lastReportAt[i]),
    countFeedbackReports: c.reports[i],
    countFeedbackComments: c.comments[i],
    tags: TAG_SETS[c.tags[i]],
    customData: {
      accountId: `acc_${rng.hex(10)}`,
      seats: rng.int(1, plan === 'enterprise' ? 500 : 25),
      signupSource: rng.pick(['organic', 'google-ads', 'referral', 'partner']),
      ...(plan === 'free' && rng.chance(0.3) ? { trialEndsAt: iso(t.createdAt[i] + 14 * 86_400_000) } : {}),
    },
    eventData,
    project: store.project,
    createdAt: iso(t.createdAt[i]),
    updatedAt: iso(t.updatedAt[i]),
  };
}

/** Draws the columns of a new session row (bulk generation and the mutate hook). */
export function drawSessionColumns(t: Table<SessionColumns>, i: number, rng: Prng): void {
  const c = t.cols;
  const kind = rng.weighted([0.65, 0.15, 0.2]); // identified, e-mail only, anonymous
  c.emailOnly[i] = kind === 1 ? 1 : 0;
  c.anonymous[i] = kind === 2 ? 1 : 0;
  c.lang[i] = rng.weighted(LANG_WEIGHTS);
  c.plan[i] = kind === 2 ? 0 : rng.weighted(PLAN_WEIGHTS);
  c.platform[i] = rng.weighted(PLATFORM_WEIGHTS);
  c.deviceType[i] = c.platform[i] === 0 ? (rng.chance(0.9) ? 0 : 2) : rng.chance(0.85) ? 1 : 2;
  c.blocked[i] = rng.chance(0.005) ? 1 : 0;
  c.unsubscribed[i] = kind !== 2 && rng.chance(0.04) ? 1 : 0;
  c.visits[i] = Math.min(65000, 1 + Math.floor(rng.lognormal(1.6, 1.2)));
  let tags = 0;
  for (let b = 0; b < SESSION_TAGS.length; b++) if (rng.chance(0.08)) tags |= 1 << b;
  c.tags[i] = tags;
}

export const sessionsResource = defineResource({
  name: 'sessions',
  columns: SESSION_COLUMNS,
  limits: { default: 1000, max: 1000 },
  install(store) {
    const t = store.sessions;
    const c = t.cols;
    const ident = (i: number) => sessionIdentity(store, i);
    t.generate = (i) => buildSession(store, i);
    t.fields = {
      userId: { kind: 'string', get: (i) => ident(i).userId },
      email: { kind: 'string', get: (i) => ident(i).email },
      name: { kind: 'string', get: (i) => ident(i).name },
      phone: { kind: 'string', get: (i) => ident(i).phone },
      companyId: { kind: 'string', get: (i) => ident(i).companyId },
      companyName: { kind: 'string', get: (i) => ident(i).companyName },
      gleapId: { kind: 'string', get: (i) => sessionGleapIds(store, i).gleapId },
      lang: { kind: 'string', get: (i) => LANGS[c.lang[i]] },
      plan: { kind: 'string', get: (i) => PLANS[c.plan[i]] },
      platform: { kind: 'string', get: (i) => PLATFORMS[c.platform[i]] },
      deviceType: { kind: 'string', get: (i) => DEVICE_TYPES[c.deviceType[i]] },
      blocked: { kind: 'boolean', get: (i) => c.blocked[i] === 1 },
      unsubscribed: { kind: 'boolean', get: (i) => c.unsubscribed[i] === 1 },
      emailOnly: { kind: 'boolean', get: (i) => c.emailOnly[i] === 1 },
      value: { kind: 'number', get: (i) => PLAN_VALUES[c.plan[i]] },
      sessions: { kind: 'number', get: (i) => c.visits[i] },
      countFeedbackReports: { kind: 'number', get: (i) => c.reports[i] },
      countFeedbackComments: { kind: 'number', get: (i) => c.comments[i] },
      firstActivity: { kind: 'date', get: (i) => t.createdAt[i] },
      lastActivity: { kind: 'date', get: (i) => c.lastActivity[i] },
      lastHeardFrom: { kind: 'date', get: (i) => c.lastHeardFrom[i] },
      lastFeedbackReport: { kind: 'date', get: (i) => c.lastReportAt[i] },
      tags: { kind: 'strings', get: (i) => TAG_SETS[c.tags[i]] },
    };
    for (const f of ['firstActivity', 'lastActivity', 'lastHeardFrom', 'lastFeedbackReport', 'unsubscribedAt']) t.dateFields.add(f);
    for (const f of Object.keys(blankSession(store))) t.knownFields.add(f);
  },
  create(store, rng, count) {
    const t = store.sessions;
    const rows: number[] = [];
    for (let k = 0; k < count; k++) {
      const at = store.clock.stamp();
      const i = t.append(at);
      drawSessionColumns(t, i, rng);
      t.cols.anonymous[i] = 0;
      t.cols.emailOnly[i] = 0;
      t.cols.lastActivity[i] = at;
      t.cols.reports[i] = 0;
      t.cols.comments[i] = 0;
      rows.push(i);
    }
    store.userIdIndex = null;
    return rows;
  },
});
