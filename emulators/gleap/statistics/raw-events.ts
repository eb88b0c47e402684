/**
 * /statistics/raw-data: the individual events behind the statistics, oldest first, paged
 * with limit/skip (default and maximum page 10000, as the seed documents). Gleap does not
 * publish its event types; the emulator derives these from its tickets and messages, and
 * `type` filters them (a comma list).
 */
import { STATISTICS_LIMITS } from '../../../src/gleap/statistics/statistics-query.ts';
import { iso } from '../data/format.ts';
import { ROLE_AGENT, ROLE_BOT, ROLE_CUSTOMER, ROLE_NOTE } from '../resources/messages.ts';
import { QueryError } from '../query/parse-list-query.ts';
import type { GleapStore } from '../store/gleap-store.ts';

export const RAW_EVENT_TYPES = ['TICKET_CREATED', 'TICKET_CLOSED', 'CUSTOMER_MESSAGE', 'AGENT_REPLY', 'NOTE', 'BOT_MESSAGE'] as const;
type RawEventType = (typeof RAW_EVENT_TYPES)[number];

const MESSAGE_TYPE: Record<number, RawEventType> = {
  [ROLE_CUSTOMER]: 'CUSTOMER_MESSAGE', [ROLE_AGENT]: 'AGENT_REPLY', [ROLE_NOTE]: 'NOTE', [ROLE_BOT]: 'BOT_MESSAGE',
};

export interface RawEvent {
  type: RawEventType;
  createdAt: string;
  ticket: string | null;
  message?: string;
  user: string | null;
  team: string | null;
}

export function parseEventTypes(text: string | null): Set<RawEventType> {
  if (text === null || text.trim() === '') return new Set(RAW_EVENT_TYPES);
  const wanted = text.split(',').map((t) => t.trim().toUpperCase()).filter(Boolean);
  const unknown = wanted.filter((t) => !(RAW_EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length) throw new QueryError(`Invalid type "${unknown.join(',')}": expected ${RAW_EVENT_TYPES.join(', ')}`);
  return new Set(wanted as RawEventType[]);
}

export function rawEvents(
  store: GleapStore,
  range: { start: Date; end: Date },
  types: ReadonlySet<RawEventType>,
  page: { limit?: number; skip?: number },
): RawEvent[] {
  const from = range.start.getTime();
  const to = range.end.getTime();
  const inRange = (ms: number) => !Number.isNaN(ms) && ms >= from && ms < to;
  const t = store.tickets;
  const tc = t.cols;
  const ref = (table: { idOf(i: number): string }, row: number) => (row >= 0 ? table.idOf(row) : null);
  const events: { at: number; order: number; event: RawEvent }[] = [];
  for (let i = 0; i < t.size; i++) {
    if (!t.alive[i]) continue;
    const base = { ticket: t.idOf(i), user: ref(store.agents, tc.processingUser[i]!), team: ref(store.teams, tc.processingTeam[i]!) };
    if (types.has('TICKET_CREATED') && inRange(t.createdAt[i]!)) {
      events.push({ at: t.createdAt[i]!, order: 0, event: { type: 'TICKET_CREATED', createdAt: iso(t.createdAt[i]!)!, ...base } });
    }
    if (types.has('TICKET_CLOSED') && inRange(tc.closedAt[i]!)) {
      events.push({ at: tc.closedAt[i]!, order: 2, event: { type: 'TICKET_CLOSED', createdAt: iso(tc.closedAt[i]!)!, ...base } });
    }
  }
  const m = store.messages;
  const mc = m.cols;
  for (let i = m.lowerBoundCreated(from, false); i < m.size && m.createdAt[i]! < to; i++) {
    const type = MESSAGE_TYPE[mc.role[i]!]!;
    if (!m.alive[i] || !types.has(type)) continue;
    const ticket = mc.ticket[i]!;
    events.push({
      at: m.createdAt[i]!,
      order: 1,
      event: {
        type, createdAt: iso(m.createdAt[i]!)!, ticket: ref(t, ticket), message: m.idOf(i), user: ref(store.agents, mc.user[i]!),
        team: ticket >= 0 ? ref(store.teams, tc.processingTeam[ticket]!) : null,
      },
    });
  }
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  const limit = Math.min(page.limit || STATISTICS_LIMITS.rawDataMaxLimit, STATISTICS_LIMITS.rawDataMaxLimit);
  const skip = page.skip ?? 0;
  return events.slice(skip, skip + limit).map((e) => e.event);
}
