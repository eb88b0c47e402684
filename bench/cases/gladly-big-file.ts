/**
 * One big Gladly export (conversation_items.jsonl of about N bytes, default 1 GiB) synced
 * through the real source and engine into a fresh DuckDB file. The emulator's file is first
 * downloaded to disk (not timed), then served by a plain static server in a child process,
 * as Gladly serves stored export files: the sync then reads the very file `read_json` reads,
 * and the emulator's data generator (a third busy thread on 2 cores: 17% slower syncs
 * measured) takes no CPU from it. Peak RSS here is the sync's alone. Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceEntrySchema } from '../../src/config/config-schema.ts';
import { runSync } from '../../src/engine/sync-run.ts';
import { gladlyConfigSchema, gladlySource } from '../../src/sources/gladly/gladly-source.ts';
import { openDuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.ts';
import { benchEmulatorOptions, downloadBigFile, startEmulatorProcess, startFileServerProcess } from './gladly-bench-kit.ts';

const bytes = Number(process.argv[2] ?? 2 ** 30);
const dir = mkdtempSync(join(tmpdir(), 'ss-bench-gladly-'));
const file = join(dir, 'conversation_items.jsonl');
const generator = await startEmulatorProcess(benchEmulatorOptions(bytes));
await downloadBigFile(generator, file).finally(() => generator.stop());
const server = await startFileServerProcess(file, '2026-01-01T00:00:00.07272933Z');
try {
  const raw = { organization: 'bench', email: 'agent@example.com', apiToken: 'test-token', baseUrl: server.apiBase, requestsPerSecond: 1000 };
  const config = gladlyConfigSchema.parse(raw);
  const entry = sourceEntrySchema.parse({ name: 'gladly', type: 'gladly', config: raw, streams: ['conversation_items'] });
  const warehouse = await openDuckDbWarehouse(join(dir, 'bench.duckdb'), { use: 'sync' });
  const started = performance.now();
  const run = await runSync({ warehouse, source: { entry, source: gladlySource as never, config } });
  const seconds = (performance.now() - started) / 1000;
  const s = run.streams.conversation_items!;
  const loaded = await warehouse.query(`select count(*) as n from ${s.table}`);
  await warehouse.close();
  if (run.status !== 'succeeded') throw new Error(`sync failed: ${run.error}`);
  const records = Number(loaded.rows[0]!.n);
  console.log(JSON.stringify({
    bytes, records, seconds, mbPerSecond: bytes / 2 ** 20 / seconds, recordsPerSecond: records / seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }));
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
