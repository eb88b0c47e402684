import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createHttpClient } from '../http-client.ts';
import type { HttpClient } from '../http-client.ts';
import { createRateBudget, getRateBudget } from '../rate-budget.ts';
import { maxInWindow, sendJson, startTestServer } from './test-server.ts';

/** A server that enforces "at most `limit` requests in any sliding `windowMs`", like a strict vendor. */
async function slidingWindowServer(limit: number, windowMs: number) {
  const accepted: number[] = [];
  let throttled = 0;
  const server = await startTestServer((_req, res, arrived) => {
    const inWindow = accepted.filter((t) => arrived.at - t < windowMs).length;
    if (inWindow >= limit) {
      throttled++;
      return sendJson(res, 429, { message: 'rate limited' });
    }
    accepted.push(arrived.at);
    sendJson(res, 200, { ok: true });
  });
  return { server, accepted, throttled: () => throttled };
}

async function runConcurrently(client: HttpClient, total: number, concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        await client.get('/x', { label: 'load' });
      }
    }),
  );
}

describe('rate budget', () => {
  test('paces to a sliding-window server: zero 429s and near-full use of the budget', async () => {
    const { server, accepted, throttled } = await slidingWindowServer(20, 1000);
    try {
      const budget = createRateBudget({ requests: 20, perMs: 1000 });
      // No retries: a single 429 would fail the run.
      const client = createHttpClient({ baseUrl: server.url, budget, retry: { maxAttempts: 1 } });
      const total = 60;
      await runConcurrently(client, total, 8);
      assert.equal(throttled(), 0);
      assert.equal(accepted.length, total);
      assert.ok(maxInWindow(accepted, 1000) <= 20, 'maxInWindow(accepted, 1000) <= 20');
      // 60 requests need three windows: the last burst cannot start before ~2 s.
      const span = accepted[accepted.length - 1] - accepted[0];
      assert.ok(span >= 1900, `span ${span} ms`);
      // Utilization: requests sent / requests the budget allowed over the same time. Ideal ~0.98.
      const utilization = total / (((span + 1000) / 1000) * 20);
      assert.ok(utilization >= 0.6, `utilization ${utilization.toFixed(2)}`);
      assert.equal(budget.stats().granted, total);
    } finally {
      await server.close();
    }
  });

  test('clients naming the same budget key share one budget', async () => {
    const { server, throttled, accepted } = await slidingWindowServer(10, 1000);
    try {
      const key = `test:${randomUUID()}`;
      const a = createHttpClient({ baseUrl: server.url, budget: getRateBudget(key, { requests: 10, perMs: 1000 }), retry: { maxAttempts: 1 } });
      const b = createHttpClient({ baseUrl: server.url, budget: getRateBudget(key, { requests: 10, perMs: 1000 }), retry: { maxAttempts: 1 } });
      assert.equal(getRateBudget(key, { requests: 10, perMs: 1000 }), getRateBudget(key, { requests: 10, perMs: 1000 }));
      await Promise.all([runConcurrently(a, 15, 4), runConcurrently(b, 15, 4)]);
      assert.equal(throttled(), 0);
      assert.equal(accepted.length, 30);
      assert.equal(getRateBudget(key, { requests: 10, perMs: 1000 }).stats().granted, 30);
    } finally {
      await server.close();
    }
  });

  test('the strictest limit declared for a key wins', () => {
    const key = `test:${randomUUID()}`;
    const budget = getRateBudget(key, { requests: 1000, perMs: 60_000 });
    getRateBudget(key, { requests: 500, perMs: 60_000 });
    getRateBudget(key, { requests: 1000, perMs: 60_000 });
    assert.equal(budget.requests, 500);
  });

  test('a 429 pauses every caller of the budget for Retry-After', async () => {
    let first = true;
    let throttledAt = 0;
    const server = await startTestServer((_req, res, arrived) => {
      if (first) {
        first = false;
        throttledAt = arrived.at;
        return sendJson(res, 429, {}, { 'retry-after': '1' });
      }
      sendJson(res, 200, { ok: true });
    });
    try {
      const budget = createRateBudget({ requests: 100, perMs: 1000 });
      const a = createHttpClient({ baseUrl: server.url, budget, retry: { baseDelayMs: 5 } });
      const b = createHttpClient({ baseUrl: server.url, budget, retry: { baseDelayMs: 5 } });
      const pending = a.get('/a');
      while (budget.stats().pauses === 0) await new Promise((r) => setTimeout(r, 5));
      await Promise.all([pending, b.get('/b'), b.get('/b')]);
      const later = server.arrived.slice(1);
      assert.equal(later.length, 3);
      for (const r of later) assert.ok(r.at - throttledAt >= 950, `${r.url} arrived ${r.at - throttledAt} ms after the 429`);
      assert.equal(a.stats().total.throttled, 1);
    } finally {
      await server.close();
    }
  });

  test('a caller waiting for a slot can give up', async () => {
    const budget = createRateBudget({ requests: 1, perMs: 60_000 });
    const release = await budget.acquire();
    release();
    const controller = new AbortController();
    const waiting = budget.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(waiting, /stop/);
    assert.equal(budget.stats().queued, 0);
  });

  test('slots are handed out first come, first served', async () => {
    const budget = createRateBudget({ requests: 1, perMs: 20, marginMs: 0 });
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const release = await budget.acquire();
        order.push(i);
        release();
      }),
    );
    assert.deepEqual(order, [0, 1, 2, 3]);
  });
});
