/**
 * Sustained intake through `/v1/batch` with durable acknowledgement: the whole event service
 * runs as in `supportsync serve` (intake thread: validation, routing, LMDB queue with fsync'd
 * commits; main thread: delivery through the shared rate budget to a Gleap stand-in in its
 * own process); a load generator on a worker thread sends batches of synthetic events over
 * keep-alive connections.
 *
 *   open   (default) offers RATE events/s for SECONDS, a batch every BATCH/RATE seconds,
 *          whatever the answers; latency is measured from each batch's scheduled time, so a
 *          slow server cannot hide its queueing (no coordinated omission).
 *   closed CONCURRENCY clients send back to back: the most the service sustains.
 *
 * The first WARMUP seconds (same load) are reported apart: the JIT compiles the hot paths
 * then. Sustained figures are those after it.
 *
 * Prints one JSON line. Usage: events-intake.ts [open|closed] [RATE=20000] [SECONDS=10] [BATCH=100] [CONCURRENCY=16] [WARMUP=3]
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { batchWriter, startBenchEventService, startEmulatorProcess, startSinkProcess } from './events-kit.ts';

interface Load {
  mode: 'open' | 'closed';
  warmupSeconds: number;
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
  warmupLatenciesMs: number[];
}

/** The load generator (worker thread). */
async function generate(load: Load): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: load.concurrency });
  const auth = `Basic ${Buffer.from(`${load.writeKey}:`).toString('base64')}`;
  const nextBatch = batchWriter(`${process.pid}-${Date.now()}`);
  const body = () => nextBatch(load.batch);
  const post = (text: string) =>
    new Promise<number>((resolve) => {
      const req = request(`${load.url}/v1/batch`, { method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
      req.end(text);
    });

  let elu = performance.eventLoopUtilization();
  const latenciesMs: number[] = [];
  const warmupLatenciesMs: number[] = [];
  let requests = 0;
  let errors = 0;
  const began = performance.now();
  let started = began + load.warmupSeconds * 1000;
  const until = started + load.seconds * 1000;
  const send = async (scheduled: number) => {
    const status = await post(body());
    const measured = scheduled >= started;
    if (measured) requests++;
    if (status !== 200) errors++;
    (measured ? latenciesMs : warmupLatenciesMs).push(performance.now() - scheduled);
  };
  const warmupEnds = setTimeout(() => (elu = performance.eventLoopUtilization()), load.warmupSeconds * 1000);

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
      const scheduled = began + k * interval;
      if (scheduled >= until) break;
      const wait = scheduled - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const p = send(scheduled).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  }
  clearTimeout(warmupEnds);
  agent.destroy();
  return {
    generatorUtilization: performance.eventLoopUtilization(elu).utilization,
    requests,
    events: requests * load.batch,
    errors,
    seconds: (performance.now() - started) / 1000,
    latenciesMs,
    warmupLatenciesMs,
  };
}

if (!isMainThread) {
  parentPort!.postMessage(await generate(workerData as Load));
} else {
  const [mode = 'open', rate = '20000', seconds = '10', batch = '100', concurrency = '16', warmup = '3'] = process.argv.slice(2);
  // GLEAP=emulator delivers to the emulator (which then takes a good share of the CPU).
  const emulator = process.env.GLEAP === 'emulator' ? await startEmulatorProcess() : await startSinkProcess();
  const { service, writeKey, close } = await startBenchEventService(emulator.url, 'intake');
  const load: Load = { mode: mode as Load['mode'], warmupSeconds: Number(warmup), url: service.url!, rate: Number(rate), seconds: Number(seconds), batch: Number(batch), concurrency: Number(concurrency), writeKey };

  let cpuBefore = process.cpuUsage();
  let eluBefore = performance.eventLoopUtilization();
  const warmedUp = setTimeout(() => {
    cpuBefore = process.cpuUsage();
    eluBefore = performance.eventLoopUtilization();
  }, load.warmupSeconds * 1000);
  const result = await new Promise<LoadResult>((resolve, reject) => {
    // Workers do not inherit tsx's loader: register it in the worker, then load this file there.
    const tsx = import.meta.resolve('tsx/esm/api');
    const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`;
    const worker = new Worker(bootstrap, { eval: true, workerData: load });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  clearTimeout(warmedUp);
  const cpu = process.cpuUsage(cpuBefore);
  const serviceUtilization = performance.eventLoopUtilization(eluBefore).utilization;

  // Everything acknowledged was counted (and routed) in the same transaction as its storage.
  const counts = await service.queue.counts();

  await close();
  await emulator.close();

  const sorted = result.latenciesMs.sort((a, b) => a - b);
  const pct = (p: number, list = sorted) => list[Math.min(list.length - 1, Math.floor(list.length * p))] ?? NaN;
  const warm = result.warmupLatenciesMs.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      mode,
      batchSize: load.batch,
      offeredEventsPerSecond: mode === 'open' ? load.rate : null,
      achievedEventsPerSecond: result.events / result.seconds,
      requests: result.requests,
      errors: result.errors,
      /** Everything sent, warm-up included, was accepted (and is on disk). */
      acceptedEvents: counts['@intake']?.accepted ?? 0,
      p50Ms: pct(0.5),
      p90Ms: pct(0.9),
      p99Ms: pct(0.99),
      maxMs: sorted.at(-1),
      warmupSeconds: load.warmupSeconds,
      warmupP99Ms: pct(0.99, warm),
      deliveredDuringRun: counts['gleap/trackEvent']?.delivered ?? 0,
      /** Process CPU after the warm-up: intake thread, delivery thread, LMDB's writer and the load generator. */
      processCpuSeconds: (cpu.user + cpu.system) / 1e6,
      /** The main thread: delivery (the intake has a thread of its own). */
      deliveryThreadUtilization: serviceUtilization,
      generatorThreadUtilization: result.generatorUtilization,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}
