/**
 * Delivery under load: N track events are accepted through /v1/batch, then the pipeline delivers
 * them to a Gleap emulator (own process, Gleap's rate limit of 1000 requests / 60 s on) while
 * the shared rate budget paces the requests. Reports how many events each /admin/track
 * request carried on average and how long delivery took.
 * Prints one JSON line. Usage: events-delivery.ts [N=50000]
 */
import { startBenchEventService, startEmulatorProcess, syntheticEvent } from './events-kit.ts';

const n = Number(process.argv[2] ?? 50_000);
const emulator = await startEmulatorProcess();
const { service, auth, close } = await startBenchEventService(emulator.url, 'delivery');

const started = performance.now();
for (let i = 0; i < n; i += 100) {
  const batch = Array.from({ length: Math.min(100, n - i) }, (_, k) => syntheticEvent(i + k, 'delivery', 'track'));
  const res = await fetch(`${service.url}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
  if (res.status !== 200) throw new Error(`intake answered ${res.status}`);
  await res.arrayBuffer();
}
const intakeSeconds = (performance.now() - started) / 1000;

// Wait until nothing is pending; the counters say what went where.
for (;;) {
  const sizes = await service.queue.sizes();
  if (Object.values(sizes.pending).every((c) => c === 0)) break;
  await new Promise((r) => setTimeout(r, 100));
}
const seconds = (performance.now() - started) / 1000;
const stats = (await (await fetch(`${emulator.url}/__emulator/stats`)).json()) as { byRoute: Record<string, number>; throttled: number };
const counts = await service.queue.counts();
await close();
await emulator.close();

const trackRequests = stats.byRoute['POST /admin/track'] ?? 0;
const trackDelivered = counts['gleap/trackEvent']?.delivered ?? 0;
console.log(
  JSON.stringify({
    events: n,
    trackDelivered,
    identifyDelivered: counts['gleap/identifyContact']?.delivered ?? 0,
    filtered: (counts['gleap/trackEvent']?.filtered ?? 0) + (counts['gleap/identifyContact']?.filtered ?? 0),
    trackRequests,
    eventsPerTrackRequest: trackDelivered / Math.max(1, trackRequests),
    identifyRequests: stats.byRoute['POST /admin/identify'] ?? 0,
    throttledByGleap: stats.throttled,
    intakeSeconds,
    seconds,
    deliveredPerSecond: (trackDelivered + (counts['gleap/identifyContact']?.delivered ?? 0)) / seconds,
  }),
);
