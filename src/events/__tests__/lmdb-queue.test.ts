import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { EventQueue, NewDelivery } from '../queue/event-queue.ts';
import { openLmdbQueue } from '../queue/lmdb-queue.ts';
import { queueDeliveries, removeTempDirs, tempDir } from './event-test-kit.ts';

after(removeTempDirs);

const delivery = (sub: string, userId = 'u', event = '{}'): NewDelivery => ({ subscription: sub, event, body: { userId }, userId, receivedAt: 1 });

async function withQueue(fn: (q: EventQueue) => Promise<void>, opts: { dedupeWindowMs?: number; now?: () => number } = {}) {
  const q = openLmdbQueue(tempDir(), opts);
  try {
    await fn(q);
  } finally {
    await q.close();
  }
}

describe('lmdb queue', () => {
  test('accepted deliveries and counts survive closing and reopening, oldest first', async () => {
    const dir = tempDir();
    const q = openLmdbQueue(dir);
    await q.accept(['a', 'b'], () => ({ deliveries: [delivery('d/m', 'u1', '{"n":1}'), delivery('d/m', 'u2', '{"n":2}')], counts: { 'd/m': { received: 2 } } }));
    await q.accept(['c'], () => ({ deliveries: [delivery('d/m', 'u3', '{"n":3}')], counts: { 'd/m': { received: 1 } } }));
    await q.close();
    const again = openLmdbQueue(dir);
    const leased = await again.lease('d/m', 10, Date.now() + 1);
    assert.deepEqual(leased.map((d) => JSON.parse(d.event).n), [1, 2, 3]);
    assert.deepEqual(await again.counts(), { 'd/m': { received: 3 } });
    await again.close();
  });

  test('duplicate messageIds are flagged within the window (up to 1/24 longer), in one call and across calls', async () => {
    let now = 1_000_000;
    await withQueue(
      async (q) => {
        let seen: readonly boolean[] = [];
        const route = (fresh: readonly boolean[]) => {
          seen = fresh;
          return { deliveries: fresh.filter(Boolean).map(() => delivery('d/m')), counts: {} };
        };
        assert.deepEqual(await q.accept(['a', 'a', 'b'], route), { duplicates: ['a'] });
        assert.deepEqual(seen, [true, false, true]);
        assert.deepEqual(await q.accept(['b'], route), { duplicates: ['b'] });
        now += 59_000;
        assert.deepEqual(await q.accept(['b'], route), { duplicates: ['b'] }, 'still within the window');
        now += 60_000 / 24 + 1_001;
        await q.maintain(now);
        assert.deepEqual(await q.accept(['b'], route), { duplicates: [] });
        assert.deepEqual((await q.sizes()).pending, { 'd/m': 3 });
      },
      { dedupeWindowMs: 60_000, now: () => now },
    );
  });

  test('seen messageIds survive a restart, and another process sees them', async () => {
    const dir = tempDir();
    const route = (fresh: readonly boolean[]) => ({ deliveries: fresh.filter(Boolean).map(() => delivery('d/m')), counts: {} });
    const first = openLmdbQueue(dir);
    let later = 0;
    const second = openLmdbQueue(dir, { now: () => Date.now() + later });
    await first.accept(['m-1', 'm-2'], route);
    later = 2_000; // past the re-read interval: its next acceptance picks up the other's log
    assert.deepEqual(await second.accept(['m-2', 'm-3'], route), { duplicates: ['m-2'] });
    await first.close();
    await second.close();
    const again = openLmdbQueue(dir);
    assert.deepEqual(await again.accept(['m-1', 'm-3', 'm-4'], route), { duplicates: ['m-1', 'm-3'] });
    await again.close();
  });

  test('an acceptance that fails to route stores nothing and does not mark its ids as seen', async () => {
    await withQueue(async (q) => {
      await assert.rejects(
        q.accept(['x'], () => {
          throw new Error('router bug');
        }),
        /router bug/,
      );
      assert.deepEqual(await q.accept(['x'], () => ({ deliveries: [delivery('d/m')], counts: {} })), { duplicates: [] });
    });
  });

  test('leases are exclusive until settled; retries wait for their time; dead letters keep the event and reason', async () => {
    await withQueue(async (q) => {
      await queueDeliveries(q, [delivery('d/m', 'u1'), delivery('d/m', 'u2'), delivery('d/m', 'u3', '{"n":3}')]);
      const now = Date.now() + 1;
      const first = await q.lease('d/m', 2, now);
      assert.equal(first.length, 2);
      const second = await q.lease('d/m', 5, now);
      assert.deepEqual(second.map((d) => d.userId), ['u3']);
      assert.equal((await q.lease('d/m', 5, now)).length, 0);

      await q.settle({
        delivered: [first[0]!],
        retry: [{ delivery: first[1]!, dueAt: now + 60_000, error: 'HTTP 503' }],
        dead: [{ delivery: second[0]!, reason: 'HTTP 400: bad', status: 400 }],
        counts: { 'd/m': { delivered: 1, deadLettered: 1 } },
      });
      assert.equal((await q.lease('d/m', 5, now)).length, 0, 'the retry is not due yet');
      assert.equal(await q.nextDue('d/m'), now + 60_000);
      const due = await q.lease('d/m', 5, now + 60_000);
      assert.equal(due.length, 1);
      assert.equal(due[0]!.attempts, 1);
      assert.equal(due[0]!.lastError, 'HTTP 503');
      assert.ok(due[0]!.firstFailureAt! >= now - 1);
      q.release(due);

      const dead = await q.deadLetters();
      assert.equal(dead.length, 1);
      assert.equal(dead[0]!.reason, 'HTTP 400: bad');
      assert.equal(dead[0]!.status, 400);
      assert.equal(dead[0]!.event, '{"n":3}');
      assert.deepEqual((await q.sizes()).dead, { 'd/m': 1 });

      assert.deepEqual(dead[0]!.body, { userId: 'u3' });
      assert.equal(await q.requeue([{ deadLetter: dead[0]!, body: { fixed: true } }]), 1);
      assert.equal(await q.requeue([{ deadLetter: dead[0]!, body: { fixed: true } }]), 0, 'already moved');
      const replayed = await q.lease('d/m', 5, Date.now() + 1);
      assert.deepEqual(replayed.map((d) => [d.event, d.body, d.attempts]), [['{"n":3}', { fixed: true }, 0]]);
      assert.equal((await q.counts())['d/m']!.replayed, 1);
    });
  });

  test('a user purge removes queued and dead deliveries of that user only, and not leased ones', async () => {
    await withQueue(async (q) => {
      await queueDeliveries(q, [delivery('d/m', 'gone'), delivery('d/m', 'stays'), delivery('d/m', 'gone'), delivery('x/m', 'gone')]);
      const leased = await q.lease('d/m', 1, Date.now() + 1);
      assert.equal(leased[0]!.userId, 'gone');
      const purge = { userId: 'gone', subscriptions: ['d/m'], scope: 'd/@delete' };
      await q.accept(['del-1'], () => ({ deliveries: [], counts: {}, purges: [purge] }));
      assert.deepEqual((await q.sizes()).pending, { 'd/m': 2, 'x/m': 1 });
      assert.equal((await q.counts())['d/@delete']!.purged, 1);
      q.release(leased);
      await q.accept(['del-2'], () => ({ deliveries: [], counts: {}, purges: [purge] }));
      assert.deepEqual((await q.sizes()).pending, { 'd/m': 1, 'x/m': 1 });
    });
  });

  test('counters: deltas written with the data, folded into totals by maintenance, same sums', async () => {
    const dir = tempDir();
    const q = openLmdbQueue(dir);
    await q.accept(['x1', 'x2'], () => ({ deliveries: [], counts: { '@intake': { accepted: 2, rejected: 1 } } }));
    await q.addCounts({ 'd/m': { delivered: 5 } });
    await q.addCounts({ 'd/m': { delivered: 2, retried: 1 } });
    const before = await q.counts();
    assert.deepEqual(before, { '@intake': { accepted: 2, rejected: 1 }, 'd/m': { delivered: 7, retried: 1 } });
    await q.maintain(Date.now());
    assert.deepEqual(await q.counts(), before);
    await q.addCounts({ 'd/m': { delivered: 1 } });
    await q.close();
    const again = openLmdbQueue(dir);
    assert.equal((await again.counts())['d/m']!.delivered, 8);
    await again.close();
  });

  test('destination states are stored and cleared', async () => {
    await withQueue(async (q) => {
      await q.setState('gleap', { status: 'paused', reason: 'token refused', since: 5 });
      assert.deepEqual(await q.states(), { gleap: { status: 'paused', reason: 'token refused', since: 5 } });
      await q.setState('gleap', undefined);
      assert.deepEqual(await q.states(), {});
    });
  });
});
