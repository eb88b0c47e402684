/**
 * Loads N synthetic tickets through the real engine (normalize → stage → merge → commit
 * state) into a fresh DuckDB file, fed in pages of 1000 with a state checkpoint per page,
 * as a source would. Prints one JSON line: records/s and peak RSS of this process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { runSync } from '../../src/engine/sync-run.ts';
import { sourceEntrySchema } from '../../src/config/config-schema.ts';
import { defineSource } from '../../src/sources/source.ts';
import { openDuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.ts';
import { syntheticTicket, ticketColumns } from '../synthetic-tickets.ts';

const n = Number(process.argv[2] ?? 100_000);
const PAGE = 1000;

const synthetic = defineSource({
  type: 'synthetic', title: 'Synthetic tickets', configSchema: z.object({}), secretKeys: [], exampleConfig: '',
  check: async () => ({ ok: true, details: [] }),
  discover: () => [{ name: 'tickets', columns: ticketColumns, primaryKey: ['id'], cursorField: 'updatedAt', syncTypes: ['INCREMENTAL'], defaultSyncType: 'INCREMENTAL' }],
  async *read() {
    for (let start = 0; start < n; start += PAGE) {
      const records = [];
      for (let i = start; i < Math.min(n, start + PAGE); i++) records.push(syntheticTicket(i));
      yield { type: 'records', stream: 'tickets', records };
      yield { type: 'state', stream: 'tickets', state: { cursor: records.at(-1)!.updatedAt } };
    }
  },
});

const dir = mkdtempSync(join(tmpdir(), 'ss-bench-'));
const warehouse = await openDuckDbWarehouse(join(dir, 'bench.duckdb'), { use: 'sync' });
const entry = sourceEntrySchema.parse({ name: 'synthetic', type: 'synthetic', config: {} });
const started = performance.now();
const run = await runSync({ warehouse, source: { entry, source: synthetic, config: {} } });
const seconds = (performance.now() - started) / 1000;
const loaded = await warehouse.query(`select count(*) as n from ${run.streams.tickets!.table}`);
await warehouse.close();
rmSync(dir, { recursive: true, force: true });
if (run.status !== 'succeeded' || loaded.rows[0]!.n !== n) throw new Error(`load incomplete: ${run.error ?? loaded.rows[0]!.n}`);
console.log(JSON.stringify({ records: n, seconds, recordsPerSecond: n / seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
