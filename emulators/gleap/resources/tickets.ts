/**
 * Tickets. Everything a filter, a sort or a statistic needs is a column (status, type,
 * timestamps, relations, flags); texts and nested JSON are drawn per row when a response
 * needs the document.
 *
 * Types follow seed 000's field table: `conversationRating` is a string ("1".."5"),
 * `notificationsUnread` an integer, `channel` a string, relations are id strings.
 */
import { hashSeed, rowPrng } from '../../shared/prng.ts';
import type { Prng } from '../../shared/prng.ts';
import { fill, iso, maskTable } from '../data/format.ts';
import { richText } from '../data/rich-text.ts';
import {
  BROWSERS, BUG_TEMPLATES, OPENING_LINES, FEATURE_TEMPLATES, INQUIRY_TEMPLATES, LANGS, OSES, PAGES, PLANS,
  PRIORITIES, PRODUCT_AREAS, SENTIMENTS, TICKET_CHANNELS, TICKET_STATUSES, TICKET_TAGS, TICKET_TYPES, TICKET_TYPE_WEIGHTS,
} from '../data/vocabulary.ts';
import type { GleapStore } from '../store/gleap-store.ts';
import type { Doc } from '../store/table.ts';
import { defineResource } from './resource-def.ts';
import { sessionIdentity } from './sessions.ts';

export const TICKET_COLUMNS = {
  closedAt: Float64Array,
  dueDate: Float64Array,
  snoozedUntil: Float64Array,
  firstAssignmentAt: Float64Array,
  firstAgentReplyAt: Float64Array,
  lastContactAt: Float64Array,
  lastAdminAt: Float64Array,
  archivedAt: Float64Array,
  session: Int32Array,
  processingUser: Int32Array,
  processingTeam: Int32Array,
  latestComment: Int32Array,
  messageCount: Int32Array,
  type: Uint8Array,
  status: Uint8Array,
  priority: Uint8Array,
  /** Index into SENTIMENTS; NO_SENTIMENT = null. */
  sentiment: Uint8Array,
  channel: Uint8Array,
  /** Conversation rating 1..5; 0 = not rated. */
  rating: Uint8Array,
  archived: Uint8Array,
  isSpam: Uint8Array,
  conversationClosed: Uint8Array,
  hasAgentReply: Uint8Array,
  slaBreached: Uint8Array,
  snoozed: Uint8Array,
  /** The AI bot (Kai) answered in this ticket. */
  kaiInvolved: Uint8Array,
  notificationsUnread: Uint8Array,
  tags: Uint8Array,
  duplicatesCount: Uint8Array,
  upvotesCount: Uint16Array,
};
export type TicketColumns = typeof TICKET_COLUMNS;

export const NO_SENTIMENT = 255;
const TAG_SETS = maskTable(TICKET_TAGS);
const TYPE = Object.fromEntries(TICKET_TYPES.map((t, i) => [t, i])) as Record<(typeof TICKET_TYPES)[number], number>;

/** The product area a ticket is about: shared by its title and its messages. */
export function ticketArea(store: GleapStore, ticket: number): string {
  return PRODUCT_AREAS[rowPrng(hashSeed(store.seed, 'ticket-area'), ticket).int(0, PRODUCT_AREAS.length - 1)];
}

/** The customer's opening words: the ticket's description and its first message. */
export function ticketDescription(store: GleapStore, ticket: number): string {
  const rng = rowPrng(hashSeed(store.seed, 'ticket-description'), ticket);
  return fill(rng.pick(OPENING_LINES), { area: ticketArea(store, ticket) });
}

function ticketScore(store: GleapStore, i: number): number {
  const c = store.tickets.cols;
  const raw = (c.priority[i] + 1) * 10 + c.upvotesCount[i] * 0.5 + c.duplicatesCount[i] * 2 + (c.slaBreached[i] ? 15 : 0);
  return Math.round(raw * 100) / 100;
}

