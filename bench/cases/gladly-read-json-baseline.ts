/**
 * The practical limit for the Gladly big-file benchmark: DuckDB's own `read_json` of the
 * same conversation_items.jsonl, with the column types the engine gives that table.
 * Downloading the file from the emulator to disk is not timed; only
 * `CREATE TABLE ... AS SELECT * FROM read_json(...)` is. Prints one JSON line.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { gladlyStreams } from '../../src/sources/gladly/gladly-streams.ts';
import { benchEmulatorOptions, downloadBigFile, startEmulatorProcess } from './gladly-bench-kit.ts';

const bytes = Number(process.argv[2] ?? 2 ** 30);
const SQL_TYPES = { string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', timestamp: 'TIMESTAMPTZ', json: 'JSON' } as const;

const emulator = await startEmulatorProcess(benchEmulatorOptions(bytes));
const dir = mkdtempSync(join(tmpdir(), 'ss-bench-gladly-'));
try {
  const file = join(dir, 'conversation_items.jsonl');
  await downloadBigFile(emulator, file);
  await emulator.stop();

  // The columns the file itself holds (the engine adds derived and job columns on top).
  const stream = gladlyStreams.find((s) => s.name === 'conversation_items')!;
  const inFile = ['id', 'conversationId', 'customerId', 'timestamp', 'initiator', 'responder', 'content'];
  const columns = inFile.map((k) => `'${k}': '${SQL_TYPES[stream.columns[k]!]}'`).join(', ');
  const db = await DuckDBInstance.create(join(dir, 'baseline.duckdb'));
  const conn = await db.connect();
  const started = performance.now();
  await conn.run(`create table conversation_items as select * from read_json('${file}', format = 'newline_delimited', columns = {${columns}})`);
  const seconds = (performance.now() - started) / 1000;
  const records = Number((await conn.runAndReadAll('select count(*) from conversation_items')).getRows()[0]![0]);
  conn.closeSync();
  const fileBytes = statSync(file).size;
  console.log(JSON.stringify({
    bytes: fileBytes, records, seconds, mbPerSecond: fileBytes / 2 ** 20 / seconds, recordsPerSecond: records / seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }));
} finally {
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
}
