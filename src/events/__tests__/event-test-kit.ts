/** Shared by the event tests: temp dirs, a config for the emulator, waiting, and HTTP helpers. */
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type SupportSyncConfig } from '../../config/config-schema.ts';
import type { EventQueue, NewDelivery } from '../queue/event-queue.ts';

export const WRITE_KEY = 'wk-test-key';
export const GLEAP_TOKEN = 'test-secret-token';

const made: string[] = [];
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ss-events-'));
  made.push(d);
  return d;
}
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface TestConfigOptions {
  gleapUrl: string;
  dataDir: string;
  token?: string;
  mappings?: unknown[];
  settings?: Record<string, unknown>;
  port?: number;
}

/** Fast retries so fault tests finish in seconds. */
export const FAST_DELIVERY = { retryBaseDelay: 100, retryMaxDelay: 400, authRecheck: 200 };

export function testConfig(o: TestConfigOptions): SupportSyncConfig {
  return configSchema.parse({
    destinations: [
      {
        name: 'gleap-events',
        type: 'gleap',
        config: { apiToken: o.token ?? GLEAP_TOKEN, baseUrl: o.gleapUrl },
        ...(o.mappings ? { mappings: o.mappings } : {}),
        settings: { ...FAST_DELIVERY, ...o.settings },
      },
    ],
    intake: { port: o.port ?? 0, writeKeys: [WRITE_KEY] },
    dataDir: o.dataDir,
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface Received {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
}

/** GET without connection reuse: a test may restart the emulator on the same port. */
export function getJson<T>(url: string): Promise<T> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(text) as T);
        } catch (err) {
          reject(err);
        }
      });
    }).on('error', reject);
  });
}

export function received(gleapUrl: string): Promise<Received[]> {
  return getJson<Received[]>(`${gleapUrl}/__emulator/received`);
}

export async function setFaults(gleapUrl: string, spec: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${gleapUrl}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) });
  if (!res.ok) throw new Error(`faults: ${res.status} ${await res.text()}`);
}

/** Events the emulator got through /admin/track, in order. */
export async function trackedEvents(gleapUrl: string): Promise<Record<string, unknown>[]> {
  return (await received(gleapUrl)).filter((r) => r.path === '/admin/track').flatMap((r) => (r.body as { events: Record<string, unknown>[] }).events);
}

export async function postJson(url: string, body: unknown, opts: { writeKey?: string | null; headers?: Record<string, string>; raw?: string | Buffer } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  const key = opts.writeKey === undefined ? WRITE_KEY : opts.writeKey;
  if (key !== null) headers.authorization = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  const res = await fetch(url, { method: 'POST', headers, body: (opts.raw ?? JSON.stringify(body)) as BodyInit });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

let queued = 0;
/** Puts deliveries straight into a queue, as intake would after routing. */
export async function queueDeliveries(queue: EventQueue, deliveries: NewDelivery[]): Promise<void> {
  await queue.accept(deliveries.map(() => `test-${process.pid}-${queued++}`), () => ({ deliveries, counts: {} }));
}
