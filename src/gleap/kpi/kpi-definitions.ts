/**
 * The support KPIs, each defined ONCE, as data. Two engines follow these definitions: the
 * SQL over the synced warehouse tables (measure-sql.ts) and the Gleap emulator's in-memory
 * computation (evaluate-measures.ts). Both must cover every vocabulary word below (the
 * compiler checks it: each engine maps the words with a `Record`), and a test syncs the
 * emulator into DuckDB and demands that the two agree exactly.
 *
 * The shared rules:
 * - A ticket counts unless it is spam (`isSpam`); archived tickets and every type count.
 * - A message counts when its ticket counts. Its role: a `note` is `type` NOTE or `isNote`;
 *   a `bot` message has `bot` set; an `agent` reply is any other message with a sending
 *   agent (`user`); everything else comes from the `customer`.
 * - The first response of a ticket is its earliest agent reply (not a note, not the bot)
 *   created at or after the ticket.
 * - Each measure places an item in a period by one timestamp (`at`): it counts when
 *   start <= at < end (half-open ranges of instants). Durations are whole milliseconds
 *   between two timestamps, reported in seconds with two decimals.
 * - The time zone decides only the calendar: bar-chart buckets (local day / month / year),
 *   the heatmap's local weekday and hour, and the local midnights of date arguments.
 * - `progressValue` compares the period with the one of equal length just before it:
 *   (current - previous) / previous x 100, null when there was nothing before.
 * - Medians interpolate (the mean of the two middle values for an even count); averages
 *   are sum / count. `--team` keeps the tickets of that team (and their messages).
 */
import type { BarChartType, FactType, HeatmapType, ListType } from '../chart-types.ts';

export type MessageRole = 'agent' | 'customer' | 'note' | 'bot';
export type MeasureSource = 'tickets' | 'messages';
/** The timestamp that places an item in a period. Messages only have `createdAt`. */
export type MeasureTime = 'createdAt' | 'closedAt' | 'firstReplyAt';
export type Condition = 'closed' | 'replied' | 'rated' | 'slaBreached' | 'agentReply' | 'customerMessage' | 'notNote';
/** What is aggregated: a count of items, or the median/average of a per-item value. */
export type MeasureValue = 'count' | 'firstResponseMs' | 'timeToCloseMs' | 'rating';
export type Unit = 'count' | 'duration' | 'rating';
export type AggsType = 'MEDIAN' | 'AVERAGE';
export type GroupInterval = 'day' | 'month' | 'year';

export interface Measure {
  source: MeasureSource;
  at: MeasureTime;
  where: readonly Condition[];
  value: MeasureValue;
}

/** Text for each vocabulary word: the documentation both engines implement. */
export const CONDITION_TEXT: Readonly<Record<Condition, string>> = {
  closed: 'the ticket has a closedAt',
  replied: 'the ticket has a first response',
  rated: 'the ticket has a conversationRating (1-5)',
  slaBreached: 'the ticket is marked slaBreached',
  agentReply: 'the message is an agent reply',
  customerMessage: 'the message comes from the customer',
  notNote: 'the message is not an internal note',
};

export const VALUE_TEXT: Readonly<Record<MeasureValue, string>> = {
  count: 'number of items',
  firstResponseMs: 'first response time - createdAt',
  timeToCloseMs: 'closedAt - createdAt',
  rating: 'conversationRating as a number',
};

export const MESSAGE_ROLE_TEXT =
  'note: type NOTE or isNote; bot: bot is true; agent: any other message sent by an agent (user set); customer: the rest';

/** The role of a message, from the fields the API and the warehouse both have. */
export function messageRole(m: { type?: unknown; isNote?: unknown; bot?: unknown; user?: unknown }): MessageRole {
  if (m.type === 'NOTE' || m.isNote === true) return 'note';
  if (m.bot === true) return 'bot';
  if (m.user !== null && m.user !== undefined && m.user !== '') return 'agent';
  return 'customer';
}