function buildTicket(store: GleapStore, i: number): Doc {
  const t = store.tickets;
  const c = t.cols;
  const rng = rowPrng(hashSeed(store.seed, 'ticket-doc'), i);
  const type = TICKET_TYPES[c.type[i]];
  const area = ticketArea(store, i);
  const rating = c.rating[i];
  const title =
    type === 'BUG' ? fill(rng.pick(BUG_TEMPLATES), { area })
    : type === 'FEATURE_REQUEST' ? fill(rng.pick(FEATURE_TEMPLATES), { area })
    : type === 'CRASH' ? `Crash: TypeError in ${area}`
    : type === 'RATING' ? 'New app rating'
    : fill(rng.pick(INQUIRY_TEMPLATES), { area });
  const description = ticketDescription(store, i);
  const session = c.session[i];
  const contact = session >= 0 ? sessionIdentity(store, session) : null;
  const lang = session >= 0 ? LANGS[store.sessions.cols.lang[session]] : 'en';
  const page = rng.pick(PAGES);
  const messages = c.messageCount[i];
  const user = c.processingUser[i];
  const team = c.processingTeam[i];
  const latest = c.latestComment[i];
  const id = t.idOf(i);
  return {
    _id: id,
    id,
    bugId: i + 1,
    title,
    description,
    type,
    status: TICKET_STATUSES[c.status[i]],
    priority: PRIORITIES[c.priority[i]],
    sentiment: c.sentiment[i] === NO_SENTIMENT ? null : SENTIMENTS[c.sentiment[i]],
    closedAt: iso(c.closedAt[i]),
    dueDate: iso(c.dueDate[i]),
    processingUser: user >= 0 ? store.agents.idOf(user) : null,
    processingTeam: team >= 0 ? store.teams.idOf(team) : null,
    session: session >= 0 ? store.sessions.idOf(session) : null,
    tags: TAG_SETS[c.tags[i]],
    archived: c.archived[i] === 1,
    archivedAt: iso(c.archivedAt[i]),
    isSpam: c.isSpam[i] === 1,
    conversationClosed: c.conversationClosed[i] === 1,
    conversationRating: rating > 0 ? String(rating) : null,
    hasAgentReply: c.hasAgentReply[i] === 1,
    upvotesCount: c.upvotesCount[i],
    duplicatesCount: c.duplicatesCount[i],
    score: ticketScore(store, i),
    channel: TICKET_CHANNELS[c.channel[i]],
    aiSummary:
      messages >= 3
        ? `The customer reported an issue with the ${area}. ${c.hasAgentReply[i] ? 'An agent replied' : 'No agent has replied yet'}; ${messages} messages so far.`
        : null,
    shareToken: rng.hex(32),
    formData: {
      description,
      ...(contact?.email ? { email: contact.email } : {}),
      pageUrl: `https://app.example.com${page}`,
      ...(type === 'RATING' ? { rating: rng.int(1, 5) } : {}),
      ...(type === 'BUG' || type === 'CRASH' ? { stepsToReproduce: `Open the ${area} and click save.` } : {}),
    },
    customData: {
      plan: session >= 0 ? PLANS[store.sessions.cols.plan[session]] : null,
      appVersion: `3.${rng.int(0, 12)}.${rng.int(0, 20)}`,
      accountId: `acc_${rng.hex(10)}`,
      ...(rng.chance(0.3) ? { orderId: `ord_${rng.int(100000, 999999)}` } : {}),
    },
    metaData: {
      browser: rng.pick(BROWSERS),
      os: rng.pick(OSES),
      currentUrl: `https://app.example.com${page}`,
      language: lang,
      screenWidth: rng.pick([390, 768, 1280, 1440, 1920]),
      screenHeight: rng.pick([844, 1024, 800, 900, 1080]),
      sdkVersion: `14.${rng.int(0, 9)}.${rng.int(0, 9)}`,
      sessionDuration: rng.int(5, 7200),
    },
    slaBreached: c.slaBreached[i] === 1,
    snoozed: c.snoozed[i] === 1,
    snoozedUntil: iso(c.snoozedUntil[i]),
    firstAssignmentAt: iso(c.firstAssignmentAt[i]),
    notificationsUnread: c.notificationsUnread[i],
    latestComment: latest >= 0 ? store.messages.idOf(latest) : null,
    lastResponse: { contact: iso(c.lastContactAt[i]), admin: iso(c.lastAdminAt[i]) },
    attachments:
      (type === 'BUG' || type === 'CRASH') && rng.chance(0.6)
        ? [{ name: 'screenshot.png', url: `https://files.gleap.io/screenshots/${rng.hex(24)}.png`, type: 'image/png' }]
        : [],
    content: richText(description),
    project: store.project,
    createdAt: iso(t.createdAt[i]),
    updatedAt: iso(t.updatedAt[i]),
  };
}

