/**
 * `stats --from-warehouse` and `stats reconcile` through the real binary: the real sync
 * engine loads the emulator into a DuckDB file, the CLI computes KPIs from it, and the
 * reconciliation agrees exactly, then flags what changed after the sync (exit 1).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startGleapEmulator, type GleapEmulator } from '../../../emulators/gleap/gleap-emulator.ts';
import { loadConfig } from '../../config/load-config.ts';
import { runSync } from '../../engine/sync-run.ts';
import { builtinSources } from '../../sources/registry.ts';
import { openWarehouse } from '../../warehouse/open-warehouse.ts';
import { runCli } from './run-cli.ts';

const NOW = new Date('2026-04-10T12:00:00Z');
const PERIOD = ['--from', '2026-03-01', '--to', '2026-03-31', '--tz', 'Europe/Paris'];
const dir = mkdtempSync(join(tmpdir(), 'ss-stats-wh-'));
let e: GleapEmulator;
let config: string;

before(async () => {
  e = await startGleapEmulator({ scale: 400, seed: 9, now: NOW, rateLimit: null });
  config = join(dir, 'supportsync.yaml');
  writeFileSync(config, `warehouse: { type: duckdb, path: ./w.duckdb }
sources:
  - name: gleap
    type: gleap
    folder: gleap
    config:
      apiKey: test-api-key
      projectId: test-project
      baseUrl: ${e.url}/v3
      startDate: 2020-01-01T00:00:00Z
    streams: [tickets, messages, agents]
`);
  const loaded = loadConfig(config, builtinSources);
  const wh = await openWarehouse(loaded.config.warehouse, loaded.baseDir, 'sync');
  try {
    const run = await runSync({ warehouse: wh, source: loaded.sources[0]! });
    assert.equal(run.status, 'succeeded', run.error);
  } finally {
    await wh.close(); // the CLI children open the file next
  }
});
after(async () => {
  await e.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('KPIs from the warehouse', () => {
  test('--from-warehouse gives the values the reconciliation finds on both sides, exactly', async () => {
    // One after the other: DuckDB lets one process at a time open the file.
    const facts = await runCli(['stats', 'fact', 'NEW_TICKETS_COUNT', 'MEDIAN_TIME_TO_CLOSE', 'TICKET_REPLIES_COUNT', ...PERIOD, '--json', '--config', config, '--from-warehouse'], { env: {} });
    const same = await runCli(['stats', 'reconcile', '--config', config, ...PERIOD, '--tolerance', '0', '--json'], { env: {} });
    assert.equal(facts.code, 0, facts.stderr);
    assert.equal(same.code, 0, same.stderr);
    const w = JSON.parse(facts.stdout);
    const report = JSON.parse(same.stdout);
    assert.equal(w.source, 'warehouse');
    assert.equal(report.ok, true);
    assert.ok(report.rows.length >= 15 && report.rows.every((r: { delta: number | null }) => r.delta === null || r.delta === 0), 'all deltas zero');
    const api = (kpi: string) => report.rows.find((r: { kpi: string }) => r.kpi === kpi).api;
    assert.deepEqual(w.facts.map((f: { rawValue: number }) => f.rawValue), [api('NEW_TICKETS_COUNT'), api('MEDIAN_TIME_TO_CLOSE'), api('REPLIES_COUNT')]);
    assert.ok(api('NEW_TICKETS_COUNT') > 0, 'a period with tickets');
  });

  test('--from-warehouse needs no source credentials: an analyst\'s config may leave them unset', async () => {
    const analyst = join(dir, 'analyst.yaml');
    writeFileSync(analyst, `warehouse: { type: duckdb, path: ./w.duckdb }
sources:
  - name: gladly
    type: gladly
    config: { organization: acme, agentEmail: a@acme.com, apiToken: "\${GLADLY_TOKEN}" }
  - name: gleap
    type: gleap
    folder: gleap
    config: { apiKey: "\${GLEAP_KEY}", projectId: "\${GLEAP_PROJECT}" }
`);
    const args = ['stats', 'fact', 'NEW_TICKETS_COUNT', ...PERIOD, '--json', '--from-warehouse'];
    const fromFull = await runCli([...args, '--config', config], { env: {} });
    const fromAnalyst = await runCli([...args, '--config', analyst], { env: {} });
    assert.equal(fromAnalyst.code, 0, fromAnalyst.stderr);
    // Same figures as with the full config: the tables of its gleap source (folder gleap) were found.
    assert.deepEqual(JSON.parse(fromAnalyst.stdout).facts, JSON.parse(fromFull.stdout).facts);
    // The rest of a source entry is still checked.
    writeFileSync(analyst, `warehouse: { type: duckdb, path: ./w.duckdb }\nsources:\n  - { name: gleap, type: gleap, folder: "no good", config: { apiKey: "\${GLEAP_KEY}" } }\n`);
    const bad = await runCli([...args, '--config', analyst], { env: {} });
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /sources\[0\]\.folder/);
  });

  test('reconcile flags what changed since the sync, and exits 1', async () => {
    // New tickets on the emulator's "today", not synced yet: the API sees them, the warehouse does not.
    await fetch(`${e.url}/__emulator/mutate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resource: 'tickets', count: 0, create: 5 }) });
    const drift = await runCli(['stats', 'reconcile', '--config', config, '--from', '2026-04-10', '--to', '2026-04-10', '--tz', 'UTC'], { env: {} });
    assert.equal(drift.code, 1, drift.stderr);
    assert.match(drift.stdout, /NEW_TICKETS_COUNT\s+\d+\s+\d+\s+-5\s+✘ differs/);
    assert.match(drift.stdout, /checks differ beyond ±1%: NEW_TICKETS_COUNT/);
  });
});
