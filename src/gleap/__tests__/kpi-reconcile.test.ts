/**
 * The KPI definitions, held to their promise: the emulator computes its statistics in
 * memory, the warehouse with SQL over what the real sync engine loaded from that emulator,
 * and the two agree EXACTLY, for several periods, time zones, a team filter, working
 * hours and averages, and again after the data changed and an incremental sync ran.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startGleapEmulator, type GleapEmulator } from '../../../emulators/gleap/gleap-emulator.ts';
import { sourceEntrySchema } from '../../config/config-schema.ts';
import type { ResolvedSource } from '../../config/load-config.ts';
import { runSync } from '../../engine/sync-run.ts';
import { gleapConfigSchema, gleapSource } from '../../sources/gleap/gleap-source.ts';
import { openDuckDbWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { createGleapApiClient } from '../gleap-api-client.ts';
import { KPIS } from '../kpi/kpi-definitions.ts';
import { kpiTablesFromEntry, kpiTablesFromRuns, verifyKpiTables } from '../kpi/kpi-tables.ts';
import { reconcile, type ReconcileReport } from '../kpi/reconcile.ts';
import { createWarehouseStatistics } from '../kpi/warehouse-statistics.ts';
import { createApiStatistics } from '../statistics/api-statistics.ts';
import type { StatisticsProvider } from '../statistics/statistics-provider.ts';
import type { StatisticsQuery } from '../statistics/statistics-query.ts';
import { parseTimeRange } from '../statistics/time-range.ts';

const NOW = new Date('2026-04-10T12:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'ss-kpi-'));
let emulator: GleapEmulator;
let wh: Warehouse;
let source: ResolvedSource;
let api: StatisticsProvider;
let warehouse: StatisticsProvider;

const sync = async () => {
  const run = await runSync({ warehouse: wh, source });
  assert.equal(run.status, 'succeeded', run.error);
  return run;
};

const explain = (report: ReconcileReport) =>
  report.rows.filter((r) => !r.ok).map((r) => `${r.kpi}: api ${r.api} vs warehouse ${r.warehouse} ${JSON.stringify(r.examples ?? [])}`).join('\n');

before(async () => {
  emulator = await startGleapEmulator({ scale: 600, seed: 21, now: NOW, rateLimit: null });
  const config = gleapConfigSchema.parse({ apiKey: 'test-api-key', projectId: 'test-project', baseUrl: `${emulator.url}/v3`, startDate: '2020-01-01T00:00:00Z' });
  const entry = sourceEntrySchema.parse({ name: 'gleap', type: 'gleap', config, folder: 'gleap', streams: ['tickets', 'messages', 'agents', 'teams'] });
  source = { entry, source: gleapSource, config };
  wh = await openDuckDbWarehouse(join(dir, 'kpi.duckdb'));
  await sync();
  api = createApiStatistics(createGleapApiClient({ apiKey: 'test-api-key', projectId: 'test-project', baseUrl: `${emulator.url}/v3` }), 'emulator');
  warehouse = createWarehouseStatistics(wh, await verifyKpiTables(wh, kpiTablesFromEntry(wh, entry)));
});
after(async () => {
  await wh.close();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('warehouse KPIs reconcile exactly with the emulator\'s API', () => {
  const cases: [string, Omit<StatisticsQuery, 'chartType'>][] = [
    ['last 30 days, Paris', { range: parseTimeRange({ last: '30d' }, 'Europe/Paris', NOW), timeZone: 'Europe/Paris' }],
    ['a quarter in New York, working hours', { range: parseTimeRange({ from: '2026-01-01', to: '2026-03-31' }, 'America/New_York', NOW), timeZone: 'America/New_York', useWorkingHours: true }],
    ['ten months in Kolkata, averages', { range: parseTimeRange({ from: '2025-06-01', to: '2026-04-10' }, 'Asia/Kolkata', NOW), timeZone: 'Asia/Kolkata', aggs: 'AVERAGE' }],
    ['a DST week in Sydney', { range: parseTimeRange({ from: '2025-10-01', to: '2025-10-08' }, 'Australia/Sydney', NOW), timeZone: 'Australia/Sydney' }],
  ];
  for (const [name, base] of cases) {
    test(name, async () => {
      const report = await reconcile(api, warehouse, base, 0);
      assert.ok(report.ok, explain(report));
      const newTickets = report.rows.find((r) => r.kpi === 'NEW_TICKETS_COUNT')!;
      assert.ok(newTickets.api! > 0, `the period has tickets (${newTickets.api})`);
      assert.ok(report.rows.find((r) => r.kpi === 'MEDIAN_FIRST_RESPONSE_TIME')!.api! > 0, 'and first responses');
    });
  }

  test('a team filter', async () => {
    const [team] = await createGleapApiClient({ apiKey: 'test-api-key', projectId: 'test-project', baseUrl: `${emulator.url}/v3` }).teams.list();
    const base = { range: parseTimeRange({ last: '30d' }, 'UTC', NOW), timeZone: 'UTC' };
    const all = await reconcile(api, warehouse, base, 0);
    const one = await reconcile(api, warehouse, { ...base, team: team!.id }, 0);
    assert.ok(one.ok, explain(one));
    const n = (r: ReconcileReport) => r.rows.find((x) => x.kpi === 'NEW_TICKETS_COUNT')!.api!;
    assert.ok(n(one) > 0 && n(one) < n(all), `the team has some of the tickets (${n(one)} of ${n(all)})`);
  });

  test('bar charts agree bucket by bucket, by day and by month', async () => {
    for (const groupInterval of ['day', 'month'] as const) {
      const base = { range: parseTimeRange({ from: '2025-12-15', to: '2026-02-14' }, 'Europe/Berlin', NOW), timeZone: 'Europe/Berlin', groupInterval };
      for (const kpi of KPIS) {
        const q = { ...base, chartType: kpi.chart! };
        assert.deepEqual(await warehouse.chart(q), await api.chart(q), `${kpi.chart} by ${groupInterval}`);
      }
    }
  });

  test('after changes and an incremental sync, they still agree', async () => {
    const mutate = (body: object) => fetch(`${emulator.url}/__emulator/mutate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await mutate({ resource: 'tickets', count: 20, create: 15 })).status, 200);
    assert.equal((await mutate({ resource: 'messages', count: 10, create: 60 })).status, 200);
    const run = await sync();
    assert.ok(run.streams.tickets!.inserted === 15 && run.streams.messages!.inserted === 60, 'the incremental run loaded the new rows');
    const report = await reconcile(api, warehouse, { range: parseTimeRange({ last: '7d' }, 'UTC', NOW), timeZone: 'UTC' }, 0);
    assert.ok(report.ok, explain(report));
  });

  test('the tables can also be found from the runs of a bare warehouse file', async () => {
    const tables = await kpiTablesFromRuns(wh);
    assert.deepEqual(tables, kpiTablesFromEntry(wh, source.entry));
  });
});
