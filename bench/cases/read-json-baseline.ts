/**
 * The practical limit for loading: DuckDB's own `read_json` of the same N tickets as
 * NDJSON, with the column types given (as the engine has them). Writing the file is not
 * timed; only `CREATE TABLE ... AS SELECT * FROM read_json(...)` is. Arguments: N, and
 * `as-sync` to open DuckDB as the engine does for a sync (its threads and memory limit)
 * instead of with DuckDB's defaults (every core, 80% of RAM): the memory DuckDB itself takes
 * for this load under the engine's settings, the floor for the engine's peak RSS.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { DuckDBInstance } from '@duckdb/node-api';
import { defaultMemoryLimit, defaultThreads } from '../../src/warehouse/duckdb/duckdb-warehouse.ts';
import { syntheticTicket, ticketColumns } from '../synthetic-tickets.ts';

const n = Number(process.argv[2] ?? 100_000);
const syncThreads = defaultThreads('sync');
const settings: Record<string, string> = process.argv[3] === 'as-sync' ? { threads: String(syncThreads), memory_limit: defaultMemoryLimit(syncThreads) } : {};
const SQL_TYPES = { string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', timestamp: 'TIMESTAMPTZ', json: 'JSON' };

const dir = mkdtempSync(join(tmpdir(), 'ss-bench-'));
const file = join(dir, 'tickets.ndjson');
const out = createWriteStream(file);
for (let i = 0; i < n; i++) {
  if (!out.write(JSON.stringify(syntheticTicket(i)) + '\n')) await once(out, 'drain');
}
out.end();
await once(out, 'finish');

const db = await DuckDBInstance.create(join(dir, 'baseline.duckdb'), settings);
const conn = await db.connect();
const columns = Object.entries(ticketColumns).map(([k, t]) => `'${k}': '${SQL_TYPES[t]}'`).join(', ');
const started = performance.now();
await conn.run(`create table tickets as select * from read_json('${file}', format = 'newline_delimited', columns = {${columns}})`);
const seconds = (performance.now() - started) / 1000;
const count = Number((await conn.runAndReadAll('select count(*) from tickets')).getRows()[0]![0]);
conn.closeSync();
rmSync(dir, { recursive: true, force: true });
if (count !== n) throw new Error(`baseline loaded ${count} of ${n}`);
console.log(JSON.stringify({ records: n, settings, seconds, recordsPerSecond: n / seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
