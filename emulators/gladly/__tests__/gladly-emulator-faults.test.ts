import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GladlyEmulator } from '../start-gladly-emulator.ts';
import { startGladlyEmulator } from '../start-gladly-emulator.ts';
import type { EmulatorStats } from '../test-hooks.ts';
import type { Job } from './gladly-test-client.ts';
import { api, hook, listJobs } from './gladly-test-client.ts';

const NOW = new Date('2025-03-10T12:34:56.789Z');

/** Reads a body chunk by chunk, keeping what arrived before an error. */
async function readUntilError(res: Response): Promise<{ text: string; error?: unknown }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

describe('gladly emulator: rate limit', () => {
  test('beyond the budget: 429 with the Gladly error body and no Retry-After; hooks are not limited', async () => {
    const emu = await startGladlyEmulator({ seed: 1, scale: 0.1, now: NOW, rateLimit: { requests: 3, perMs: 60_000 } });
    try {
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await api(emu, '/export/schedules'));
      assert.deepEqual(answers.map((r) => r.status), [200, 200, 200, 429, 429]);
      const limited = answers[3];
      assert.equal(limited.headers.get('retry-after'), null);
      assert.equal(limited.headers.get('ratelimit-limit-second'), '3');
      assert.equal(limited.headers.get('ratelimit-remaining-second'), '0');
      const body = (await limited.json()) as { errors: Array<{ code: string; detail: string }> };
      assert.equal(body.errors[0].code, 'too_many_requests');
      assert.equal(answers[0].headers.get('ratelimit-remaining-second'), '2');
      for (const r of answers) if (!r.bodyUsed) await r.body?.cancel();
      // Unauthenticated calls spend the organization's budget too, and hooks never do.
      assert.equal((await fetch(`${emu.apiBase}/export/jobs`)).status, 429);
      const stats = await hook<EmulatorStats>(emu, 'stats');
      assert.equal(stats.status, 200);
      assert.equal(stats.body.requests, 6);
      assert.equal(stats.body.throttled, 3);
      assert.equal(stats.body.byRoute['GET /api/v1/export/schedules'], 5);
      assert.equal(stats.body.byStatus['429'], 3);
    } finally {
      await emu.close();
    }
  });

  test('the default budget is 10 requests per second', async () => {
    const emu = await startGladlyEmulator({ seed: 1, scale: 0.1, now: NOW });
    try {
      const answers = await Promise.all(Array.from({ length: 25 }, () => api(emu, '/export/schedules')));
      for (const r of answers) await r.body?.cancel();
      const limited = answers.filter((r) => r.status === 429).length;
      // 25 requests in one burst: at most 10 pass per window (a slow machine may span 2-3 windows).
      assert.ok(limited >= 5, `only ${limited} of 25 burst requests were limited`);
      assert.equal(answers[0].headers.get('ratelimit-limit-second'), '10');
    } finally {
      await emu.close();
    }
  });
});

