/**
 * The delivery worker's decisions, with a real queue and a target that records what it is
 * asked to send and answers as a destination would.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { AuthError, HttpError } from '../../core/errors.ts';
import { silentLogger } from '../../core/logger.ts';
import { deliverySettingsSchema } from '../../destinations/delivery-settings.ts';
import { createDestinationGate } from '../delivery/destination-gate.ts';
import { startDeliveryWorker, type DeliveryTarget } from '../delivery/delivery-worker.ts';
import { openLmdbQueue } from '../queue/lmdb-queue.ts';
import type { EventQueue } from '../queue/event-queue.ts';
import { queueDeliveries, removeTempDirs, tempDir, waitFor } from './event-test-kit.ts';

after(removeTempDirs);

const SUB = 'd/m';
const event = (userId: string, n: number) => JSON.stringify({ userId, n });

interface Harness {
  queue: EventQueue;
  sent: { userId: string; n: number }[][];
  stop(): Promise<void>;
  paused(): boolean;
}

async function harness(send: (bodies: { userId: string; n: number }[]) => Promise<void>, opts: { batchSize?: number; lingerMs?: number; concurrency?: number; events: string[] }): Promise<Harness> {
  const queue = openLmdbQueue(tempDir());
  await queueDeliveries(queue, opts.events.map((e) => ({ subscription: SUB, event: e, body: JSON.parse(e), userId: JSON.parse(e).userId, receivedAt: Date.now() })));
  const sent: { userId: string; n: number }[][] = [];
  const target: DeliveryTarget = {
    id: SUB,
    batchSize: opts.batchSize ?? 1,
    lingerMs: opts.lingerMs ?? 0,
    send: async (bodies) => {
      sent.push(bodies as { userId: string; n: number }[]);
      await send(bodies as { userId: string; n: number }[]);
    },
  };
  const gate = createDestinationGate({ destination: 'd', queue, log: silentLogger, recheck: async () => Promise.reject(new AuthError('still refused', 401)), recheckMs: 60_000 });
  const controller = new AbortController();
  const settings = deliverySettingsSchema.parse({ concurrency: opts.concurrency ?? 2, retryBaseDelay: 60_000 });
  const worker = startDeliveryWorker({ queue, target, gate, settings, log: silentLogger, signal: controller.signal, pollMs: 20 });
  return {
    queue,
    sent,
    paused: () => !gate.isOpen(),
    async stop() {
      controller.abort();
      gate.close();
      await worker.stopped;
      await queue.close();
    },
  };
}

describe('delivery worker', () => {
  test('one-by-one actions never have two events of the same user in flight', async () => {
    const release: (() => void)[] = [];
    const h = await harness(() => new Promise<void>((r) => release.push(r)), { concurrency: 4, events: [event('a', 1), event('a', 2), event('b', 1)] });
    try {
      await waitFor('two sends', async () => h.sent.length === 2);
      assert.deepEqual(h.sent.map((b) => [b[0]!.userId, b[0]!.n]), [['a', 1], ['b', 1]], "a's second event waits for its first");
      release.shift()!();
      await waitFor('the third send', async () => h.sent.length === 3);
      assert.deepEqual(h.sent[2]!.map((e) => [e.userId, e.n]), [['a', 2]]);
      for (const r of release) r();
      release.length = 0;
      await waitFor('all delivered', async () => (await h.queue.counts())[SUB]?.delivered === 3);
    } finally {
      for (const r of release) r();
      await h.stop();
    }
  });

  test('a refused batch is split to isolate bad events, within a bounded number of requests', async () => {
    const events = Array.from({ length: 64 }, (_, i) => event(`u${i}`, i));
    const h = await harness(
      async () => {
        throw new HttpError('HTTP 400 Bad Request', { status: 400, method: 'POST', url: 'x', code: 'HTTP_CLIENT_ERROR', disposition: 'fatal' });
      },
      { batchSize: 64, events },
    );
    try {
      await waitFor('all dead-lettered', async () => (await h.queue.sizes()).dead[SUB] === 64);
      assert.ok(h.sent.length <= 2 * 6 + 4 + 1, `${h.sent.length} requests for an all-bad batch of 64`);
      assert.equal((await h.queue.counts())[SUB]!.deadLettered, 64);
    } finally {
      await h.stop();
    }
  });

  test('a transient failure schedules a retry; refused credentials pause the destination and keep the events', async () => {
    let answer: 'busy' | 'refused' = 'busy';
    const h = await harness(
      async () => {
        if (answer === 'busy') throw new HttpError('HTTP 503', { status: 503, method: 'POST', url: 'x', code: 'HTTP_SERVER_ERROR', disposition: 'retry' });
        throw new AuthError('token refused', 401);
      },
      { batchSize: 10, events: [event('a', 1), event('b', 2)] },
    );
    try {
      await waitFor('a scheduled retry', async () => {
        const [d] = await h.queue.lease(SUB, 10, Date.now() + 3_600_000);
        if (d) h.queue.release([d]);
        return d?.attempts === 1 && d.dueAt > Date.now() && d.lastError === 'HTTP 503';
      });
      answer = 'refused';
      // The retry is a minute away: make it due now.
      const due = await h.queue.lease(SUB, 10, Date.now() + 3_600_000);
      await h.queue.settle({ retry: due.map((delivery) => ({ delivery, dueAt: Date.now(), error: 'now' })) });
      await waitFor('the pause', async () => h.paused());
      assert.equal((await h.queue.sizes()).pending[SUB], 2, 'the events are kept');
      assert.equal((await h.queue.states()).d?.reason, 'token refused');
    } finally {
      await h.stop();
    }
  });

  test('a partial batch waits lingerMs for company, then goes', async () => {
    const h = await harness(async () => {}, { batchSize: 100, lingerMs: 1500, events: [event('a', 1)] });
    try {
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(h.sent.length, 0, 'still lingering');
      await queueDeliveries(h.queue, [{ subscription: SUB, event: event('b', 2), body: JSON.parse(event('b', 2)), userId: 'b', receivedAt: Date.now() }]);
      await waitFor('one batch of both', async () => h.sent.length === 1);
      assert.deepEqual(h.sent[0]!.map((e) => e.n), [1, 2]);
    } finally {
      await h.stop();
    }
  });
});

describe('pacer', () => {
  test('spreads requests: the first goes at once, the next waits its turn', async () => {
    const { createPacer } = await import('../delivery/pacer.ts');
    const pacer = createPacer(40);
    let second = false;
    await pacer.wait();
    const p = pacer.wait().then(() => (second = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(second, false, 'the second request waits');
    await p;
    assert.equal(second, true);
    const aborted = new AbortController();
    const third = pacer.wait(aborted.signal);
    aborted.abort(new Error('shutting down'));
    await assert.rejects(third, /shutting down/);
  });
});
