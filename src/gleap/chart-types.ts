/**
 * The chartType vocabularies of Gleap's statistics endpoints, as the OpenAPI document
 * declares them (components FactTypes, BarChartStatisticTypes, StatisticListTypes,
 * HeatmapTypes). Runtime code needs the values, which a generated `.d.ts` cannot give, so
 * they are listed here and the compiler checks that each list equals the generated enum:
 * regenerate the types from a newer document and `tsc` points at any drift. A test also
 * compares them with the YAML itself.
 */
import { editDistance } from '../core/edit-distance.ts';
import { UsageError } from '../core/errors.ts';
import type { components } from './openapi/gleap-api.d.ts';

export const FACT_TYPES = [
  'MEDIAN_FIRST_RESPONSE_TIME', 'MEDIAN_TIME_TO_CLOSE', 'TICKET_CLOSE_COUNT', 'MEDIAN_CONVERSATION_RATING',
  'TICKET_MEDIAN_REPLY_TIME', 'MEDIAN_FIRST_ASSIGNMENT_TIME', 'NEW_TICKETS_COUNT', 'TICKET_COUNT_BY_QUERY',
  'TICKET_REPLIES_COUNT', 'TICKET_WORKED_ON_COUNT', 'TICKETS_WITH_OTHER_STATUS_THEN_OPEN_OR_CLOSED_COUNT',
  'HELP_CENTER_ARTICLE_VIEW_COUNT', 'NEWS_VIEW_COUNT', 'CHANGELOG_VIEW_COUNT', 'KAI_ANSWERED_COUNT',
  'KAI_NO_ANSWER_COUNT', 'KAI_ROUTED_TO_AGENT_RATE_COUNT', 'KAI_DEFLECTION_RATE', 'KAI_DEFLECTION_RATE_UNIQUE_USERS',
  'KAI_ROUTED_TO_AGENT_RATE_UNIQUE_USERS', 'KAI_ROUTED_TO_AGENT_RATE', 'KAI_POSITIVE_FEEDBACK_RATE',
  'KAI_NEGATIVE_FEEDBACK_RATE', 'KAI_POSITIVE_FEEDBACK_PERCENTAGE', 'SNAPSHOT_AGENTS_ONLINE_COUNT',
  'SNAPSHOT_OPEN_TICKETS', 'MESSAGE_COUNT', 'AI_QUESTIONS_ASKED_COUNT', 'SLA_BREACHES_COUNT', 'SLA_COMPLIANCE',
  'SLA_NOT_COMPLIANCE', 'SLA_NO_BREACHES_COUNT', 'TICKETS_WITHOUT_COMMENTS_RATE', 'KAI_DEFLECTION_COUNT',
  'KAI_ROUTED_TO_AGENT_COUNT', 'WIDGET_OPENED_COUNT', 'HOME_MENU_CLICK_COUNT', 'CONVERSATION_STARTED_COUNT',
] as const;

export const BAR_CHART_TYPES = [
  'NEW_TICKETS_COUNT', 'TICKET_CLOSE_COUNT', 'REPLIES_COUNT', 'MEDIAN_FIRST_RESPONSE_TIME', 'MEDIAN_TIME_TO_CLOSE',
  'MEDIAN_REPLY_TIME', 'MEDIAN_CONVERSATION_RATING', 'MEDIAN_REASSIGNMENT_COUNT', 'MEDIAN_TIME_TO_FIRST_ASSIGNMENT',
  'HELP_CENTER_ARTICLE_VIEW_COUNT', 'NEWS_VIEW_COUNT', 'CHANGELOG_VIEW_COUNT', 'KAI_INVOLVED', 'MESSAGE_COUNT',
  'AI_QUESTIONS_ASKED_COUNT', 'CUSTOMER_SUPPORT_REQUESTED', 'SLA_BREACHES_COUNT', 'SLA_STARTED_COUNT',
  'TICKET_CREATION_GROUPED_BY_DATE_AND_TAGS', 'AI_RATING_GROUPED_BY_DATE', 'WIDGET_OPENED_COUNT_BY_DATE',
  'HOME_MENU_CLICK_COUNT_BY_DATE', 'CONVERSATION_STARTED_COUNT_BY_DATE',
] as const;

