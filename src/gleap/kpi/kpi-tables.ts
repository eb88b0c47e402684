/**
 * Where the synced Gleap tables are in a warehouse: from a config's source entry (the
 * same placement `sync` uses), or, with only a warehouse file, from its latest run of a
 * Gleap source. Then a cheap probe, so a missing table is a clear message, not a SQL error.
 */
import type { SourceEntry } from '../../config/config-schema.ts';
import { SupportSyncError } from '../../core/errors.ts';
import { planStreams } from '../../engine/stream-plan.ts';
import { gleapStreams } from '../../sources/gleap/gleap-streams.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { KpiTables } from './measure-sql.ts';

export class MissingTablesError extends SupportSyncError {
  constructor(message: string) {
    super(message, { code: 'KPI_TABLES_MISSING', phase: 'load' });
  }
}

export function kpiTablesFromEntry(wh: Warehouse, entry: SourceEntry): KpiTables {
  // The same placement `sync` computes (layer, folder, prefix, per-stream table names).
  const planned = planStreams(entry, gleapStreams, { only: ['tickets', 'messages', 'agents'] });
  const table = (name: string) => wh.qualifiedName(planned.find((p) => p.stream.name === name)!.placement);
  return { tickets: table('tickets'), messages: table('messages'), agents: table('agents') };
}

export async function kpiTablesFromRuns(wh: Warehouse, source?: string): Promise<KpiTables> {
  const runs = await wh.listRuns({ source, limit: 200 });
  const latest = (stream: string) => runs.find((r) => r.streams[stream]?.status === 'succeeded')?.streams[stream]?.table;
  const tickets = latest('tickets');
  const messages = latest('messages');
  if (!tickets || !messages) {
    throw new MissingTablesError(
      `the warehouse has no successful sync of Gleap tickets and messages${source ? ` for source "${source}"` : ''}: ` +
        'run `supportsync sync --config FILE --streams tickets,messages,agents` first, or pass --config to name the tables',
    );
  }
  return { tickets, messages, agents: latest('agents') };
}

async function exists(wh: Warehouse, table: string): Promise<boolean> {
  try {
    await wh.query(`select 1 from ${table} limit 0`);
    return true;
  } catch {
    return false;
  }
}

/** Checks the tables exist; an absent agents table is dropped (lists then show agent ids). */
export async function verifyKpiTables(wh: Warehouse, tables: KpiTables): Promise<KpiTables> {
  for (const key of ['tickets', 'messages'] as const) {
    if (!(await exists(wh, tables[key]))) {
      throw new MissingTablesError(
        `the warehouse has no table ${tables[key]} (Gleap ${key}): sync it first with \`supportsync sync --config FILE --streams tickets,messages,agents\``,
      );
    }
  }
  return tables.agents && (await exists(wh, tables.agents)) ? tables : { tickets: tables.tickets, messages: tables.messages };
}
