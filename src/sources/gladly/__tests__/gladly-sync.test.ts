/**
 * The Gladly source through the real engine into real DuckDB files, against the Gladly
 * emulator (daily schedule, small scale, no rate limit): what lands in the tables must
 * equal what the emulator says a client merging on id holds.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startGladlyEmulator, type GladlyEmulator } from '../../../../emulators/gladly/index.ts';
import { AuthError } from '../../../core/errors.ts';
import { silentLogger } from '../../../core/logger.ts';
import { runSync } from '../../../engine/sync-run.ts';
import { openDuckDbWarehouse } from '../../../warehouse/duckdb/duckdb-warehouse.ts';
import type { Warehouse } from '../../../warehouse/warehouse.ts';
import { CHANNEL_TYPES, conversationsView } from '../conversations-view.ts';
import { gladlyConfigSchema } from '../gladly-config.ts';
import { startGladlyDemo } from '../gladly-demo.ts';
import { gladlySource } from '../gladly-source.ts';
import { emulatorConfig, gladlyResolved, STREAMS } from './gladly-test-kit.ts';

const dir = mkdtempSync(join(tmpdir(), 'ss-gladly-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const newWarehouse = () => openDuckDbWarehouse(join(dir, `w${++fileNo}.duckdb`));
const emulators: GladlyEmulator[] = [];
after(async () => { await Promise.all(emulators.map((e) => e.close())); });

async function emulator(opts: Parameters<typeof startGladlyEmulator>[0] = {}): Promise<GladlyEmulator> {
  const emu = await startGladlyEmulator({ seed: 11, scale: 0.05, schedule: 'daily', rateLimit: false, ...opts });
  emulators.push(emu);
  return emu;
}

async function one(wh: Warehouse, sql: string): Promise<Record<string, unknown>> {
  return (await wh.query(sql)).rows[0]!;
}

/** Every stream's table holds exactly the distinct ids the emulator counts, each once. */
async function assertMatchesEmulator(wh: Warehouse, emu: GladlyEmulator): Promise<void> {
  const counts = emu.counts();
  for (const stream of STREAMS) {
    const row = await one(wh, `select count(*) as n, count(distinct id) as d from raw.${stream}`);
    assert.deepEqual([row.n, row.d], [counts[stream], counts[stream]], `${stream}: rows and distinct ids vs the emulator's ${counts[stream]}`);
  }
}

async function listJobs(emu: GladlyEmulator): Promise<Array<{ id: string; status: string; updatedAt: string }>> {
  const res = await fetch(`${emu.apiBase}/export/jobs`, { headers: { authorization: `Basic ${Buffer.from(`${emu.email}:${emu.token}`).toString('base64')}` } });
  return (await res.json()) as Array<{ id: string; status: string; updatedAt: string }>;
}

