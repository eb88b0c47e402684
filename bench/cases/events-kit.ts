/**
 * Shared by the event benchmarks (not a case itself): synthetic Segment events, and Gleap
 * stand-ins in processes of their own (Gleap is elsewhere in reality; on this machine they
 * must not take supportsync's CPU in its own process).
 *
 * Events are deterministic, cheap, and shaped like what apps send (library context, 6-10
 * properties or traits). Mix: 70% track, 20% identify, 10% page; one in 50 anonymous only.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
const PLANS = ['free', 'pro', 'enterprise'];
const EVENTS = ['Order Completed', 'Product Viewed', 'Cart.Updated', 'Signed In', 'Checkout Step $2'];

export function syntheticEvent(i: number, run = 'r', mix: 'mixed' | 'track' = 'mixed'): Record<string, unknown> {
  const userId = `user-${i % 5000}`;
  const base = {
    messageId: `${run}-${i}`,
    timestamp: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
    context: {
      library: { name: '@segment/analytics-node', version: '3.1.0' },
      ip: `10.0.${i % 256}.${(i >> 8) % 256}`,
      locale: i % 3 ? 'en-US' : 'de-DE',
    },
    ...(i % 50 === 0 ? { anonymousId: `anon-${i}` } : { userId }),
  };
  const kind = mix === 'track' ? 0 : i % 10;
  if (kind < 7) {
    return {
      ...base,
      type: 'track',
      event: EVENTS[i % EVENTS.length],
      properties: { orderId: `o-${i}`, total: (i % 997) / 10, currency: 'EUR', items: i % 7, coupon: i % 4 ? null : 'WELCOME', category: 'shoes', sku: `sku-${i % 311}`, express: i % 2 === 0 },
    };
  }
  if (kind < 9) {
    return {
      ...base,
      type: 'identify',
      traits: {
        firstName: 'Ada',
        lastName: i % 5 ? 'Lovelace' : undefined,
        email: `${userId}@example.com`,
        phone: '+1 555 0100',
        plan: PLANS[i % 3],
        createdAt: '2024-03-01T10:00:00Z',
        value: i % 1000,
        company: { name: 'Analytical Engines', id: `c-${i % 40}` },
        order_completed_last_30days: i % 2 === 0,
        favourite_color: 'green',
      },
    };
  }
  return { ...base, type: 'page', name: 'Pricing', context: { ...base.context, page: { url: `https://example.com/pricing?ref=${i % 9}`, path: '/pricing' } }, properties: { title: 'Pricing' } };
}

/**
 * Batches of synthetic events as JSON text, cheaply: each of `pool` events is serialized
 * once with a placeholder messageId, and a batch is those texts with fresh ids spliced in.
 */
export function batchWriter(run: string, pool = 1000): (size: number) => string {
  const PLACEHOLDER = '__message_id__';
  const texts = Array.from({ length: pool }, (_, i) => JSON.stringify({ ...syntheticEvent(i, run), messageId: PLACEHOLDER }));
  let seq = 0;
  return (size) => {
    const parts = new Array<string>(size);
    for (let i = 0; i < size; i++, seq++) parts[i] = texts[seq % pool]!.replace(PLACEHOLDER, `${run}-${seq}`);
    return `{"batch":[${parts.join(',')}],"sentAt":"${new Date().toISOString()}"}`;
  };
}

function startProcess(args: string[]): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (url) =>
      resolve({
        url: url.trim(),
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      }),
    );
    child.once('exit', (code) => reject(new Error(`the Gleap stand-in exited (${code})`)));
  });
}

/** The Gleap emulator (Gleap's rate limit on) in a child process. */
export function startEmulatorProcess(): Promise<{ url: string; close(): Promise<void> }> {
  const module = fileURLToPath(new URL('../../emulators/gleap/gleap-emulator.ts', import.meta.url));
  const code = `const { startGleapEmulator } = await import(${JSON.stringify(module)}); const e = await startGleapEmulator({ port: 0, receivedLimit: 1000 }); console.log(e.url); process.on('SIGTERM', () => e.close().then(() => process.exit(0)));`;
  return startProcess(['--import', 'tsx', '--input-type=module', '-e', code]);
}

/**
 * A Gleap that accepts every /admin request without reading it, in a child process: for the
 * intake benchmark, where what Gleap does with the events is not under test (supportsync's
 * own rate budget still holds it to 1000 requests a minute).
 */
export function startSinkProcess(): Promise<{ url: string; close(): Promise<void> }> {
  const code = `const s = require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}')); }); s.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + s.address().port)); process.on('SIGTERM', () => process.exit(0));`;
  return startProcess(['-e', code]);
}

export interface BenchEventService {
  /** The running service (as `supportsync serve` runs it). */
  service: Awaited<ReturnType<typeof import('../../src/events/event-service.ts').startEventService>>;
  /** `authorization` header value for its intake. */
  auth: string;
  writeKey: string;
  /** Stops the service and removes its data directory. */
  close(): Promise<void>;
}

/**
 * The event service as the event benchmarks run it: one Gleap destination at `gleapUrl`,
 * intake on a free port with one write key, its queue in a fresh temporary directory.
 * Imported lazily: the intake benchmark's load-generator worker loads this kit too.
 */
export async function startBenchEventService(gleapUrl: string, label: string): Promise<BenchEventService> {
  const { configSchema } = await import('../../src/config/config-schema.ts');
  const { startEventService } = await import('../../src/events/event-service.ts');
  const dataDir = mkdtempSync(join(tmpdir(), `ss-bench-${label}-`));
  const writeKey = 'bench-write-key';
  const config = configSchema.parse({
    destinations: [{ name: 'gleap', type: 'gleap', config: { apiToken: 'test-secret-token', baseUrl: gleapUrl } }],
    intake: { port: 0, writeKeys: [writeKey] },
    dataDir,
  });
  const service = await startEventService({ config });
  return {
    service,
    writeKey,
    auth: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
    async close() {
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
