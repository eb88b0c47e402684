/**
 * Opens whichever side answers statistics: Gleap's API with the credentials of
 * resolve-gleap-connection.ts, or the warehouse of `--config` / `--warehouse PATH` with
 * the tables the config's Gleap source syncs into (or, with only a file, its latest runs).
 */
import { loadWarehouseConfig } from '../../config/load-config.ts';
import { UsageError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { openExistingWarehouse } from '../../warehouse/open-warehouse.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { GleapApiClient } from '../gleap-api-client.ts';
import { createGleapApiClient } from '../gleap-api-client.ts';
import { kpiTablesFromEntry, kpiTablesFromRuns, verifyKpiTables } from '../kpi/kpi-tables.ts';
import { createWarehouseStatistics } from '../kpi/warehouse-statistics.ts';
import type { GleapSelection, ResolvedGleap } from '../resolve-gleap-connection.ts';
import { pickGleapEntry, resolveGleapConnection } from '../resolve-gleap-connection.ts';
import { createApiStatistics } from './api-statistics.ts';
import type { StatisticsProvider } from './statistics-provider.ts';

export interface OpenedApi {
  provider: StatisticsProvider;
  client: GleapApiClient;
  resolved: ResolvedGleap;
}

export function openApiClient(selection: GleapSelection, log?: Logger, env: NodeJS.ProcessEnv = process.env): { client: GleapApiClient; resolved: ResolvedGleap } {
  const resolved = resolveGleapConnection(selection, env);
  const client = createGleapApiClient({ ...resolved.connection, settingNames: resolved.settingNames, log });
  return { client, resolved };
}

export function openApiStatistics(selection: GleapSelection, log?: Logger, env: NodeJS.ProcessEnv = process.env): OpenedApi {
  const { client, resolved } = openApiClient(selection, log, env);
  const where = resolved.connection.baseUrl ?? 'https://api.gleap.io/v3';
  return { provider: createApiStatistics(client, `Gleap API (project ${resolved.connection.projectId}, ${where})`), client, resolved };
}

export interface OpenedWarehouse {
  provider: StatisticsProvider;
  warehouse: Warehouse;
  close(): Promise<void>;
}

export async function openWarehouseStatistics(selection: GleapSelection & { warehouse?: string }): Promise<OpenedWarehouse> {
  if (!selection.config && !selection.warehouse) {
    throw new UsageError('--from-warehouse needs --config FILE (its warehouse) or --warehouse PATH (a DuckDB file)');
  }
  let warehouse: Warehouse;
  let entry;
  if (selection.warehouse) {
    warehouse = await openExistingWarehouse({ type: 'duckdb', path: selection.warehouse }, process.cwd(), '--warehouse');
  } else {
    // Only the warehouse and the tables' placement: no Gleap credentials are needed here.
    const view = loadWarehouseConfig(selection.config!);
    const hasGleap = view.sources.some((e) => e.type === 'gleap');
    entry = hasGleap || selection.source ? view.sources[pickGleapEntry(view.sources, selection.source)] : undefined;
    warehouse = await openExistingWarehouse(view.warehouse, view.baseDir, 'warehouse.path');
  }
  try {
    const tables = await verifyKpiTables(warehouse, entry ? kpiTablesFromEntry(warehouse, entry) : await kpiTablesFromRuns(warehouse, selection.source));
    return {
      provider: createWarehouseStatistics(warehouse, tables, `warehouse (${tables.tickets}, ${tables.messages})`),
      warehouse,
      close: () => warehouse.close(),
    };
  } catch (err) {
    await warehouse.close();
    throw err;
  }
}
