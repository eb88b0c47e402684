/** Statistics answered by Gleap's API (or the emulator): every chartType of the spec. */
import type { StatisticsEndpoint } from '../chart-types.ts';
import { STATISTICS_ENDPOINTS } from '../chart-types.ts';
import type { GleapApiClient } from '../gleap-api-client.ts';
import type { StatisticsProvider } from './statistics-provider.ts';
import type { StatisticsQuery } from './statistics-query.ts';
import { requireWithinApiLimits } from './statistics-query.ts';

export function createApiStatistics(client: GleapApiClient, description: string): StatisticsProvider {
  const checked = (q: StatisticsQuery) => {
    requireWithinApiLimits(q);
    return q;
  };
  return {
    kind: 'api',
    description,
    supports: (endpoint: StatisticsEndpoint, chartType: string) => STATISTICS_ENDPOINTS[endpoint].types.includes(chartType),
    fact: (q) => client.statistics.fact(checked(q)),
    chart: (q) => client.statistics.chart(checked(q)),
    list: (q) => client.statistics.list(checked(q)),
    heatmap: (q) => client.statistics.heatmap(checked(q)),
  };
}
