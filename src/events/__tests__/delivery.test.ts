/**
 * The pipeline end to end against the Gleap emulator: intake -> queue -> routing ->
 * actions -> delivery, with the faults the issue lists.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { startGleapEmulator, type GleapEmulator } from '../../../emulators/gleap/gleap-emulator.ts';
import { checkDestinations } from '../../destinations/check-destinations.ts';
import { resolveDestinations } from '../../destinations/resolve-destinations.ts';
import { planReplay, replayDeadLetters } from '../dead-letters.ts';
import { startEventService, type EventService } from '../event-service.ts';
import { readEventStatus } from '../event-status.ts';
import { getJson, postJson, received, removeTempDirs, setFaults, tempDir, testConfig, trackedEvents, waitFor, type TestConfigOptions } from './event-test-kit.ts';

const open: { close(): Promise<void> }[] = [];
after(async () => {
  for (const o of open.reverse()) await o.close();
  removeTempDirs();
});

async function emulator(opts: Parameters<typeof startGleapEmulator>[0] = {}): Promise<GleapEmulator> {
  const emu = await startGleapEmulator({ port: 0, rateLimit: null, ...opts });
  open.push(emu);
  return emu;
}

/** Gleap accepts the token again: the same address, now with the default token. */
async function acceptTokenAgain(emu: GleapEmulator): Promise<GleapEmulator> {
  await emu.close();
  return emulator({ port: emu.port });
}

async function service(o: Omit<TestConfigOptions, 'dataDir'> & { dataDir?: string }): Promise<EventService> {
  const config = testConfig({ dataDir: tempDir(), ...o });
  const svc = await startEventService({ config, pipeline: { pollMs: 50 } });
  open.push(svc);
  return svc;
}

const tracks = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
  Array.from({ length: n }, (_, i) => ({ type: 'track', userId: `user-${i % 7}`, event: 'Order Completed', properties: { seq: i }, ...extra(i) }));

async function status(svc: EventService) {
  const destinations = resolveDestinations(testConfig({ gleapUrl: 'http://x', dataDir: svc.dataDir }));
  return readEventStatus(svc.queue, destinations, svc.dataDir);
}

