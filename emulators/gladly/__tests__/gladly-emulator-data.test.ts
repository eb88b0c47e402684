import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CONTENT_TYPES } from '../conversation-item.ts';
import type { JobCounts } from '../job-store.ts';
import type { MutateResult } from '../mutate.ts';
import { parseRfc3339 } from '../rfc3339.ts';
import type { GladlyEmulator } from '../start-gladly-emulator.ts';
import { startGladlyEmulator } from '../start-gladly-emulator.ts';
import { api, fileText, hook, listJobs, readAllCompleted, records } from './gladly-test-client.ts';

const NOW = new Date('2025-03-10T12:34:56.789Z');
const ns = (t: string): bigint => parseRfc3339(t)!;

/** Required content fields per type, from the spec's conversation item schemas. */
const REQUIRED: Record<string, string[]> = {
  CHAT_MESSAGE: ['sessionId', 'content'], // the export example omits messageType; the REST schema requires it
  CONVERSATION_STATUS_CHANGE: ['status'],
  CUSTOMER_ACTIVITY: ['activityType'],
  EMAIL: ['from', 'to', 'subject', 'content'],
  FACEBOOK_MESSAGE: ['pageId', 'userId', 'content'],
  CONVERSATION_NOTE: ['body'],
  PHONE_CALL: ['from', 'to', 'startedAt'],
  SMS: ['from', 'to', 'content'],
  TOPIC_CHANGE: ['addedTopicIds'],
  VOICEMAIL: [],
  WHATSAPP: ['content'],
  INSTAGRAM_DIRECT: ['content'],
  TWITTER: ['content'],
  VOICE_AI_MESSAGE: ['companyNumber', 'body'],
};
const PARTIES = ['AGENT', 'API', 'AUTOMATION', 'CUSTOMER', 'INTERNAL', 'EXTERNAL', 'SYSTEM'];

