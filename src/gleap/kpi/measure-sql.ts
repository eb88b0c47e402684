/**
 * The SQL KPI engine: kpi-definitions.ts as one SELECT over the synced tables (tickets,
 * messages). It mirrors evaluate-measures.ts step by step, in the dialect DuckDB speaks
 * (ICU time zones: `timezone(tz, ts)`): counted tickets -> messages of counted tickets ->
 * first replies -> filter -> place in periods (FILTER clauses, one per period) -> group ->
 * aggregate. Times are compared as epoch milliseconds, exactly as the emulator does.
 */
import type { AggregationRequest, AggregationResult } from './aggregation.ts';
import { average, TOTAL_KEY } from './aggregation.ts';
import type { Condition, MeasureTime, MeasureValue } from './kpi-definitions.ts';
import { WORKING_HOURS } from './kpi-definitions.ts';

/** Quoted, qualified names of the synced tables, e.g. `"raw"."gleap__tickets"`. */
export interface KpiTables {
  tickets: string;
  messages: string;
  /** For agent names in lists; optional. */
  agents?: string;
}

/** A SQL string literal. */
export const sqlString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

const ROLE_SQL = `case
      when m.type = 'NOTE' or coalesce(m.isNote, false) then 'note'
      when coalesce(m.bot, false) then 'bot'
      when m."user" is not null and m."user" <> '' then 'agent'
      else 'customer' end`;

/** Counted tickets, their messages and first replies, as one `items` relation per source. */
function baseSql(tables: KpiTables, source: 'tickets' | 'messages'): string {
  const tickets = `tickets as (
    select id, createdAt as created_at, closedAt as closed_at, processingTeam as team, processingUser as agent,
      try_cast(conversationRating as double) as rating, coalesce(slaBreached, false) as sla_breached
    from ${tables.tickets}
    where not coalesce(isSpam, false)
  )`;
  const messages = `messages as (
    select m.ticket, m.createdAt as created_at, ${ROLE_SQL} as role, m."user" as agent, t.team, t.created_at as ticket_created_at
    from ${tables.messages} m join tickets t on t.id = m.ticket
  )`;
  if (source === 'messages') {
    return `with ${tickets}, ${messages}, items as (
    select created_at, null::timestamptz as closed_at, null::timestamptz as first_reply_at, team, agent,
      null::double as rating, false as sla_breached, role
    from messages
  )`;
  }
  return `with ${tickets}, ${messages}, first_replies as (
    select ticket, min(created_at) as first_reply_at from messages
    where role = 'agent' and epoch_ms(created_at) >= epoch_ms(ticket_created_at) group by ticket
  ), items as (
    select t.created_at, t.closed_at, f.first_reply_at, t.team, t.agent, t.rating, t.sla_breached, null::varchar as role
    from tickets t left join first_replies f on f.ticket = t.id
  )`;
}

const AT: Readonly<Record<MeasureTime, string>> = {
  createdAt: 'created_at',
  closedAt: 'closed_at',
  firstReplyAt: 'first_reply_at',
};

const CONDITIONS: Readonly<Record<Condition, string>> = {
  closed: 'closed_at is not null',
  replied: 'first_reply_at is not null',
  rated: 'rating is not null',
  slaBreached: 'sla_breached',
  agentReply: `role = 'agent'`,
  customerMessage: `role = 'customer'`,
  notNote: `role is not null and role <> 'note'`,
};

/** Working milliseconds between two timestamp expressions (see working-hours.ts). */
function workingSql(from: string, to: string, tz: string): string {
  const z = sqlString(tz);
  const days = WORKING_HOURS.isoWeekdays.join(', ');
  return `(select coalesce(sum(greatest(0,
      least(epoch_ms(${to}), epoch_ms(timezone(${z}, d + interval ${WORKING_HOURS.endHour} hour)))
      - greatest(epoch_ms(${from}), epoch_ms(timezone(${z}, d + interval ${WORKING_HOURS.startHour} hour))))), 0)
    from (select unnest(generate_series(cast(timezone(${z}, ${from}) as date), cast(timezone(${z}, ${to}) as date), interval 1 day)) as d)
    where isodow(d) in (${days}))`;
}

const span = (from: string, to: string, req: AggregationRequest) =>
  req.workingHours ? workingSql(from, to, req.timeZone) : `(epoch_ms(${to}) - epoch_ms(${from}))`;

const VALUES: Readonly<Record<MeasureValue, (req: AggregationRequest) => string>> = {
  count: () => '1',
  firstResponseMs: (req) => span('created_at', 'first_reply_at', req),
  timeToCloseMs: (req) => span('created_at', 'closed_at', req),
  rating: () => 'rating',
};

function keySql(req: AggregationRequest, at: string): string {
  const local = `timezone(${sqlString(req.timeZone)}, ${at})`;
  switch (req.grouping.kind) {
    case 'total': return sqlString(TOTAL_KEY);
    case 'agent': return 'agent';
    case 'bucket': {
      const format = { day: '%Y-%m-%d', month: '%Y-%m', year: '%Y' }[req.grouping.interval];
      return `strftime(${local}, ${sqlString(format)})`;
    }
    case 'weekday-hour': return `concat(isodow(${local}), '-', hour(${local}))`;
  }
}

/** The SELECT answering `req`: one row per group, columns `k` and per period r `c<r>` / `m<r>` / `s<r>`,`n<r>`. */
export function aggregationSql(tables: KpiTables, req: AggregationRequest): string {
  const { measure } = req;
  const at = AT[measure.at];
  const where = [`${at} is not null`, ...measure.where.map((c) => CONDITIONS[c])];
  if (req.team !== undefined) where.push(`team = ${sqlString(req.team)}`);
  const bounds = req.ranges.map((r) => [r.start.getTime(), r.end.getTime()] as const);
  const inRange = (r: number) => `at_ms >= ${bounds[r]![0]} and at_ms < ${bounds[r]![1]}`;
  const aggregates = bounds.map((_, r) => {
    if (measure.value === 'count') return `count(*) filter (where ${inRange(r)}) as c${r}`;
    if (req.aggs === 'AVERAGE') {
      return `cast(sum(v) filter (where ${inRange(r)}) as double) as s${r}, count(v) filter (where ${inRange(r)}) as n${r}`;
    }
    return `quantile_cont(v::double, 0.5) filter (where ${inRange(r)} and v is not null) as m${r}`;
  });
  const lowest = Math.min(...bounds.map((b) => b[0]));
  const highest = Math.max(...bounds.map((b) => b[1]));
  return `${baseSql(tables, measure.source)}
select k, ${aggregates.join(', ')}
from (
  select ${keySql(req, at)} as k, epoch_ms(${at}) as at_ms, ${VALUES[measure.value](req)} as v
  from items
  where ${where.join(' and ')}
)
where k is not null and at_ms >= ${lowest} and at_ms < ${highest}
group by k
order by k`;
}

/** The query's rows as an AggregationResult (groups with nothing in any period are dropped). */
export function readAggregation(rows: readonly Record<string, unknown>[], req: AggregationRequest): AggregationResult {
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  const result: AggregationResult = new Map();
  for (const row of rows) {
    const values = req.ranges.map((_, r) => {
      if (req.measure.value === 'count') return num(row[`c${r}`]) ?? 0;
      if (req.aggs === 'AVERAGE') return average(num(row[`s${r}`]) ?? 0, num(row[`n${r}`]) ?? 0);
      return num(row[`m${r}`]);
    });
    const empty = req.measure.value === 'count' ? values.every((v) => v === 0) : values.every((v) => v === null);
    if (!empty) result.set(String(row.k), values);
  }
  return result;
}
