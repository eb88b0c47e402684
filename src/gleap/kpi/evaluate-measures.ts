/**
 * The in-memory KPI engine: the definitions of kpi-definitions.ts applied to plain rows.
 * The Gleap emulator uses it to answer /statistics from its own data; it mirrors
 * measure-sql.ts step by step (counted tickets -> messages of counted tickets -> first
 * replies -> filter -> place in periods -> group -> aggregate).
 */
import type { AggregationRequest, AggregationResult } from './aggregation.ts';
import { average, bucketKey, median, TOTAL_KEY, weekdayHourKey } from './aggregation.ts';
import type { Condition, MeasureTime, MeasureValue, MessageRole } from './kpi-definitions.ts';
import { workingMs } from './working-hours.ts';

/** A ticket as the API returns it, reduced to what the KPIs read (times in epoch ms). */
export interface TicketRow {
  id: string;
  createdAt: number;
  closedAt: number | null;
  isSpam: boolean;
  processingTeam: string | null;
  processingUser: string | null;
  /** conversationRating as a number, or null. */
  rating: number | null;
  slaBreached: boolean;
}

export interface MessageRow {
  ticket: string | null;
  createdAt: number;
  /** See messageRole(). */
  role: MessageRole;
  user: string | null;
}

/** One ticket or message, with every field a measure may read (absent ones are null). */
interface Item {
  createdAt: number;
  closedAt: number | null;
  firstReplyAt: number | null;
  team: string | null;
  agent: string | null;
  rating: number | null;
  slaBreached: boolean;
  role: MessageRole | null;
}

export interface KpiData {
  tickets: Item[];
  messages: Item[];
}

/** Counted tickets with their first reply, and the messages of counted tickets. */
export function prepareKpiData(tickets: readonly TicketRow[], messages: readonly MessageRow[]): KpiData {
  const byId = new Map<string, Item>();
  for (const t of tickets) {
    if (t.isSpam) continue;
    byId.set(t.id, {
      createdAt: t.createdAt, closedAt: t.closedAt, firstReplyAt: null, team: t.processingTeam, agent: t.processingUser,
      rating: t.rating, slaBreached: t.slaBreached, role: null,
    });
  }
  const counted: Item[] = [];
  for (const m of messages) {
    const ticket = m.ticket === null ? undefined : byId.get(m.ticket);
    if (!ticket) continue;
    counted.push({
      createdAt: m.createdAt, closedAt: null, firstReplyAt: null, team: ticket.team, agent: m.user,
      rating: null, slaBreached: false, role: m.role,
    });
    if (m.role === 'agent' && m.createdAt >= ticket.createdAt && (ticket.firstReplyAt === null || m.createdAt < ticket.firstReplyAt)) {
      ticket.firstReplyAt = m.createdAt;
    }
  }
  return { tickets: [...byId.values()], messages: counted };
}

const AT: Readonly<Record<MeasureTime, (i: Item) => number | null>> = {
  createdAt: (i) => i.createdAt,
  closedAt: (i) => i.closedAt,
  firstReplyAt: (i) => i.firstReplyAt,
};

const CONDITIONS: Readonly<Record<Condition, (i: Item) => boolean>> = {
  closed: (i) => i.closedAt !== null,
  replied: (i) => i.firstReplyAt !== null,
  rated: (i) => i.rating !== null,
  slaBreached: (i) => i.slaBreached,
  agentReply: (i) => i.role === 'agent',
  customerMessage: (i) => i.role === 'customer',
  notNote: (i) => i.role !== null && i.role !== 'note',
};

const span = (from: number, to: number | null, req: AggregationRequest): number | null =>
  to === null ? null : req.workingHours ? workingMs(from, to, req.timeZone) : to - from;

const VALUES: Readonly<Record<MeasureValue, (i: Item, req: AggregationRequest) => number | null>> = {
  count: () => 1,
  firstResponseMs: (i, req) => span(i.createdAt, i.firstReplyAt, req),
  timeToCloseMs: (i, req) => span(i.createdAt, i.closedAt, req),
  rating: (i) => i.rating,
};

function groupKey(item: Item, at: number, req: AggregationRequest): string | null {
  switch (req.grouping.kind) {
    case 'total': return TOTAL_KEY;
    case 'agent': return item.agent;
    case 'bucket': return bucketKey(at, req.grouping.interval, req.timeZone);
    case 'weekday-hour': return weekdayHourKey(at, req.timeZone);
  }
}

export function aggregateInMemory(data: KpiData, req: AggregationRequest): AggregationResult {
  const { measure } = req;
  const items = measure.source === 'tickets' ? data.tickets : data.messages;
  const conditions = measure.where.map((c) => CONDITIONS[c]);
  const at = AT[measure.at];
  const value = VALUES[measure.value];
  const bounds = req.ranges.map((r) => [r.start.getTime(), r.end.getTime()] as const);
  const groups = new Map<string, number[][]>();

  for (const item of items) {
    if (req.team !== undefined && item.team !== req.team) continue;
    if (!conditions.every((c) => c(item))) continue;
    const t = at(item);
    if (t === null) continue;
    for (let r = 0; r < bounds.length; r++) {
      if (t < bounds[r]![0] || t >= bounds[r]![1]) continue;
      const key = groupKey(item, t, req);
      if (key === null) continue;
      const v = value(item, req);
      if (v === null) continue;
      let slots = groups.get(key);
      if (!slots) groups.set(key, (slots = bounds.map(() => [])));
      slots[r]!.push(v);
    }
  }

  const result: AggregationResult = new Map();
  for (const [key, slots] of groups) {
    result.set(key, slots.map((values) => {
      if (measure.value === 'count') return values.length;
      if (req.aggs === 'AVERAGE') return average(values.reduce((a, b) => a + b, 0), values.length);
      return median(values);
    }));
  }
  return result;
}