describe('gladly emulator: faults', () => {
  let emu: GladlyEmulator;
  let job: Job;
  before(async () => {
    emu = await startGladlyEmulator({ seed: 2, scale: 0.5, now: NOW, rateLimit: false });
    job = (await listJobs(emu, '?status=COMPLETED')).find((j) => j.files.length === 4)!;
  });
  after(() => emu.close());
  const setFaults = async (spec: Record<string, number>) => assert.equal((await hook(emu, 'faults', spec)).status, 200);
  const itemsPath = () => `/export/jobs/${job.id}/files/conversation_items.jsonl`;

  test('status500 and status429 answer with Gladly error bodies; hooks are never faulted', async () => {
    await setFaults({ status500: 1 });
    const res = await api(emu, '/export/jobs');
    assert.equal(res.status, 500);
    assert.ok(((await res.json()) as { errors: unknown[] }).errors.length === 1, 'one error item');
    assert.equal((await hook(emu, 'stats')).status, 200);
    assert.equal((await hook(emu, 'counts')).status, 200);
    await setFaults({ status429: 1 });
    const limited = await api(emu, '/export/jobs');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), null);
    await limited.body?.cancel();
    await setFaults({});
    assert.equal((await api(emu, '/export/jobs')).status, 200);
  });

  test('status502 and status503 answer like a gateway (HTML); resetRate drops the connection; timeoutRate never answers', async () => {
    for (const [key, status] of [['status502', 502], ['status503', 503]] as const) {
      await setFaults({ [key]: 1 });
      const res = await api(emu, '/export/jobs');
      assert.equal(res.status, status);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await res.text(), new RegExp(String(status)));
    }
    await setFaults({ resetRate: 1 });
    await assert.rejects(api(emu, '/export/jobs'));
    await setFaults({ timeoutRate: 1 });
    await assert.rejects(api(emu, '/export/jobs', { signal: AbortSignal.timeout(300) }), /abort|timeout/i);
    await setFaults({});
    const { body } = await hook<EmulatorStats>(emu, 'stats');
    assert.deepEqual([body.faults.status502, body.faults.status503, body.faults.reset, body.faults.timeout], [1, 1, 1, 1]);
  });

  test('a probability between 0 and 1 faults some requests, not all', async () => {
    await setFaults({ status500: 0.5 });
    const statuses = [];
    for (let i = 0; i < 40; i++) {
      const res = await api(emu, '/export/schedules');
      statuses.push(res.status);
      await res.body?.cancel();
    }
    await setFaults({});
    assert.ok(statuses.includes(500) && statuses.includes(200), statuses.join(','));
  });

  test('latencyMs delays every API answer', async () => {
    await setFaults({ latencyMs: 150 });
    const started = performance.now();
    const res = await api(emu, '/export/schedules');
    await res.body?.cancel();
    const elapsed = performance.now() - started;
    await setFaults({});
    assert.ok(elapsed >= 140, `answered after ${elapsed} ms`);
  });

  test('truncateBody: a JSON answer ends early and the connection drops', async () => {
    await setFaults({ truncateBody: 1 });
    const res = await api(emu, '/export/jobs');
    assert.equal(res.status, 200);
    const { error } = await readUntilError(res);
    await setFaults({});
    assert.ok(error, 'reading the body should fail');
  });

  test('cutFileMidLine: the download stops inside a line and the connection drops', async () => {
    await setFaults({ cutFileMidLine: 1 });
    const res = await api(emu, itemsPath());
    assert.equal(res.status, 200);
    const { text, error } = await readUntilError(res);
    await setFaults({});
    assert.ok(error, 'reading the file should fail');
    assert.ok(text.length > 0 && !text.endsWith('\n'), `partial text should end inside a line: ${JSON.stringify(text.slice(-40))}`);
    const last = text.split('\n').pop()!;
    assert.throws(() => JSON.parse(last));
  });

  test('missingFile: a listed file answers 404', async () => {
    await setFaults({ missingFile: 1 });
    const res = await api(emu, itemsPath());
    await setFaults({});
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { errors: [{ code: 'not_exist', detail: 'entity does not exist' }] });
    assert.equal((await api(emu, `/export/jobs/${job.id}`)).status, 200);
  });

  test('malformedLines and blankLines are inserted between intact records', async () => {
    const clean = (await (await api(emu, itemsPath())).text()).split('\n').filter(Boolean);
    await setFaults({ malformedLines: 0.5, blankLines: 0.5 });
    const dirty = (await (await api(emu, itemsPath())).text()).split('\n');
    await setFaults({});
    const blank = dirty.filter((l) => l.trim() === '');
    const unparseable = dirty.filter((l) => {
      if (l.trim() === '') return false;
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    assert.ok(blank.length > 2, `${blank.length} blank lines`);
    assert.ok(unparseable.length > 2, `${unparseable.length} malformed lines`);
    const kept = dirty.filter((l) => l.trim() !== '' && !unparseable.includes(l));
    assert.deepEqual(kept, clean);
  });

  test('a bad fault spec is refused with the list of valid keys', async () => {
    const res = await hook<{ error: string }>(emu, 'faults', { status504: 0.1 });
    assert.equal(res.status, 400);
    assert.match(res.body.error, /status500, status502/);
    const range = await hook<{ error: string }>(emu, 'faults', { status500: 2 });
    assert.equal(range.status, 400);
  });
});
