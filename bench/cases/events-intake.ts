/**
 * Sustained intake through `/v1/batch` with durable acknowledgement: the whole event service
 * (validation, routing, LMDB queue with fsync'd commits, delivery to a rate-limited Gleap
 * emulator in its own process) runs on the main thread as in `supportsync serve`; a load
 * generator on a worker thread sends batches of synthetic events over keep-alive connections.
 *
 *   open   (default) offers RATE events/s for SECONDS, a batch every BATCH/RATE seconds,
 *          whatever the answers; latency is measured from each batch's scheduled time, so a
 *          slow server cannot hide its queueing (no coordinated omission).
 *   closed CONCURRENCY clients send back to back: the most the service sustains.
 *
 * Prints one JSON line. Usage: events-intake.ts [open|closed] [RATE=20000] [SECONDS=10] [BATCH=100] [CONCURRENCY=16]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { startEmulatorProcess, syntheticEvent } from './events-kit.ts';

interface Load {
  mode: 'open' | 'closed';
  url: string;
  rate: number;
  seconds: number;
  batch: number;
  concurrency: number;
  writeKey: string;
}

interface LoadResult {
  /** Share of the generator thread's time spent busy. */
  generatorUtilization: number;
  requests: number;
  events: number;
  errors: number;
  seconds: number;
  latenciesMs: number[];
}

/** The load generator (worker thread). */
async function generate(load: Load): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: load.concurrency });
  const auth = `Basic ${Buffer.from(`${load.writeKey}:`).toString('base64')}`;
  const run = `${process.pid}-${Date.now()}`;
  let seq = 0;
  const body = () => {
    const batch = [];
    for (let i = 0; i < load.batch; i++) batch.push(syntheticEvent(seq++, run));
    return JSON.stringify({ batch, sentAt: new Date().toISOString() });
  };
  const post = (text: string) =>
    new Promise<number>((resolve) => {
      const req = request(`${load.url}/v1/batch`, { method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
      req.end(text);
    });

  const elu = performance.eventLoopUtilization();
  const latenciesMs: number[] = [];
  let requests = 0;
  let errors = 0;
  const started = performance.now();
  const until = started + load.seconds * 1000;
  const send = async (scheduled: number) => {
    const status = await post(body());
    requests++;
    if (status !== 200) errors++;
    latenciesMs.push(performance.now() - scheduled);
  };

  if (load.mode === 'closed') {
    await Promise.all(
      Array.from({ length: load.concurrency }, async () => {
        while (performance.now() < until) await send(performance.now());
      }),
    );
  } else {
    const interval = (load.batch / load.rate) * 1000;
    const inFlight = new Set<Promise<void>>();
    for (let k = 0; ; k++) {
      const scheduled = started + k * interval;
      if (scheduled >= until) break;
      const wait = scheduled - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const p = send(scheduled).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  }
  agent.destroy();
  return { generatorUtilization: performance.eventLoopUtilization(elu).utilization, requests, events: requests * load.batch, errors, seconds: (performance.now() - started) / 1000, latenciesMs };
}

if (!isMainThread) {
  parentPort!.postMessage(await generate(workerData as Load));
} else {
  const [mode = 'open', rate = '20000', seconds = '10', batch = '100', concurrency = '16'] = process.argv.slice(2);
  const { configSchema } = await import('../../src/config/config-schema.ts');
  const { startEventService } = await import('../../src/events/event-service.ts');

  const dir = mkdtempSync(join(tmpdir(), 'ss-bench-intake-'));
  const emulator = await startEmulatorProcess();
  const writeKey = 'bench-write-key';
  const config = configSchema.parse({
    destinations: [{ name: 'gleap', type: 'gleap', config: { apiToken: 'test-secret-token', baseUrl: emulator.url } }],
    intake: { port: 0, writeKeys: [writeKey] },
    dataDir: dir,
  });
  const service = await startEventService({ config });
  const load: Load = { mode: mode as Load['mode'], url: service.url!, rate: Number(rate), seconds: Number(seconds), batch: Number(batch), concurrency: Number(concurrency), writeKey };

  const cpuBefore = process.cpuUsage();
  const eluBefore = performance.eventLoopUtilization();
  const result = await new Promise<LoadResult>((resolve, reject) => {
    // Workers do not inherit tsx's loader: register it in the worker, then load this file there.
    const tsx = import.meta.resolve('tsx/esm/api');
    const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`;
    const worker = new Worker(bootstrap, { eval: true, workerData: load });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const cpu = process.cpuUsage(cpuBefore);
  const serviceUtilization = performance.eventLoopUtilization(eluBefore).utilization;

  // Everything acknowledged was counted (and routed) in the same transaction as its storage.
  const counts = await service.queue.counts();

  await service.close();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });

  const sorted = result.latenciesMs.sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
  console.log(
    JSON.stringify({
      mode,
      batchSize: load.batch,
      offeredEventsPerSecond: mode === 'open' ? load.rate : null,
      achievedEventsPerSecond: result.events / result.seconds,
      requests: result.requests,
      errors: result.errors,
      acceptedEvents: counts['@intake']?.accepted ?? 0,
      p50Ms: pct(0.5),
      p90Ms: pct(0.9),
      p99Ms: pct(0.99),
      maxMs: sorted.at(-1),
      deliveredDuringRun: counts['gleap/trackEvent']?.delivered ?? 0,
      /** Process CPU: the service's thread, LMDB's writer thread and the load generator. */
      processCpuSeconds: (cpu.user + cpu.system) / 1e6,
      /** The main thread: delivery (the intake has a thread of its own). */
      deliveryThreadUtilization: serviceUtilization,
      generatorThreadUtilization: result.generatorUtilization,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}