describe('delivery to Gleap', () => {
  test('track events go out batched in few /admin/track calls; identify and page as Segment maps them', async () => {
    const emu = await emulator();
    const svc = await service({ gleapUrl: emu.url, mappings: [{ action: 'trackEvent', batchSize: 500, lingerMs: 200 }, { action: 'identifyContact' }] });
    const batch = [
      ...tracks(1200),
      { type: 'page', userId: 'user-1', name: 'Pricing', context: { page: { url: 'https://x.io/pricing' } } },
      { type: 'identify', userId: 'user-1', traits: { firstName: 'Ada', email: 'ada@x.io', order_completed_last_30days: true } },
      { type: 'track', anonymousId: 'anon', event: 'Anonymous' },
    ];
    for (let i = 0; i < batch.length; i += 400) assert.equal((await postJson(`${svc.url}/v1/batch`, { batch: batch.slice(i, i + 400) })).status, 200);
    const events = await waitFor('1201 tracked events', async () => {
      const e = await trackedEvents(emu.url);
      return e.length >= 1201 && e;
    });
    const calls = (await received(emu.url)).filter((r) => r.path === '/admin/track').length;
    assert.ok(calls <= 4, `${calls} /admin/track calls for 1201 events`);
    assert.deepEqual(new Set(events.filter((e) => e.name === 'order completed').map((e) => (e.data as { seq: number }).seq)).size, 1200);
    assert.deepEqual(events.find((e) => e.name === 'pageView'), { name: 'pageView', date: events.find((e) => e.name === 'pageView')!.date, data: { page: 'https://x.io/pricing' }, userId: 'user-1' });
    const identify = await waitFor('the identify', async () => (await received(emu.url)).find((r) => r.path === '/admin/identify'));
    assert.deepEqual({ ...identify.body, lastActivity: undefined }, { userId: 'user-1', name: 'Ada', email: 'ada@x.io', order_completed_last_30days: true, lastActivity: undefined });

    // The emulator answers before the outcome is committed: wait for the counters.
    const s = await waitFor('the counts', async () => {
      const st = await status(svc);
      return st.destinations[0]!.mappings[0]!.delivered === 1201 && st.destinations[0]!.mappings[1]!.delivered === 1 && st;
    });
    const [track, ident] = s.destinations[0]!.mappings;
    assert.deepEqual([track!.received, track!.filtered, track!.delivered, track!.pending], [1202, 1, 1201, 0]);
    assert.deepEqual(track!.filteredBecause, { 'userId is missing': 1 });
    assert.deepEqual([ident!.received, ident!.delivered], [1, 1]);
    assert.deepEqual(s.intake, { accepted: 1203, duplicates: 0, rejected: 0, unauthorized: 0, deletions: 0 });
  });

  test('Gleap answering 401: deliveries stop, status says the token is wrong, events are kept and go out once accepted', async () => {
    const refusing = await emulator({ secretToken: 'rotated-token' });
    const svc = await service({ gleapUrl: refusing.url });
    assert.equal((await postJson(`${svc.url}/v1/batch`, { batch: tracks(30) })).status, 200);
    const paused = await waitFor('the paused state', async () => {
      const s = await status(svc);
      return s.destinations[0]!.state === 'paused' && s.destinations[0]!.mappings[0]!.pending === 30 && s;
    });
    assert.match(paused.destinations[0]!.reason!, /Gleap refused the secret API token: check destinations\[0\]\.config\.apiToken/);
    assert.equal((await trackedEvents(refusing.url)).length, 0);

    const emu = await acceptTokenAgain(refusing); // e.g. the token was restored in Gleap
    await waitFor('delivery after the token is accepted', async () => (await trackedEvents(emu.url)).length === 30);
    const s = await waitFor('the delivered count', async () => {
      const st = await status(svc);
      return st.destinations[0]!.mappings[0]!.delivered === 30 && st;
    });
    assert.equal(s.destinations[0]!.state, 'ok');
    assert.equal(s.destinations[0]!.mappings[0]!.pending, 0);
  });

  test('a 429 storm is paced and everything is eventually delivered', async () => {
    const emu = await emulator({ faults: { status429: 0.5 }, seed: 7 });
    const svc = await service({ gleapUrl: emu.url, mappings: [{ action: 'trackEvent', batchSize: 500, lingerMs: 50 }, { action: 'identifyContact' }] });
    const batch = [...tracks(1000), ...['a', 'b', 'c'].map((u) => ({ type: 'identify', userId: u, traits: { plan: 'pro' } }))];
    assert.equal((await postJson(`${svc.url}/v1/batch`, { batch })).status, 200);
    await waitFor(
      'all events despite 429s',
      async () => {
        const r = await received(emu.url);
        const tracked = new Set(r.filter((x) => x.path === '/admin/track').flatMap((x) => (x.body as { events: { data: { seq: number } }[] }).events.map((e) => e.data.seq)));
        return tracked.size === 1000 && r.filter((x) => x.path === '/admin/identify').length >= 3;
      },
      60_000,
      100,
    );
    const stats = await getJson<{ faults: Record<string, number> }>(`${emu.url}/__emulator/stats`);
    assert.ok(stats.faults.status429 > 0, 'the storm happened');
    const s = await waitFor('the counts', async () => {
      const st = await status(svc);
      return st.destinations[0]!.mappings.reduce((n, m) => n + m.delivered, 0) === 1003 && st;
    });
    assert.equal(s.destinations[0]!.mappings.reduce((n, m) => n + m.deadLettered, 0), 0);
    assert.ok(s.destinations[0]!.mappings.reduce((n, m) => n + m.retried, 0) > 0, 'retries are counted');
  });

  test('5xx past the maximum retry age goes to the dead-letter store with the reason; replay sends it', async () => {
    const emu = await emulator({ faults: { status503: 1 } });
    const svc = await service({ gleapUrl: emu.url, settings: { maxRetryAge: 300 } });
    assert.equal((await postJson(`${svc.url}/v1/identify`, { userId: 'u-dead', traits: { plan: 'pro' } })).status, 200);
    const s = await waitFor('a dead letter', async () => {
      const st = await status(svc);
      return st.destinations[0]!.mappings[1]!.dead === 1 && st;
    });
    assert.equal(s.destinations[0]!.mappings[1]!.deadLettered, 1);
    const [letter] = await svc.queue.deadLetters();
    assert.match(letter!.reason, /^gave up after \d+ attempts over .* \(maxRetryAge 0\.3 s\); last error: .*503/);
    assert.equal(letter!.status, 503);

    await setFaults(emu.url, {});
    const destinations = resolveDestinations(testConfig({ gleapUrl: emu.url, dataDir: svc.dataDir }));
    assert.equal(await replayDeadLetters(svc.queue, await planReplay(svc.queue, destinations)), 1);
    svc.pipeline.wake();
    await waitFor('the replayed identify', async () => (await received(emu.url)).some((r) => r.path === '/admin/identify' && r.body?.userId === 'u-dead'));
  });

  test('other 4xx: dead-lettered at once with the reason; a bad event does not sink its batch', async () => {
    // A Gleap stand-in that refuses any batch holding a "poison" event (the emulator has no such rule).
    let refuse = true;
    const got: string[] = [];
    const stub = createServer((req, res) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        const body = text ? JSON.parse(text) : {};
        const names: string[] = (body.events ?? []).map((e: { name: string }) => e.name);
        if (refuse && names.includes('poison')) {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"message":"invalid event name"}');
          return;
        }
        got.push(...names);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r));
    open.push({ close: () => new Promise((r) => stub.close(() => r())) });
    const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
    const svc = await service({ gleapUrl: url, mappings: [{ action: 'trackEvent', batchSize: 16, lingerMs: 100 }] });

    const batch = tracks(16, (i) => ({ event: i === 11 ? 'poison' : `ok-${i}` }));
    assert.equal((await postJson(`${svc.url}/v1/batch`, { batch })).status, 200);
    await waitFor('15 delivered and 1 dead', async () => got.length === 15 && (await svc.queue.deadLetters()).length === 1);
    const [letter] = await svc.queue.deadLetters();
    assert.equal(letter!.status, 400);
    assert.match(letter!.reason, /HTTP 400 Bad Request: \{"message":"invalid event name"\}/);
    assert.equal(JSON.parse(letter!.event).event, 'poison');
    await waitFor('the counts', async () => {
      const m = (await status(svc)).destinations[0]!.mappings[0]!;
      return m.delivered === 15 && m.deadLettered === 1 && m.pending === 0;
    });

    refuse = false;
    const destinations = resolveDestinations(testConfig({ gleapUrl: url, dataDir: svc.dataDir, mappings: [{ action: 'trackEvent', batchSize: 16, lingerMs: 100 }] }));
    await replayDeadLetters(svc.queue, await planReplay(svc.queue, destinations));
    svc.pipeline.wake();
    await waitFor('the replayed event', async () => got.includes('poison'));
  });

  test('a user deletion calls DELETE /admin/contacts/{userId} URL-encoded and drops the user’s queued events', async () => {
    const refusing = await emulator({ secretToken: 'not-yet' });
    const svc = await service({ gleapUrl: refusing.url });
    await postJson(`${svc.url}/v1/batch`, { batch: [...tracks(3, () => ({ userId: 'a/b c?' })), ...tracks(2, () => ({ userId: 'keep' }))] });
    await waitFor('routed', async () => (await status(svc)).destinations[0]!.mappings[0]!.pending === 5);
    assert.deepEqual(await postJson(`${svc.url}/v1/delete`, { userId: 'a/b c?' }), { status: 200, body: { success: true, queued: 1 } });
    await waitFor('purged', async () => (await status(svc)).destinations[0]!.mappings[0]!.pending === 2);

    const emu = await acceptTokenAgain(refusing);
    const deletion = await waitFor('the DELETE', async () => (await received(emu.url)).find((r) => r.method === 'DELETE'));
    assert.equal(deletion.path, '/admin/contacts/a%2Fb%20c%3F');
    await waitFor('the kept events', async () => (await trackedEvents(emu.url)).length === 2);
    assert.ok((await trackedEvents(emu.url)).every((e) => e.userId === 'keep'));
  });

  test('the connection check calls /admin/auth and names the setting when refused', async () => {
    const emu = await emulator();
    const good = resolveDestinations(testConfig({ gleapUrl: emu.url, dataDir: tempDir() }));
    const [ok] = await checkDestinations(good);
    assert.deepEqual(ok, { name: 'gleap-events', type: 'gleap', ok: true, details: [`reached ${emu.url}/admin/auth: the secret API token is valid`] });
    const bad = resolveDestinations(testConfig({ gleapUrl: emu.url, dataDir: tempDir(), token: 'wrong-token' }));
    const [refused] = await checkDestinations(bad);
    assert.equal(refused!.ok, false);
    assert.match((refused as { error: string }).error, /check destinations\[0\]\.config\.apiToken/);
    assert.ok(!(refused as { error: string }).error.includes('wrong-token'), 'the token is redacted');
    assert.ok((await received(emu.url)).some((r) => r.path === '/admin/auth'));
  });
});
