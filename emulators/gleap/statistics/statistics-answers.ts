/**
 * What the emulator answers on /statistics: the KPIs of src/gleap/kpi/kpi-definitions.ts,
 * computed from the store by the shared in-memory engine (so a warehouse synced from this
 * emulator reconciles exactly), a few snapshots, and for chart types the emulator has no
 * data for (help center views, widget opens, ...) a well-formed answer of zeros.
 */
import { aggregateInMemory } from '../../../src/gleap/kpi/evaluate-measures.ts';
import { findHeatmap, findKpi, findList } from '../../../src/gleap/kpi/kpi-definitions.ts';
import type { AgentRef, BarChartResponse, FactResponse, HeatmapResponse, ListResponse } from '../../../src/gleap/kpi/kpi-responses.ts';
import {
  chartRequest, chartResponse, factRequest, factResponse, heatmapRequest, heatmapResponse, listRequests, listResponse,
} from '../../../src/gleap/kpi/kpi-responses.ts';
import { bucketLabels } from '../../../src/gleap/kpi/aggregation.ts';
import type { StatisticsQuery } from '../../../src/gleap/statistics/statistics-query.ts';
import { TICKET_TYPES } from '../data/vocabulary.ts';
import type { GleapStore } from '../store/gleap-store.ts';
import { kpiDataOf } from './kpi-data.ts';

/** `HELP_CENTER_ARTICLE_VIEW_COUNT` -> "Help center article view count". */
export function titleOf(chartType: string): string {
  const words = chartType.toLowerCase().split('_').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function openTickets(store: GleapStore): { byType: Map<string, { open: number; closed: number }>; open: number } {
  const t = store.tickets;
  const c = t.cols;
  const byType = new Map<string, { open: number; closed: number }>(TICKET_TYPES.map((type) => [type, { open: 0, closed: 0 }]));
  let open = 0;
  for (let i = 0; i < t.size; i++) {
    if (!t.alive[i] || c.isSpam[i]) continue;
    const entry = byType.get(TICKET_TYPES[c.type[i]!]!)!;
    if (Number.isNaN(c.closedAt[i]!)) {
      entry.open++;
      open++;
    } else entry.closed++;
  }
  return { byType, open };
}

export function answerFact(store: GleapStore, q: StatisticsQuery): FactResponse {
  const def = findKpi('fact', q.chartType);
  if (def) return factResponse(def, aggregateInMemory(kpiDataOf(store), factRequest(def, q)));
  if (q.chartType === 'SNAPSHOT_OPEN_TICKETS') {
    const { open } = openTickets(store);
    return { title: 'Open tickets', value: open, rawValue: open, valueUnit: '', progressValue: null };
  }
  return { title: titleOf(q.chartType), value: 0, rawValue: 0, valueUnit: '', progressValue: null };
}

export function answerChart(store: GleapStore, q: StatisticsQuery): BarChartResponse {
  const def = findKpi('chart', q.chartType);
  if (def) return chartResponse(def, q, aggregateInMemory(kpiDataOf(store), chartRequest(def, q)));
  const title = titleOf(q.chartType);
  const data = bucketLabels(q.range, q.groupInterval ?? 'day', q.timeZone).map((label) => ({ label, value: 0 }));
  return { title, dataSets: [{ label: title, data }] };
}

export function answerHeatmap(store: GleapStore, q: StatisticsQuery): HeatmapResponse {
  const def = findHeatmap(q.chartType)!;
  return heatmapResponse(def, aggregateInMemory(kpiDataOf(store), heatmapRequest(def, q)));
}

function agentRefs(store: GleapStore): Map<string, AgentRef> {
  const refs = new Map<string, AgentRef>();
  const a = store.agents;
  for (let i = 0; i < a.size; i++) {
    if (!a.alive[i]) continue;
    const doc = a.materialize(i);
    const id = String(doc.id);
    refs.set(id, { id, firstName: doc.firstName as string, lastName: doc.lastName as string, email: doc.email as string });
  }
  return refs;
}

export function answerList(store: GleapStore, q: StatisticsQuery): ListResponse {
  const def = findList(q.chartType);
  if (def) {
    const data = kpiDataOf(store);
    return listResponse(def, q, listRequests(def, q).map((r) => aggregateInMemory(data, r)), agentRefs(store));
  }
  if (q.chartType === 'SNAPSHOT_TICKETS') {
    const rows = [...openTickets(store).byType].map(([type, n]) => ({ type, openCount: n.open, closedCount: n.closed }));
    return {
      title: 'Tickets by type',
      columns: [{ key: 'type', title: 'Type' }, { key: 'openCount', title: 'Open' }, { key: 'closedCount', title: 'Closed' }],
      data: rows,
      totalCount: rows.length,
    };
  }
  return { title: titleOf(q.chartType), columns: [], data: [], totalCount: 0 };
}