/** Draws the columns of a new, open, not yet answered ticket (the mutate hook). */
function drawNewTicket(store: GleapStore, i: number, rng: Prng, at: number): void {
  const c = store.tickets.cols;
  const type = rng.weighted(TICKET_TYPE_WEIGHTS);
  c.type[i] = type;
  c.status[i] = 0; // OPEN
  c.priority[i] = rng.weighted([0.5, 0.38, 0.12]);
  c.sentiment[i] = rng.weighted([0.3, 0.5, 0.2]);
  c.channel[i] = type === TYPE.INQUIRY ? rng.weighted([0.5, 0.4, 0.05, 0.05, 0, 0]) : 0;
  c.session[i] = store.sessions.aliveCount > 0 ? randomAlive(store.sessions.alive, store.sessions.size, rng) : -1;
  const team = store.teams.aliveCount > 0 ? randomAlive(store.teams.alive, store.teams.size, rng) : -1;
  c.processingTeam[i] = team;
  c.processingUser[i] = -1;
  c.latestComment[i] = -1;
  c.messageCount[i] = 0;
  c.lastContactAt[i] = at;
  c.notificationsUnread[i] = 1;
}

/** A random live row (rejection sampling; the caller ensures one exists). */
export function randomAlive(alive: Uint8Array, size: number, rng: Prng): number {
  for (;;) {
    const i = rng.int(0, size - 1);
    if (alive[i]) return i;
  }
}

export const ticketsResource = defineResource({
  name: 'tickets',
  columns: TICKET_COLUMNS,
  limits: { default: 1000, max: 1000 },
  install(store) {
    const t = store.tickets;
    const c = t.cols;
    t.generate = (i) => buildTicket(store, i);
    t.fields = {
      bugId: { kind: 'number', get: (i) => i + 1 },
      type: { kind: 'string', get: (i) => TICKET_TYPES[c.type[i]] },
      status: { kind: 'string', get: (i) => TICKET_STATUSES[c.status[i]] },
      // Gleap sorts priority by rank: LOW < MEDIUM < HIGH.
      priority: { kind: 'string', get: (i) => PRIORITIES[c.priority[i]], rank: (i) => c.priority[i] },
      sentiment: { kind: 'string', get: (i) => (c.sentiment[i] === NO_SENTIMENT ? null : SENTIMENTS[c.sentiment[i]]) },
      channel: { kind: 'string', get: (i) => TICKET_CHANNELS[c.channel[i]] },
      conversationRating: { kind: 'string', get: (i) => (c.rating[i] > 0 ? String(c.rating[i]) : null) },
      closedAt: { kind: 'date', get: (i) => c.closedAt[i] },
      dueDate: { kind: 'date', get: (i) => c.dueDate[i] },
      snoozedUntil: { kind: 'date', get: (i) => c.snoozedUntil[i] },
      firstAssignmentAt: { kind: 'date', get: (i) => c.firstAssignmentAt[i] },
      archivedAt: { kind: 'date', get: (i) => c.archivedAt[i] },
      session: { kind: 'ref', target: 'sessions', get: (i) => c.session[i] },
      processingUser: { kind: 'ref', target: 'agents', get: (i) => c.processingUser[i] },
      processingTeam: { kind: 'ref', target: 'teams', get: (i) => c.processingTeam[i] },
      latestComment: { kind: 'ref', target: 'messages', get: (i) => c.latestComment[i] },
      archived: { kind: 'boolean', get: (i) => c.archived[i] === 1 },
      isSpam: { kind: 'boolean', get: (i) => c.isSpam[i] === 1 },
      conversationClosed: { kind: 'boolean', get: (i) => c.conversationClosed[i] === 1 },
      hasAgentReply: { kind: 'boolean', get: (i) => c.hasAgentReply[i] === 1 },
      slaBreached: { kind: 'boolean', get: (i) => c.slaBreached[i] === 1 },
      snoozed: { kind: 'boolean', get: (i) => c.snoozed[i] === 1 },
      notificationsUnread: { kind: 'number', get: (i) => c.notificationsUnread[i] },
      upvotesCount: { kind: 'number', get: (i) => c.upvotesCount[i] },
      duplicatesCount: { kind: 'number', get: (i) => c.duplicatesCount[i] },
      score: { kind: 'number', get: (i) => ticketScore(store, i) },
      tags: { kind: 'strings', get: (i) => TAG_SETS[c.tags[i]] },
    };
    for (const f of ['closedAt', 'dueDate', 'snoozedUntil', 'firstAssignmentAt', 'archivedAt']) t.dateFields.add(f);
    if (t.size > 0) for (const f of Object.keys(buildTicket(store, 0))) t.knownFields.add(f);
  },
  create(store, rng, count) {
    const rows: number[] = [];
    for (let k = 0; k < count; k++) {
      const at = store.clock.stamp();
      const i = store.tickets.append(at);
      drawNewTicket(store, i, rng, at);
      rows.push(i);
    }
    return rows;
  },
});
