/**
 * Synthetic Gleap tickets (the 35 fields of the ticket stream, a few nested JSON ones) for load benchmarks.
 * Deterministic and cheap to generate, so the benchmark measures loading, not generation:
 * 4096 distinct ticket bodies are built once, and ticket i is a copy of body i % 4096 with its
 * own id, number, title, description and times (building every field afresh cost 5.7 µs per
 * ticket, as much as loading it).
 */
import type { Columns } from '../src/core/columns.ts';
import { tickets } from '../src/sources/gleap/gleap-streams.ts';

/** The Gleap ticket stream's own columns: the benchmark loads exactly what a ticket sync loads. */
export const ticketColumns: Columns = tickets.columns;

const TYPES = ['BUG', 'FEATURE_REQUEST', 'INQUIRY', 'CRASH'];
const STATUSES = ['OPEN', 'INPROGRESS', 'DONE', 'CLOSED'];
const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH'];
const BASE = Date.UTC(2024, 0, 1);

const hex24 = (i: number) => i.toString(16).padStart(24, '0');

function ticketBody(i: number): Record<string, unknown> {
  const created = BASE + i * 37_000;
  return {
    id: hex24(i), bugId: i + 1, title: `Ticket ${i}: checkout button does nothing`,
    description: `Steps: open cart, press pay. Expected payment sheet; got nothing. Case ${i}.`,
    type: TYPES[i % 4], status: STATUSES[i % 4], priority: PRIORITIES[i % 3], sentiment: i % 5 ? 'neutral' : 'negative',
    createdAt: new Date(created).toISOString(), updatedAt: new Date(created + 3_600_000).toISOString(),
    closedAt: i % 4 === 3 ? new Date(created + 7_200_000).toISOString() : null,
    dueDate: null, processingUser: hex24(1_000_000 + (i % 40)), processingTeam: hex24(2_000_000 + (i % 8)),
    session: hex24(3_000_000 + (i % 60_000)), tags: ['billing', i % 2 ? 'web' : 'ios'],
    archived: false, isSpam: i % 97 === 0, conversationClosed: i % 4 === 3, conversationRating: i % 7 ? null : 'GREAT',
    hasAgentReply: i % 3 !== 0, upvotesCount: i % 11, duplicatesCount: i % 3, score: (i % 100) / 10, channel: 'WIDGET',
    aiSummary: 'Customer cannot complete checkout.', shareToken: `st${i.toString(36)}`,
    formData: { description: 'cannot pay', pageUrl: `https://shop.example.com/cart/${i}` },
    customData: { plan: i % 2 ? 'pro' : 'free', seats: i % 50 }, metaData: { browser: 'Chrome 120', os: 'macOS' },
    slaBreached: i % 13 === 0, snoozed: false, snoozedUntil: null,
    firstAssignmentAt: new Date(created + 600_000).toISOString(), notificationsUnread: i % 4,
  };
}

const POOL = 4096;
let bodies: Record<string, unknown>[] | undefined;

export function syntheticTicket(i: number): Record<string, unknown> {
  bodies ??= Array.from({ length: POOL }, (_, b) => ticketBody(b));
  const created = BASE + i * 37_000;
  // What makes each ticket unique in real data (ids, texts, times) stays unique here too: with
  // repeated values DuckDB's own read_json runs twice as fast, which real data would not allow.
  return {
    ...bodies[i % POOL], id: hex24(i), bugId: i + 1, title: `Ticket ${i}: checkout button does nothing`,
    description: `Steps: open cart, press pay. Expected payment sheet; got nothing. Case ${i}.`,
    createdAt: new Date(created).toISOString(), updatedAt: new Date(created + 3_600_000).toISOString(),
  };
}
