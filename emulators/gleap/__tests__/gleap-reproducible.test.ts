/**
 * The same seed, scale and reference "now" give the same data, across starts of one
 * process and of the real `supportsync emulate gleap` binary; writes still follow the
 * real clock; every 429 counts as throttled.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startGleapEmulator } from '../gleap-emulator.ts';
import type { GleapEmulator } from '../gleap-emulator.ts';
import { AUTH, get, hook, NOW, ok } from './client.ts';

const BIN = fileURLToPath(new URL('../../../bin/supportsync.js', import.meta.url));
const DAY = 86_400_000;
const FIRST_PAGE = '/v3/tickets?limit=50&sort=createdAt';
const ms = (iso: string) => Date.parse(iso);

/** What two starts must agree on: the counts and the first page of tickets. */
async function snapshot(e: GleapEmulator): Promise<{ counts: unknown; tickets: unknown }> {
  return { counts: await hook(e, 'GET', 'counts'), tickets: await ok(e, FIRST_PAGE) };
}

describe('reproducible data', () => {
  test('without now: two starts with the same seed and scale are identical, another seed differs', async () => {
    const [a, b, other] = await Promise.all([
      startGleapEmulator({ seed: 7, scale: 50, rateLimit: null }),
      startGleapEmulator({ seed: 7, scale: 50, rateLimit: null }),
      startGleapEmulator({ seed: 8, scale: 50, rateLimit: null }),
    ]);
    try {
      const mine = await snapshot(a);
      assert.deepEqual(await snapshot(b), mine, 'same seed and scale on the same day: same counts and tickets');
      const theirs = await snapshot(other);
      assert.notDeepEqual(theirs.tickets, mine.tickets, 'another seed: other tickets');
      assert.equal(a.store.startedAt % DAY, 0, `the default history ends at midnight UTC, got ${new Date(a.store.startedAt).toISOString()}`);
      const tickets = (await ok(a, '/v3/tickets?limit=1000')).tickets as { createdAt: string }[];
      assert.ok(tickets.every((t) => ms(t.createdAt) <= a.store.startedAt), 'no ticket after the end of the history');
      assert.ok(tickets.some((t) => ms(t.createdAt) > a.store.startedAt - 7 * DAY), 'the last 7 days have tickets');
    } finally {
      await Promise.all([a.close(), b.close(), other.close()]);
    }
  });

  test('without now: a mutation stamps the real present, later than every generated record', async () => {
    const e = await startGleapEmulator({ seed: 7, scale: 50, rateLimit: null });
    try {
      const before = (await ok(e, '/v3/tickets?limit=1000')).tickets as { updatedAt: string }[];
      const newest = Math.max(...before.map((t) => ms(t.updatedAt)));
      const asked = Date.now();
      const { updated } = await hook(e, 'POST', 'mutate', { resource: 'tickets', count: 1 });
      const ticket = await ok(e, `/v3/tickets/${updated[0]}`);
      assert.ok(ms(ticket.updatedAt) > newest, `mutated ${ticket.updatedAt} after the newest generated ${new Date(newest).toISOString()}`);
      assert.ok(ms(ticket.updatedAt) >= asked, `mutated ${ticket.updatedAt} not before the real time of the request ${new Date(asked).toISOString()}`);
    } finally {
      await e.close();
    }
  });

  test('with now: the data is fixed by it, and writes are stamped after it', async () => {
    const [a, b] = await Promise.all([
      startGleapEmulator({ seed: 3, scale: 50, now: NOW, rateLimit: null }),
      startGleapEmulator({ seed: 3, scale: 50, now: NOW, rateLimit: null }),
    ]);
    try {
      assert.deepEqual(await snapshot(b), await snapshot(a), 'same seed, scale and now: same data');
      const { updated } = await hook(a, 'POST', 'mutate', { resource: 'tickets', count: 1 });
      const ticket = await ok(a, `/v3/tickets/${updated[0]}`);
      assert.ok(ms(ticket.updatedAt) >= NOW.getTime(), `mutated ${ticket.updatedAt} at or after now ${NOW.toISOString()}`);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

/** Starts the real binary, waits for its listening line, runs `fn`, then SIGTERMs it. */
async function withCli<T>(args: string[], fn: (url: string) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, [BIN, 'emulate', 'gleap', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = once(child, 'exit');
  try {
    const lines = createInterface({ input: child.stdout });
    const [first] = (await Promise.race([once(lines, 'line'), exited.then(() => [undefined])])) as [string | undefined];
    const url = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first ?? '')?.[1];
    assert.ok(url, `first stdout line is "listening on http://127.0.0.1:PORT", got ${JSON.stringify(first)}; stderr: ${stderr}`);
    return await fn(url);
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}

async function cliSnapshot(url: string): Promise<{ counts: unknown; tickets: unknown }> {
  const counts = await (await fetch(`${url}/__emulator/counts`)).json();
  const res = await fetch(`${url}${FIRST_PAGE}`, { headers: AUTH });
  assert.equal(res.status, 200, `GET ${FIRST_PAGE} answers 200`);
  return { counts, tickets: await res.json() };
}

describe('supportsync emulate gleap', () => {
  test('--now gives identical data across starts; without it, starts on one day agree too', async () => {
    const fixed = ['--port', '0', '--seed', '3', '--scale', '20', '--now', '2026-01-01T00:00:00Z'];
    const first = await withCli(fixed, cliSnapshot);
    const second = await withCli(fixed, cliSnapshot);
    assert.deepEqual(second, first, 'two starts with the same --seed, --scale and --now serve the same data');
    const tickets = (first.tickets as { tickets: { createdAt: string }[] }).tickets;
    assert.ok(tickets.length > 0 && tickets.every((t) => ms(t.createdAt) <= Date.parse('2026-01-01T00:00:00Z')), 'the history ends at --now');

    // Two starts straddling midnight (UTC) may differ by design: then take two more.
    const daily = ['--port', '0', '--seed', '7', '--scale', '50'];
    const today = () => new Date().toISOString().slice(0, 10);
    for (;;) {
      const day = today();
      const [a, b] = [await withCli(daily, cliSnapshot), await withCli(daily, cliSnapshot)];
      if (today() !== day) continue;
      assert.deepEqual(b, a, 'two default starts on one day serve the same data');
      break;
    }
  });

  test('a bad --now exits 2 naming the flag and the expected form', async () => {
    const child = spawn(process.execPath, [BIN, 'emulate', 'gleap', '--port', '0', '--now', 'yesterday'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const [code] = await once(child, 'exit');
    assert.equal(code, 2, `exit code 2 for a bad --now; stderr: ${stderr}`);
    assert.match(stderr, /--now: expected an ISO 8601 instant such as 2026-01-01T00:00:00Z/, 'the error names the flag and the form');
    assert.equal(stdout, '', 'nothing listens');
  });
});

describe('throttled', () => {
  test('counts injected 429s as well as rate-limited ones', async () => {
    const e = await startGleapEmulator({ scale: 50, now: NOW, rateLimit: null });
    try {
      await hook(e, 'POST', 'faults', { status429: 1 });
      for (let k = 0; k < 3; k++) assert.equal((await get(e, '/v3/teams')).status, 429, 'the injected fault answers 429');
      const stats = await hook(e, 'GET', 'stats');
      assert.equal(stats.throttled, 3, `every 429 answered counts as throttled: ${JSON.stringify(stats)}`);
      assert.equal(stats.faults.status429, 3, 'and as an injected fault');
    } finally {
      await e.close();
    }
  });
});
