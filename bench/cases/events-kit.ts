/**
 * Shared by the event benchmarks (not a case itself): synthetic Segment events and the Gleap
 * emulator in a process of its own.
 *
 * Events are deterministic, cheap, and shaped like what apps send (library context, 6-10
 * properties or traits). Mix: 70% track, 20% identify, 10% page; one in 50 anonymous only.
 */
import { spawn } from 'node:child_process';
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

/** The Gleap emulator (Gleap's rate limit on) in a child process: Gleap is elsewhere in reality. */
export function startEmulatorProcess(): Promise<{ url: string; close(): Promise<void> }> {
  const module = fileURLToPath(new URL('../../emulators/gleap/gleap-emulator.ts', import.meta.url));
  const code = `const { startGleapEmulator } = await import(${JSON.stringify(module)}); const e = await startGleapEmulator({ port: 0, receivedLimit: 1000 }); console.log(e.url); process.on('SIGTERM', () => e.close().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
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
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code})`)));
  });
}
