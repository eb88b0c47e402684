/**
 * One sync of the Gleap source against a running emulator, in this process, into a fresh
 * DuckDB file (or a given one, for incremental runs). Argument: a JSON object
 * `{ url, streams, warehouse?, budget?: {requests, perMs}, mutate?: {...}, keep? }`.
 * Prints one JSON line: records, requests, seconds, peak RSS, per-stream figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceEntrySchema } from '../../src/config/config-schema.ts';
import type { ResolvedSource } from '../../src/config/load-config.ts';
import { getRateBudget } from '../../src/core/http/rate-budget.ts';
import { runSync } from '../../src/engine/sync-run.ts';
import { gleapConfigSchema, gleapSource } from '../../src/sources/gleap/gleap-source.ts';
import { openDuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.ts';

const args = JSON.parse(process.argv[2] ?? '{}') as {
  url: string; streams: string[]; warehouse?: string; budget?: { requests: number; perMs: number };
};
// A scaled-down budget (e.g. 100 per 6 s) registered first: the source's 1000 per 60 s has the same rate and leaves it be.
if (args.budget) getRateBudget('gleap:test-project', args.budget);
// When each API request left, for the budget figures (the client calls the global fetch).
const sentAt: number[] = [];
const fetchOriginal = globalThis.fetch;
globalThis.fetch = (input, init) => {
  if (String(input instanceof Request ? input.url : input).includes('/v3/')) sentAt.push(performance.now());
  return fetchOriginal(input, init);
};

const config = gleapConfigSchema.parse({ apiKey: 'test-api-key', projectId: 'test-project', startDate: '2000-01-01T00:00:00Z', baseUrl: `${args.url}/v3` });
// Unthrottled means unthrottled on both sides: the emulator runs with `--rate-limit off`, and
// the client's budget (Gleap's 1000 per 60 s, the config's ceiling) is lifted past the schema
// here. Left in place, a full sync of ~1000 pages would wait for the 60 s window whatever its
// speed, and the plain download it is compared with has no budget either.
if (!args.budget) config.requestsPerMinute = 1_000_000;
const source: ResolvedSource = { entry: sourceEntrySchema.parse({ name: 'gleap', type: 'gleap', config: {} }), source: gleapSource as ResolvedSource['source'], config };
// A warehouse of its own unless given one (incremental runs reuse the suite's), removed at the end.
const ownDir = args.warehouse === undefined ? mkdtempSync(join(tmpdir(), 'ss-bench-')) : undefined;
const warehouse = await openDuckDbWarehouse(args.warehouse ?? join(ownDir!, 'gleap.duckdb'), { use: 'sync' });
const started = performance.now();
const run = await runSync({ warehouse, source, streams: args.streams });
const seconds = (performance.now() - started) / 1000;
await warehouse.close();
if (ownDir) rmSync(ownDir, { recursive: true, force: true });
if (run.status !== 'succeeded') throw new Error(`sync failed: ${run.error}`);
const streams = Object.fromEntries(Object.entries(run.streams).map(([k, s]) => [k, { records: s.records, inserted: s.inserted, updated: s.updated, unchanged: s.unchanged, requests: s.requests }]));
const total = (k: 'records' | 'requests' | 'updated' | 'inserted') => Object.values(run.streams).reduce((n, s) => n + s[k], 0);
console.log(JSON.stringify({
  seconds, records: total('records'), requests: total('requests'), updated: total('updated'), inserted: total('inserted'),
  recordsPerSecond: total('records') / seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, streams,
  ...(args.budget ? { budgetWindows: budgetWindows(sentAt, args.budget.perMs) } : {}),
}));

/**
 * The requests in each complete budget window counted from the first request (the last,
 * partial window is left out: it cannot be used in full), and the most in any window
 * starting at a request (a sliding window: what the server's limit sees at worst).
 */
function budgetWindows(times: number[], perMs: number): { complete: number; requestsInComplete: number; maxInAnyWindow: number } {
  if (times.length === 0) return { complete: 0, requestsInComplete: 0, maxInAnyWindow: 0 };
  const first = times[0]!;
  const complete = Math.floor((times.at(-1)! - first) / perMs);
  const requestsInComplete = times.filter((t) => t - first < complete * perMs).length;
  let maxInAnyWindow = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (j < times.length && times[j]! - times[i]! < perMs) j++;
    maxInAnyWindow = Math.max(maxInAnyWindow, j - i);
  }
  return { complete, requestsInComplete, maxInAnyWindow };
}