describe('gladly source through the engine', () => {
  let emu: GladlyEmulator;
  before(async () => { emu = await emulator(); });

  test('a first run loads every table exactly, with job columns, derived columns and a cursor on the newest job', async () => {
    const wh = await newWarehouse();
    try {
      const run = await runSync({ warehouse: wh, source: gladlyResolved(emu) });
      assert.equal(run.status, 'succeeded', run.error);
      assert.deepEqual(Object.keys(run.streams), [...STREAMS]);
      await assertMatchesEmulator(wh, emu);
      for (const stream of STREAMS) {
        const missing = await one(wh, `select count(*) as n from raw.${stream} where _job_id is null or _job_updated_at is null`);
        assert.equal(missing.n, 0, `${stream}: every row carries _job_id and _job_updated_at`);
      }
      const derived = await one(wh, `select
          count(*) filter (where content_type is distinct from (content->>'$.type')) as type_off,
          count(*) filter (where initiator_type is distinct from (initiator->>'$.type') or initiator_id is distinct from (initiator->>'$.id')) as initiator_off,
          count(*) filter (where responder_type is distinct from (responder->>'$.type')) as responder_off,
          count(distinct content_type) as types
        from raw.conversation_items`);
      assert.deepEqual(derived, { type_off: 0, initiator_off: 0, responder_off: 0, types: 14 });

      const newest = (await listJobs(emu)).filter((j) => j.status === 'COMPLETED').sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt)).at(-1)!;
      for (const stream of STREAMS) {
        const state = await wh.readState('gladly', stream);
        assert.equal(state?.cursor, newest.updatedAt, `${stream}: cursor is the newest completed job as given`);
        assert.equal(state?.jobId, newest.id);
      }
      const again = await runSync({ warehouse: wh, source: gladlyResolved(emu) });
      assert.equal(again.status, 'succeeded', again.error);
      for (const stream of STREAMS) {
        assert.equal(again.streams[stream]!.records, 0, `${stream}: a second run with no new job reads nothing`);
        assert.equal(again.streams[stream]!.requests, 1, `${stream}: only the job list is fetched`);
      }
    } finally {
      await wh.close();
    }
  });

  test('a newer job re-exporting known records wins the merge; only the new job is read', async () => {
    const local = await emulator({ seed: 12 });
    const wh = await newWarehouse();
    try {
      assert.equal((await runSync({ warehouse: wh, source: gladlyResolved(local) })).status, 'succeeded');
      const changed = local.mutate({ resource: 'customers', count: 6, create: 2 });
      const job = changed.jobs[0]!;
      const run = await runSync({ warehouse: wh, source: gladlyResolved(local) });
      assert.equal(run.status, 'succeeded', run.error);
      const s = run.streams.customers!;
      assert.equal(s.records, 8);
      assert.equal(s.inserted, 2);
      assert.equal(s.updated + s.unchanged, 6);
      const rows = await wh.query(`select id, _job_id from raw.customers where id in (${changed.ids.map((id) => `'${id}'`).join(', ')})`);
      assert.equal(rows.rows.length, 8);
      for (const r of rows.rows) assert.equal(r._job_id, job.id, `customer ${r.id} comes from the newest job`);
      await assertMatchesEmulator(wh, local);
    } finally {
      await wh.close();
    }
  });

  test('a full re-read (--full) of unchanged jobs, committed job by job oldest first, rolls nothing back and writes no history', async () => {
    const local = await emulator({ seed: 14 });
    const wh = await newWarehouse();
    try {
      assert.equal((await runSync({ warehouse: wh, source: gladlyResolved(local) })).status, 'succeeded');
      const versions = async () => Object.fromEntries(await Promise.all(STREAMS.map(async (s) => [s, (await one(wh, `select count(*) as n from raw.${s}__history`)).n])));
      const before = await versions();
      // One commit per job: an older job's version of a record is staged after the newer one is in the table.
      const run = await runSync({ warehouse: wh, source: gladlyResolved(local), full: true, commitRows: 1 });
      assert.equal(run.status, 'succeeded', run.error);
      for (const stream of STREAMS) {
        const s = run.streams[stream]!;
        assert.ok(s.records > 0, `${stream} was re-read`);
        assert.deepEqual([s.inserted, s.updated], [0, 0], `${stream}: nothing new, nothing changed`);
      }
      assert.deepEqual(await versions(), before, 'no version was written to any history table');
      await assertMatchesEmulator(wh, local);
    } finally {
      await wh.close();
    }
  });

  test('a job that completes after a run is read by the next run, and nothing else is', async () => {
    const local = await emulator({ seed: 13 });
    const wh = await newWarehouse();
    try {
      const unfinished = (await listJobs(local)).filter((j) => j.status === 'IN_PROGRESS' || j.status === 'PENDING');
      assert.ok(unfinished.length >= 1, 'the emulator has an unfinished job');
      assert.equal((await runSync({ warehouse: wh, source: gladlyResolved(local) })).status, 'succeeded');
      const [completed] = local.mutate({ resource: 'jobs', complete: 1 }).jobs;
      assert.ok(completed && completed.status === 'COMPLETED', 'the oldest unfinished job completed');
      const run = await runSync({ warehouse: wh, source: gladlyResolved(local) });
      assert.equal(run.status, 'succeeded', run.error);
      assert.ok(run.streams.conversation_items!.records > 0, 'the late job holds conversation items');
      const loaded = await wh.query(`select distinct _job_id from raw.conversation_items where _loaded_at = (select max(_loaded_at) from raw.conversation_items)`);
      assert.deepEqual(loaded.rows.map((r) => r._job_id), [completed.id]);
      for (const stream of STREAMS) assert.equal((await wh.readState('gladly', stream))?.jobId, completed.id);
      await assertMatchesEmulator(wh, local);
    } finally {
      await wh.close();
    }
  });

  test('malformed and blank lines are reported, not fatal; cut downloads are fetched again; nothing is lost', async () => {
    const local = await emulator({ seed: 14, faults: { malformedLines: 0.02, blankLines: 0.02, cutFileMidLine: 0.15 } });
    const wh = await newWarehouse();
    try {
      const run = await runSync({ warehouse: wh, source: gladlyResolved(local) });
      assert.equal(run.status, 'succeeded', run.error);
      await assertMatchesEmulator(wh, local);
      const warnings = Object.values(run.streams).flatMap((s) => s.warnings).join('\n');
      assert.match(warnings, /conversation_items\.jsonl: \d+ malformed line\(s\) skipped \(not a JSON object; line \d+/);
      assert.ok((local.stats().faults.cutFileMidLine ?? 0) >= 1, 'at least one download was cut');
    } finally {
      await wh.close();
    }
  });

  test('429s and 5xx are retried with backoff and the sync completes exactly', async () => {
    const local = await emulator({ seed: 15, faults: { status500: 0.1, status429: 0.1, status503: 0.05 } });
    const wh = await newWarehouse();
    try {
      const run = await runSync({ warehouse: wh, source: gladlyResolved(local), streams: ['agents', 'topics'] });
      assert.equal(run.status, 'succeeded', run.error);
      const counts = local.counts();
      for (const stream of ['agents', 'topics'] as const) {
        assert.equal((await one(wh, `select count(distinct id) as n from raw.${stream}`)).n, counts[stream]);
      }
      const faults = local.stats().faults;
      assert.ok((faults.status500 ?? 0) + (faults.status429 ?? 0) + (faults.status503 ?? 0) >= 1, `some requests failed: ${JSON.stringify(faults)}`);
    } finally {
      await wh.close();
    }
  });

  test('HISTORY MAY BE MISSING after more than 14 idle days: the run succeeds, warns, and the runs log shows it', async () => {
    const local = await emulator({ seed: 16 });
    const wh = await newWarehouse();
    try {
      assert.equal((await runSync({ warehouse: wh, source: gladlyResolved(local), streams: ['customers'] })).status, 'succeeded');
      const before = (await one(wh, 'select count(*) as n from raw.customers')).n as number;
      local.advance(20 * 86_400_000);
      const run = await runSync({ warehouse: wh, source: gladlyResolved(local), streams: ['customers'] });
      assert.equal(run.status, 'succeeded', run.error);
      assert.match(run.streams.customers!.warnings.join('\n'), /HISTORY MAY BE MISSING: the last sync read up to the export job updated at/);
      const [logged] = await wh.listRuns({ limit: 1 });
      assert.equal(logged!.runId, run.runId);
      assert.match(logged!.streams.customers!.warnings.join('\n'), /HISTORY MAY BE MISSING/);
      assert.ok(((await one(wh, 'select count(*) as n from raw.customers')).n as number) > before, 'the jobs still there were read');
    } finally {
      await wh.close();
    }
  });

  test('401 and 403 stop the run with a message naming the setting to fix', async () => {
    const local = await emulator({ seed: 17, extraUsers: [{ email: 'noperm@example.com', token: 'noperm-token-1', apiUser: false }] });
    const wh = await newWarehouse();
    try {
      const wrong = await runSync({ warehouse: wh, source: gladlyResolved(local, { config: { apiToken: 'wrong-token-1' } }) });
      assert.equal(wrong.status, 'failed');
      assert.deepEqual(Object.keys(wrong.streams), ['customers'], 'wrong credentials stop the run after the first stream');
      assert.match(wrong.error ?? '', /401.*`email` \(agent@example\.com\) and `apiToken`/);
      assert.ok(!(wrong.error ?? '').includes('wrong-token-1'), 'the token is not shown');

      const forbidden = await runSync({ warehouse: wh, source: gladlyResolved(local, { config: { email: 'noperm@example.com', apiToken: 'noperm-token-1' } }) });
      assert.equal(forbidden.status, 'failed');
      assert.match(forbidden.error ?? '', /403.*noperm@example\.com.*API User permission/);

      const config = gladlyConfigSchema.parse(emulatorConfig(local, { apiToken: 'wrong-token-1' }));
      const ctx = { log: silentLogger, signal: new AbortController().signal, countRequest() {} };
      await assert.rejects(gladlySource.check(config, ctx), (err) => err instanceof AuthError && err.status === 401);
    } finally {
      await wh.close();
    }
  });

  test('check says where it connected (a base URL override loudly) and what the export holds', async () => {
    const config = gladlyConfigSchema.parse(emulatorConfig(emu));
    const result = await gladlySource.check(config, { log: silentLogger, signal: new AbortController().signal, countRequest() {} });
    const text = result.details.join('\n');
    assert.match(text, /BASE URL OVERRIDE: reached http:\/\/127\.0\.0\.1:\d+\/api\/v1 instead of https:\/\/acme\.gladly\.com\/api\/v1/);
    assert.match(text, /\d+ COMPLETED/);
    assert.match(text, /export schedule: DAILY/);
  });

  test('the conversations view summarises the items consistently', async () => {
    const wh = await newWarehouse();
    try {
      assert.equal((await runSync({ warehouse: wh, source: gladlyResolved(emu), streams: ['conversation_items'] })).status, 'succeeded');
      const view = `(${conversationsView.sql({ conversation_items: 'raw.conversation_items' })})`;
      const totals = await one(wh, `select
          (select count(*) from ${view} v) as conversations,
          (select count(distinct "conversationId") from raw.conversation_items) as distinct_ids,
          (select sum(items) from ${view} v) as items,
          (select count(*) from raw.conversation_items where "conversationId" is not null) as items_in_conversations,
          (select sum(topics_added) from ${view} v) as topics_added,
          (select sum(json_array_length(content->'$.addedTopicIds')) from raw.conversation_items where content_type = 'TOPIC_CHANGE') as topics_added_json,
          (select count(*) from ${view} v where first_item_at > last_item_at) as reversed,
          (select count(*) from ${view} v where channel is null and exists (select 1 from raw.conversation_items i
             where i."conversationId" = v.conversation_id and i.content_type in (${CHANNEL_TYPES.map((t) => `'${t}'`).join(', ')}))) as channel_missed,
          (select count(*) from ${view} v where channel is not null) as with_channel`);
      assert.equal(totals.conversations, totals.distinct_ids);
      assert.equal(totals.items, totals.items_in_conversations);
      assert.equal(totals.topics_added, totals.topics_added_json, 'topics_added counts the added topic ids');
      assert.equal(totals.reversed, 0);
      assert.equal(totals.channel_missed, 0, 'a conversation with a message or call has a channel');
      assert.ok((totals.with_channel as number) > (totals.conversations as number) / 2, 'most conversations have a channel');
      const channels = await wh.query(`select distinct channel from ${view} v where channel is not null`);
      for (const r of channels.rows) assert.ok((CHANNEL_TYPES as readonly string[]).includes(String(r.channel)), `channel ${r.channel}`);
      const statuses = await wh.query(`select distinct status from ${view} v where status is not null`);
      assert.deepEqual(statuses.rows.map((r) => r.status).sort(), ['CLOSED', 'OPEN']);
    } finally {
      await wh.close();
    }
  });

  test('the demo wiring syncs every stream into the gladly folder and computes its KPIs', async () => {
    const demo = await startGladlyDemo({ scale: 0.05 });
    const wh = await newWarehouse();
    try {
      const run = await runSync({ warehouse: wh, source: demo.source, trigger: 'demo' });
      assert.equal(run.status, 'succeeded', run.error);
      assert.equal(run.streams.conversation_items!.table, '"raw"."gladly__conversation_items"');
      const kpis = await demo.kpis(wh);
      assert.ok((kpis.conversations as number) > 0 && (kpis['conversation items'] as number) === run.streams.conversation_items!.inserted, JSON.stringify(kpis));
      assert.ok(typeof kpis['median first agent reply (min)'] === 'number', JSON.stringify(kpis));
    } finally {
      await wh.close();
      await demo.close();
    }
  });
});