export interface KpiDefinition {
  /** Canonical name: the bar-chart name where Gleap has one. */
  id: string;
  title: string;
  unit: Unit;
  /** Its name on /statistics/facts and /statistics/bar-chart (they differ for some). */
  fact?: FactType;
  chart?: BarChartType;
  measure: Measure;
  /** One sentence for people: what is counted, when. */
  definition: string;
}

const ticketCreated: Measure = { source: 'tickets', at: 'createdAt', where: [], value: 'count' };
const ticketClosed: Measure = { source: 'tickets', at: 'closedAt', where: ['closed'], value: 'count' };
const firstResponse: Measure = { source: 'tickets', at: 'firstReplyAt', where: ['replied'], value: 'firstResponseMs' };
const timeToClose: Measure = { source: 'tickets', at: 'closedAt', where: ['closed'], value: 'timeToCloseMs' };
const agentReplies: Measure = { source: 'messages', at: 'createdAt', where: ['agentReply'], value: 'count' };

export const KPIS: readonly KpiDefinition[] = [
  {
    id: 'NEW_TICKETS_COUNT', title: 'New tickets', unit: 'count', fact: 'NEW_TICKETS_COUNT', chart: 'NEW_TICKETS_COUNT',
    measure: ticketCreated,
    definition: 'Tickets (not spam) created in the period.',
  },
  {
    id: 'TICKET_CLOSE_COUNT', title: 'Closed tickets', unit: 'count', fact: 'TICKET_CLOSE_COUNT', chart: 'TICKET_CLOSE_COUNT',
    measure: ticketClosed,
    definition: 'Tickets (not spam) whose closedAt falls in the period, whenever they were created.',
  },
  {
    id: 'MEDIAN_FIRST_RESPONSE_TIME', title: 'Median first response time', unit: 'duration',
    fact: 'MEDIAN_FIRST_RESPONSE_TIME', chart: 'MEDIAN_FIRST_RESPONSE_TIME',
    measure: firstResponse,
    definition: 'Median time from ticket creation to the first agent reply (not a note, not the bot), over first replies sent in the period.',
  },
  {
    id: 'MEDIAN_TIME_TO_CLOSE', title: 'Median time to close', unit: 'duration', fact: 'MEDIAN_TIME_TO_CLOSE', chart: 'MEDIAN_TIME_TO_CLOSE',
    measure: timeToClose,
    definition: 'Median of closedAt - createdAt over tickets closed in the period.',
  },
  {
    id: 'REPLIES_COUNT', title: 'Agent replies', unit: 'count', fact: 'TICKET_REPLIES_COUNT', chart: 'REPLIES_COUNT',
    measure: agentReplies,
    definition: 'Agent replies (messages sent by an agent, not notes, not the bot) created in the period.',
  },
  {
    id: 'MEDIAN_CONVERSATION_RATING', title: 'Median conversation rating', unit: 'rating',
    fact: 'MEDIAN_CONVERSATION_RATING', chart: 'MEDIAN_CONVERSATION_RATING',
    measure: { source: 'tickets', at: 'closedAt', where: ['closed', 'rated'], value: 'rating' },
    definition: 'Median conversationRating (1-5) of rated tickets closed in the period.',
  },
  {
    id: 'SLA_BREACHES_COUNT', title: 'SLA breaches', unit: 'count', fact: 'SLA_BREACHES_COUNT', chart: 'SLA_BREACHES_COUNT',
    measure: { source: 'tickets', at: 'createdAt', where: ['slaBreached'], value: 'count' },
    definition: 'Tickets created in the period that breached their SLA (slaBreached).',
  },
  {
    id: 'MESSAGE_COUNT', title: 'Messages', unit: 'count', fact: 'MESSAGE_COUNT', chart: 'MESSAGE_COUNT',
    measure: { source: 'messages', at: 'createdAt', where: ['notNote'], value: 'count' },
    definition: 'Messages of every sender (customer, agent, bot), internal notes excluded, created in the period.',
  },
];

