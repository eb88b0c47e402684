/**
 * Measures the Gleap emulator at a scale: generation time and memory, then one full
 * incremental-style pass (`updatedAt>=...&sort=updatedAt&limit&skip`) over tickets,
 * sessions and messages through real HTTP. Prints one JSON document.
 *
 *   node --import tsx emulators/gleap/bench/full-pass.ts [scale=100000]
 */
import { startGleapEmulator } from '../gleap-emulator.ts';

const scale = Number(process.argv[2] ?? 100_000);
const headers = { Authorization: 'Bearer test-api-key', Project: 'test-project' };

const mb = (n: number) => Math.round(n / 1e6);
const before = process.memoryUsage();
const t0 = performance.now();
const e = await startGleapEmulator({ scale, rateLimit: null, now: new Date('2025-06-01T12:00:00Z') });
const startMs = Math.round(performance.now() - t0);
global.gc?.();
const mem = process.memoryUsage();

async function pass(path: string, pageSize: number, key?: string) {
  const t = performance.now();
  let records = 0;
  let bytes = 0;
  let pages = 0;
  for (let skip = 0; ; skip += pageSize) {
    const res = await fetch(`${e.url}/v3/${path}?updatedAt%3E%3D=2020-01-01T00:00:00.000Z&sort=updatedAt&limit=${pageSize}&skip=${skip}`, { headers });
    const text = await res.text();
    const body = JSON.parse(text);
    const items = key ? body[key] : body;
    bytes += text.length;
    records += items.length;
    pages++;
    if (items.length < pageSize) break;
  }
  const ms = Math.round(performance.now() - t);
  return { records, pages, ms, mb: mb(bytes), recordsPerSecond: Math.round((records / ms) * 1000) };
}

const report = {
  scale,
  counts: Object.fromEntries(['tickets', 'sessions', 'messages', 'survey_responses'].map((n) => [n, e.store.table(n).aliveCount])),
  startMs,
  memoryMb: { rss: mb(mem.rss), heapUsed: mb(mem.heapUsed - before.heapUsed), arrayBuffers: mb(mem.arrayBuffers - before.arrayBuffers) },
  tickets: await pass('tickets', 1000, 'tickets'),
  ticketsAgain: await pass('tickets', 1000, 'tickets'),
  sessions: await pass('sessions', 1000),
  messages: await pass('messages', 10_000),
};
await e.close();
console.log(JSON.stringify(report, null, 2));