describe('gladly emulator: files and counts', () => {
  let emu: GladlyEmulator;
  let all: Awaited<ReturnType<typeof readAllCompleted>>;
  before(async () => {
    emu = await startGladlyEmulator({ seed: 21, scale: 0.3, now: NOW, rateLimit: false });
    all = await readAllCompleted(emu);
  });
  after(() => emu.close());

  test('a file streams as NDJSON: one JSON object per line, application/x-ndjson', async () => {
    const job = all.jobs.find((j) => j.files.includes('conversation_items.jsonl'))!;
    const res = await api(emu, `/export/jobs/${job.id}/files/conversation_items.jsonl`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/x-ndjson');
    const text = await res.text();
    assert.ok(text.endsWith('\n'));
    const lines = text.slice(0, -1).split('\n');
    assert.ok(lines.length > 0);
    for (const line of lines) assert.equal(typeof JSON.parse(line), 'object');
  });

  test('conversation items carry every content type, shaped per the spec', () => {
    const items = [...all.streams.conversation_items.values()].map((v) => v[0]);
    const seen = new Set<string>();
    const customers = all.streams.customers;
    for (const item of items) {
      const content = item.content as Record<string, unknown>;
      seen.add(content.type as string);
      for (const key of ['id', 'customerId', 'timestamp', 'content']) assert.ok(key in item, `item without ${key}`);
      assert.ok(parseRfc3339(item.timestamp as string) !== null);
      for (const key of REQUIRED[content.type as string]) assert.ok(key in content, `${content.type} without ${key}: ${JSON.stringify(item)}`);
      const initiator = item.initiator as { type: string; id?: string };
      assert.ok(PARTIES.includes(initiator.type));
      if (initiator.type === 'CUSTOMER') assert.equal(initiator.id, item.customerId);
      if (item.responder) assert.ok(PARTIES.includes((item.responder as { type: string }).type));
    }
    assert.deepEqual([...seen].sort(), [...CONTENT_TYPES].sort());
    assert.ok(items.some((i) => !('conversationId' in i)), 'some items sit outside a conversation');
    assert.ok(items.some((i) => 'responder' in i));
    // Items name customers that the customers files hold.
    const known = items.filter((i) => customers.has(i.customerId as string)).length;
    assert.ok(known / items.length > 0.9, `${known} of ${items.length} items name an exported customer`);
  });

  test('customers come in both external id shapes; topics may have a parent; records recur across jobs with changes', () => {
    const customers = [...all.streams.customers.values()];
    assert.ok(customers.some((v) => typeof v[0].externalCustomerId === 'string'));
    assert.ok(customers.some((v) => typeof v[0].externalCustomerIds === 'object' && v[0].externalCustomerIds !== null));
    assert.ok(customers.every((v) => !('externalCustomerId' in v[0] && 'externalCustomerIds' in v[0])));
    const topics = [...all.streams.topics.values()].map((v) => v[0]);
    assert.ok(topics.some((t) => typeof t.parentId === 'string'));
    for (const t of topics) assert.equal(typeof t.disabled, 'boolean');
    for (const stream of ['customers', 'agents', 'topics']) {
      const recurring = [...all.streams[stream].values()].filter((v) => v.length > 1);
      assert.ok(recurring.length > 0, `${stream}: no id in more than one job`);
      assert.ok(recurring.some((v) => v.some((r) => JSON.stringify(r) !== JSON.stringify(v[0]))), `${stream}: recurring ids never change`);
    }
  });

  test('counts equal the distinct ids across the files of COMPLETED jobs', async () => {
    const { body } = await hook<JobCounts>(emu, 'counts');
    const { jobs, jobsByStatus, ...records } = body;
    assert.deepEqual(records, {
      customers: all.streams.customers.size,
      conversation_items: all.streams.conversation_items.size,
      agents: all.streams.agents.size,
      topics: all.streams.topics.size,
    }, 'records: distinct ids in COMPLETED jobs');
    const listed = await listJobs(emu);
    assert.equal(jobs, listed.length, '`jobs`: every job /export/jobs lists');
    assert.equal(jobsByStatus.COMPLETED, all.jobs.length, 'of which COMPLETED');
    assert.ok(Object.keys(jobsByStatus).length > 1, `other statuses are counted too: ${JSON.stringify(jobsByStatus)}`);
    // Some items are exported twice (late arrivals): merging on id matters for them too.
    const lines = [...all.streams.conversation_items.values()].reduce((n, v) => n + v.length, 0);
    assert.ok(lines > all.streams.conversation_items.size);
  });

  test('files not listed for a job answer 404, and unfinished jobs have no files', async () => {
    const short = all.jobs.find((j) => j.files.length < 4)!;
    const absent = ['agents.jsonl', 'conversation_items.jsonl', 'customers.jsonl', 'topics.jsonl'].find((f) => !short.files.includes(f))!;
    const res = await api(emu, `/export/jobs/${short.id}/files/${absent}`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { errors: [{ code: 'not_exist', detail: 'entity does not exist' }] });
    assert.equal((await api(emu, `/export/jobs/${short.id}/files/secrets.jsonl`)).status, 404);
    const [pending] = await listJobs(emu, '?status=PENDING');
    assert.equal((await api(emu, `/export/jobs/${pending.id}/files/customers.jsonl`)).status, 404);
  });

  test('quiet windows: some completed jobs list no file, some list an empty file', async () => {
    assert.ok(all.jobs.some((j) => j.files.length === 0), 'a COMPLETED job with files: []');
    let empty = 0;
    for (const job of all.jobs.filter((j) => j.files.includes('topics.jsonl'))) {
      const res = await api(emu, `/export/jobs/${job.id}/files/topics.jsonl`);
      assert.equal(res.status, 200);
      if ((await res.text()) === '') empty++;
    }
    assert.ok(empty > 0, 'a listed topics.jsonl without records');
  });
});

describe('gladly emulator: change over time', () => {
  test('mutate creates COMPLETED jobs visible in the listing, later than every other job', async () => {
    const emu = await startGladlyEmulator({ seed: 3, scale: 0.2, now: NOW, rateLimit: false });
    try {
      const before = await listJobs(emu);
      const counts0 = (await hook<JobCounts>(emu, 'counts')).body;
      const { status, body } = await hook<MutateResult>(emu, 'mutate', { resource: 'jobs', create: 3 });
      assert.equal(status, 200);
      assert.equal(body.ids.length, 3);
      const after = await listJobs(emu);
      const created = after.filter((j) => body.ids.includes(j.id));
      assert.equal(created.length, 3);
      const latest = before.reduce((m, j) => (ns(j.updatedAt) > m ? ns(j.updatedAt) : m), 0n);
      for (const j of created) {
        assert.equal(j.status, 'COMPLETED');
        assert.ok(j.files.length > 0);
        assert.ok(ns(j.updatedAt) > latest);
      }
      // An incremental reader asking from its last cursor sees exactly the new jobs.
      const since = await listJobs(emu, `?status=COMPLETED&startAt=${encodeURIComponent(before.find((j) => ns(j.updatedAt) === latest)!.updatedAt)}`);
      assert.deepEqual(since.filter((j) => ns(j.updatedAt) > latest).map((j) => j.id).sort(), [...body.ids].sort());
      const counts1 = (await hook<JobCounts>(emu, 'counts')).body;
      assert.equal(counts1.jobs, counts0.jobs + 3);
      assert.ok(counts1.conversation_items > counts0.conversation_items && counts1.customers > counts0.customers);

      // Record-level mutation: one new job with 2 updated and 1 new customer.
      const cust = await hook<MutateResult>(emu, 'mutate', { resource: 'customers', count: 2, create: 1 });
      assert.equal(cust.status, 200);
      assert.equal(cust.body.ids.length, 3);
      const [job] = cust.body.jobs;
      const exported = records(await fileText(emu, job.id, 'customers.jsonl')).map((r) => r.id);
      assert.deepEqual(exported, cust.body.ids);
      assert.equal((await hook<JobCounts>(emu, 'counts')).body.customers, counts1.customers + 1);

      // Every stream accepts count/create; items "updated" come again with the same ids.
      const counts2 = (await hook<JobCounts>(emu, 'counts')).body;
      const items = await hook<MutateResult>(emu, 'mutate', { resource: 'conversation_items', count: 2, create: 3 });
      assert.equal(items.status, 200);
      const exportedItems = records(await fileText(emu, items.body.jobs[0].id, 'conversation_items.jsonl')).map((r) => r.id);
      assert.deepEqual(exportedItems, items.body.ids);
      assert.equal(items.body.ids.length, 5);
      const counts3 = (await hook<JobCounts>(emu, 'counts')).body;
      assert.equal(counts3.conversation_items, counts2.conversation_items + 3);
      for (const resource of ['agents', 'topics']) {
        const r = await hook<MutateResult>(emu, 'mutate', { resource, count: 1, create: 1 });
        assert.equal(r.status, 200, resource);
        assert.equal(r.body.ids.length, 2, resource);
      }
      const counts4 = (await hook<JobCounts>(emu, 'counts')).body;
      assert.deepEqual([counts4.agents, counts4.topics], [counts3.agents + 1, counts3.topics + 1]);

      const bad = await hook<{ error: string }>(emu, 'mutate', { resource: 'tickets', count: 1 });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error, /jobs, customers/);
    } finally {
      await emu.close();
    }
  });

  test('a pending job completes on mutate, and unfinished jobs advance on the emulator clock', async () => {
    const emu = await startGladlyEmulator({ seed: 4, scale: 0.2, now: NOW, rateLimit: false, completeAfterMs: 60_000 });
    try {
      const [pending] = await listJobs(emu, '?status=PENDING');
      const [running] = await listJobs(emu, '?status=IN_PROGRESS');
      const counts0 = (await hook<JobCounts>(emu, 'counts')).body;
      const done = await hook<MutateResult>(emu, 'mutate', { resource: 'jobs', complete: pending.id });
      assert.deepEqual(done.body.ids, [pending.id]);
      const now = await (await api(emu, `/export/jobs/${pending.id}`)).json() as { status: string; updatedAt: string; files: string[] };
      assert.equal(now.status, 'COMPLETED');
      assert.ok(now.files.length > 0);
      assert.ok(ns(now.updatedAt) > ns(pending.updatedAt));
      const counts1 = (await hook<JobCounts>(emu, 'counts')).body;
      assert.equal(counts1.jobsByStatus.COMPLETED, counts0.jobsByStatus.COMPLETED! + 1, 'one more COMPLETED job');
      assert.equal(counts1.jobs, counts0.jobs, 'no job added: the pending one completed');
      assert.equal(counts1.jobs, (await listJobs(emu, '')).length, '`jobs` counts every job the API lists');
      const again = await hook<{ error: string }>(emu, 'mutate', { resource: 'jobs', complete: pending.id });
      assert.equal(again.status, 409);

      // The IN_PROGRESS job completes once completeAfterMs of emulator time has passed.
      await hook(emu, 'clock', { advanceMs: 61_000 });
      const later = await (await api(emu, `/export/jobs/${running.id}`)).json() as { status: string; updatedAt: string };
      assert.equal(later.status, 'COMPLETED');
      assert.ok(ns(later.updatedAt) > ns(running.updatedAt));
    } finally {
      await emu.close();
    }
  });

  test('as days pass, new scheduled jobs appear and jobs older than 14 days are gone', async () => {
    const emu = await startGladlyEmulator({ seed: 8, scale: 0.1, now: NOW, rateLimit: false, completeAfterMs: 3_600_000 });
    try {
      const before = await listJobs(emu);
      const oldest = before[before.length - 1];
      await hook(emu, 'clock', { advanceMs: 2 * 86_400_000 });
      const after = await listJobs(emu);
      assert.equal((await api(emu, `/export/jobs/${oldest.id}`)).status, 404);
      assert.ok(!after.some((j) => j.id === oldest.id));
      const fresh = after.filter((j) => !before.some((b) => b.id === j.id));
      assert.ok(fresh.length >= 46 && fresh.length <= 50, `${fresh.length} new hourly jobs in two days`);
      const statuses = new Set(fresh.map((j) => j.status));
      assert.ok(statuses.has('COMPLETED'), 'new jobs complete');
      assert.ok(statuses.has('PENDING') || statuses.has('IN_PROGRESS'), 'the newest jobs (last two hours) are still running');
      const horizon = ns(new Date(NOW.getTime() + 2 * 86_400_000 - 14 * 86_400_000).toISOString());
      for (const j of after) assert.ok(ns(j.updatedAt) >= horizon);
      const { body } = await hook<JobCounts>(emu, 'counts');
      assert.equal(body.jobs, after.length, 'every listed job');
      assert.equal(body.jobsByStatus.COMPLETED, after.filter((j) => j.status === 'COMPLETED').length, 'the COMPLETED ones');
    } finally {
      await emu.close();
    }
  });
});
