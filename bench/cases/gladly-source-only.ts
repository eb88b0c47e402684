/**
 * The Gladly reader alone, without the warehouse: the big conversation_items.jsonl (first
 * downloaded from the emulator to disk, not timed) served by a static server in a child
 * process, streamed through the source (split lines, parse, inject job columns, derive
 * columns) and the engine's record normalizer, rows discarded. Shows what the source costs
 * next to read_json, apart from the emulator's generation speed and the warehouse's
 * loading speed. Prints one JSON line.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/logger.ts';
import { createRecordNormalizer } from '../../src/engine/record-normalizer.ts';
import { gladlyConfigSchema, gladlySource } from '../../src/sources/gladly/gladly-source.ts';
import { benchEmulatorOptions, downloadBigFile, startEmulatorProcess, startFileServerProcess } from './gladly-bench-kit.ts';

const bytes = Number(process.argv[2] ?? 2 ** 30);
const dir = mkdtempSync(join(tmpdir(), 'ss-bench-gladly-'));
const file = join(dir, 'conversation_items.jsonl');
const emulator = await startEmulatorProcess(benchEmulatorOptions(bytes));
await downloadBigFile(emulator, file).finally(() => emulator.stop());
const server = await startFileServerProcess(file, '2026-01-01T00:00:00.07272933Z');
try {
  const config = gladlyConfigSchema.parse({ organization: 'bench', email: 'agent@example.com', apiToken: 'test-token', baseUrl: server.apiBase, requestsPerSecond: 1000 });
  const stream = gladlySource.discover(config).find((s) => s.name === 'conversation_items')!;
  const normalizer = createRecordNormalizer(stream.columns, stream.primaryKey);
  const ctx = { log: silentLogger, signal: new AbortController().signal, countRequest() {} };
  let records = 0;
  const started = performance.now();
  for await (const message of gladlySource.read(config, { stream, syncType: 'INCREMENTAL' }, ctx)) {
    if (message.type !== 'records') continue;
    for (const record of message.records) normalizer.normalize(record);
    records += message.records.length;
  }
  const seconds = (performance.now() - started) / 1000;
  const fileBytes = statSync(file).size;
  console.log(JSON.stringify({
    bytes: fileBytes, records, seconds, mbPerSecond: fileBytes / 2 ** 20 / seconds, recordsPerSecond: records / seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }));
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