export interface HeatmapDefinition {
  id: HeatmapType;
  title: string;
  measure: Measure;
  definition: string;
}

export const HEATMAPS: readonly HeatmapDefinition[] = [
  {
    id: 'BUSIEST_HOURS_PER_WEEKDAY', title: 'Busiest hours per weekday', measure: ticketCreated,
    definition: 'New tickets (not spam) by local weekday and hour of their creation, in the requested time zone.',
  },
  {
    id: 'BUSIEST_COMMENTS_PER_WEEKDAY', title: 'Busiest comment hours per weekday',
    measure: { source: 'messages', at: 'createdAt', where: ['customerMessage'], value: 'count' },
    definition: 'Customer messages by local weekday and hour, in the requested time zone: when people write in.',
  },
];

export interface ListColumn {
  key: string;
  title: string;
  unit: Unit;
  measure: Measure;
}

export interface ListDefinition {
  id: ListType;
  title: string;
  /** Rows are per agent: tickets by `processingUser`, messages by their sender `user`. */
  groupBy: 'agent';
  /** The cell that names the row (an agent reference). */
  refKey: string;
  columns: readonly ListColumn[];
  /** Rows sort on these keys, descending, then on the agent id. */
  sortBy: readonly string[];
  definition: string;
}

export const LISTS: readonly ListDefinition[] = [
  {
    id: 'TEAM_PERFORMANCE_LIST', title: 'Team performance', groupBy: 'agent', refKey: 'processingUserREF',
    columns: [
      { key: 'totalCountForUser', title: 'Assigned', unit: 'count', measure: ticketCreated },
      { key: 'commentCount', title: 'Replies', unit: 'count', measure: agentReplies },
      { key: 'rawClosed', title: 'Closed', unit: 'count', measure: ticketClosed },
      { key: 'medianFirstResponseTime', title: 'Median first response', unit: 'duration', measure: firstResponse },
      { key: 'medianTimeToClose', title: 'Median time to close', unit: 'duration', measure: timeToClose },
    ],
    sortBy: ['totalCountForUser', 'commentCount'],
    definition:
      'Per agent: tickets assigned to them (processingUser) created in the period, their replies sent in the period, ' +
      'their tickets closed in the period, and the medians of first response and time to close of their tickets. ' +
      'Agents with nothing in the period are left out.',
  },
];

/**
 * `useWorkingHours`: durations count only time inside working hours, Monday to Friday
 * 09:00-17:00 local time in the requested time zone (the same window for every team).
 */
export const WORKING_HOURS = Object.freeze({ isoWeekdays: [1, 2, 3, 4, 5] as readonly number[], startHour: 9, endHour: 17 });
export const WORKING_HOURS_TEXT = 'durations count only Monday-Friday 09:00-17:00 in the requested time zone';

export const findKpi = (endpoint: 'fact' | 'chart', chartType: string): KpiDefinition | undefined =>
  KPIS.find((k) => k[endpoint] === chartType);
export const findHeatmap = (chartType: string): HeatmapDefinition | undefined => HEATMAPS.find((h) => h.id === chartType);
export const findList = (chartType: string): ListDefinition | undefined => LISTS.find((l) => l.id === chartType);

/** The display unit of any chartType: from the definitions, else guessed from its name. */
export function unitOfChartType(chartType: string): Unit | 'percent' {
  const kpi = KPIS.find((k) => k.fact === chartType || k.chart === chartType || k.id === chartType);
  if (kpi) return kpi.unit;
  if (/_COUNT(_BY_DATE)?$/.test(chartType)) return 'count';
  if (/(_TIME|DURATION)$|_TIME_/.test(chartType)) return 'duration';
  if (/RATING/.test(chartType)) return 'rating';
  if (/(_RATE|PERCENTAGE|COMPLIANCE)/.test(chartType)) return 'percent';
  return 'count';
}