export const LIST_TYPES = [
  'AVERAGE_RATING_PER_USER_RESULT_LIST', 'TEAM_PERFORMANCE_LIST', 'ARTICLE_SEARCH_RESULT_LIST',
  'ARTICLE_SEARCH_WITH_NO_RESULT_LIST', 'ARTICLE_VIEW_STATISTICS_LIST', 'TICKETS_WITH_RATING_LIST', 'LIVE_AGENTS_TEAM',
  'SNAPSHOT_TICKETS', 'OPEN_TICKETS_PER_AGENT', 'LATEST_NEGATIVE_AI_FEEDBACK', 'SLA_REPORTS_LIST', 'HOME_MENU_CLICKS_LIST',
] as const;

export const HEATMAP_TYPES = ['BUSIEST_HOURS_PER_WEEKDAY', 'BUSIEST_COMMENTS_PER_WEEKDAY'] as const;

export type FactType = (typeof FACT_TYPES)[number];
export type BarChartType = (typeof BAR_CHART_TYPES)[number];
export type ListType = (typeof LIST_TYPES)[number];
export type HeatmapType = (typeof HEATMAP_TYPES)[number];

// Compile-time: each list is exactly the generated enum (no member missing, none invented).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type ChartTypeListsMatchTheSpec = [
  Assert<Same<FactType, components['schemas']['FactTypes']>>,
  Assert<Same<BarChartType, components['schemas']['BarChartStatisticTypes']>>,
  Assert<Same<ListType, components['schemas']['StatisticListTypes']>>,
  Assert<Same<HeatmapType, components['schemas']['HeatmapTypes']>>,
];

export type StatisticsEndpoint = 'fact' | 'chart' | 'list' | 'heatmap';

export interface EndpointInfo {
  endpoint: StatisticsEndpoint;
  /** Path under the API's base URL. */
  path: string;
  /** The OpenAPI component that lists the valid chart types. */
  schema: string;
  title: string;
  types: readonly string[];
}

export const STATISTICS_ENDPOINTS: Readonly<Record<StatisticsEndpoint, EndpointInfo>> = {
  fact: { endpoint: 'fact', path: '/statistics/facts', schema: 'FactTypes', title: 'single KPIs', types: FACT_TYPES },
  chart: { endpoint: 'chart', path: '/statistics/bar-chart', schema: 'BarChartStatisticTypes', title: 'time series', types: BAR_CHART_TYPES },
  list: { endpoint: 'list', path: '/statistics/lists', schema: 'StatisticListTypes', title: 'tables', types: LIST_TYPES },
  heatmap: { endpoint: 'heatmap', path: '/statistics/heatmap', schema: 'HeatmapTypes', title: 'weekday x hour', types: HEATMAP_TYPES },
};

/** The closest valid names (by edit distance, then containment), best first. */
export function suggestChartTypes(input: string, valid: readonly string[], max = 3): string[] {
  const wanted = input.toUpperCase().replace(/[\s-]+/g, '_');
  const scored = valid.map((name) => {
    const d = editDistance(wanted, name);
    const contains = name.includes(wanted) || wanted.includes(name);
    return { name, score: contains ? Math.min(d, 2) : d };
  });
  const limit = Math.max(3, Math.ceil(wanted.length * 0.4));
  const close = scored.filter((s) => s.score <= limit).sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  // Only the names nearly as close as the best one: one good hint beats three vague ones.
  const best = close[0]?.score ?? 0;
  return close.filter((s) => s.score <= best + 1).slice(0, max).map((s) => s.name);
}

/**
 * `input` as a valid chartType of `endpoint` (case and dashes forgiven), or a UsageError
 * with the closest names, a hint when the name belongs to another endpoint, and where to
 * find the full list.
 */
export function requireChartType(endpoint: StatisticsEndpoint, input: string): string {
  const info = STATISTICS_ENDPOINTS[endpoint];
  const normalized = input.trim().toUpperCase().replace(/[\s-]+/g, '_');
  if (info.types.includes(normalized)) return normalized;
  const hints: string[] = [];
  const suggestions = suggestChartTypes(normalized, info.types);
  if (suggestions.length) hints.push(`did you mean ${suggestions.join(', ')}?`);
  const elsewhere = (Object.keys(STATISTICS_ENDPOINTS) as StatisticsEndpoint[]).filter(
    (e) => e !== endpoint && STATISTICS_ENDPOINTS[e].types.includes(normalized),
  );
  if (elsewhere.length) hints.push(`${normalized} is a ${elsewhere.map((e) => `\`stats ${e}\``).join(' / ')} type`);
  hints.push(`\`supportsync stats types --endpoint ${endpoint}\` lists all ${info.types.length}`);
  throw new UsageError(`unknown ${endpoint} chartType "${input}" (${info.schema} in Gleap's API): ${hints.join('; ')}`);
}
