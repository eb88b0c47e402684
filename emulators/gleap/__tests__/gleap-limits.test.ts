import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startGleapEmulator } from '../gleap-emulator.ts';
import { ADMIN, AUTH, call, get, hook, NOW } from './client.ts';

describe('rate limit', () => {
  test('answers 429 past the per-project budget, counts it, and never limits the hooks', async () => {
    const e = await startGleapEmulator({ scale: 50, now: NOW, rateLimit: { requests: 5, perMs: 60_000 } });
    try {
      for (let k = 0; k < 10; k++) await hook(e, 'GET', 'counts'); // hooks: free
      const statuses: number[] = [];
      for (let k = 0; k < 6; k++) statuses.push((await get(e, '/v3/teams')).status);
      statuses.push((await get(e, '/admin/auth', ADMIN)).status); // /admin shares the project budget
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
      const limited = await get(e, '/v3/teams');
      assert.equal(limited.status, 429);
      assert.deepEqual(limited.body, { message: 'Too many requests' });
      assert.equal(limited.headers.get('retry-after'), null, 'Gleap documents no Retry-After');
      assert.equal((await get(e, '/v3/teams', {})).status, 401, 'bad credentials are refused before the budget');
      const stats = await hook(e, 'GET', 'stats');
      assert.equal(stats.requests, 9);
      assert.equal(stats.throttled, 3);
      assert.equal(stats.byRoute['GET /v3/teams'], 8);
      assert.equal(stats.byRoute['GET /admin/auth'], 1);

      await hook(e, 'POST', 'rate-limit', { rateLimit: '1/60s', retryAfter: true });
      assert.equal((await get(e, '/v3/teams')).status, 200);
      const again = await get(e, '/v3/teams');
      assert.equal(again.status, 429);
      assert.ok(Number(again.headers.get('retry-after')) >= 1, 'Retry-After when asked for');
      await hook(e, 'POST', 'rate-limit', { rateLimit: 'off' });
      for (let k = 0; k < 20; k++) assert.equal((await get(e, '/v3/teams')).status, 200);
    } finally {
      await e.close();
    }
  });
});

describe('faults', () => {
  test('status faults arrive as configured, are counted, and spare the hooks', async () => {
    const e = await startGleapEmulator({ scale: 50, now: NOW, rateLimit: null, faults: { status500: 0.3, status503: 0.2, status429: 0.1 } });
    try {
      const seen: Record<number, number> = {};
      for (let k = 0; k < 200; k++) {
        const r = await get(e, '/v3/teams');
        seen[r.status] = (seen[r.status] ?? 0) + 1;
        if (r.status !== 200) assert.equal(typeof r.body.message, 'string');
      }
      for (const status of [200, 500, 503, 429]) assert.ok(seen[status] > 0, `some ${status}s: ${JSON.stringify(seen)}`);
      const stats = await hook(e, 'GET', 'stats');
      assert.deepEqual(stats.faults, { status500: seen[500], status503: seen[503], status429: seen[429] });
      assert.equal(stats.throttled, seen[429], 'every 429 answered counts as throttled, injected ones too (as Gladly)');

      await hook(e, 'POST', 'faults', { status500: 1 });
      assert.equal((await get(e, '/v3/teams')).status, 500);
      assert.equal((await call(e, 'GET', '/__emulator/counts', { headers: {} })).status, 200);
      assert.equal((await call(e, 'POST', '/__emulator/faults', { headers: {}, body: { status999: 1 } })).status, 400);
      assert.deepEqual(await hook(e, 'POST', 'faults', {}), {});
      assert.equal((await get(e, '/v3/teams')).status, 200);
    } finally {
      await e.close();
    }
  });

  test('resets, hangs and truncated bodies fail on the client side', async () => {
    const e = await startGleapEmulator({ scale: 50, now: NOW, rateLimit: null, faults: { resetRate: 1 } });
    try {
      await assert.rejects(fetch(`${e.url}/v3/teams`, { headers: AUTH }));
      await hook(e, 'POST', 'faults', { truncateBody: 1 });
      const res = await fetch(`${e.url}/v3/tickets?limit=50`, { headers: AUTH });
      assert.equal(res.status, 200);
      await assert.rejects(res.text(), 'the body ends early');
      await hook(e, 'POST', 'faults', { timeoutRate: 1 });
      await assert.rejects(fetch(`${e.url}/v3/teams`, { headers: AUTH, signal: AbortSignal.timeout(300) }), /abort|timeout/i);
      await hook(e, 'POST', 'faults', { latencyMs: 20 });
      assert.equal((await get(e, '/v3/teams')).status, 200);
      const stats = await hook(e, 'GET', 'stats');
      assert.deepEqual(stats.faults, { reset: 1, truncate: 1, timeout: 1 });
    } finally {
      await e.close(); // also ends the hanging request
    }
  });
});
