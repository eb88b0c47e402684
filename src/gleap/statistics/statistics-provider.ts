/**
 * Who answers a statistics question: Gleap's API or the synced warehouse. The CLI and the
 * reconciliation use either through this interface and render the same results.
 */
import type { StatisticsEndpoint } from '../chart-types.ts';
import type { StatisticsQuery } from './statistics-query.ts';
import type { ChartResult, FactResult, HeatmapResult, ListResult } from './statistics-results.ts';

export interface StatisticsProvider {
  readonly kind: 'api' | 'warehouse';
  /** Where the numbers come from, for people ("Gleap API (project p1)", "warehouse raw.gleap__tickets"). */
  readonly description: string;
  /** Whether this provider can answer `chartType` on `endpoint`. */
  supports(endpoint: StatisticsEndpoint, chartType: string): boolean;
  fact(q: StatisticsQuery): Promise<FactResult>;
  chart(q: StatisticsQuery): Promise<ChartResult>;
  list(q: StatisticsQuery): Promise<ListResult>;
  heatmap(q: StatisticsQuery): Promise<HeatmapResult>;
}
