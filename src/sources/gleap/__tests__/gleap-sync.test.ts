/**
 * The Gleap source end to end: the real emulator, the real engine, real DuckDB files.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startGleapEmulator, type GleapEmulator } from '../../../../emulators/gleap/gleap-emulator.ts';
import { AuthError } from '../../../core/errors.ts';
import { silentLogger } from '../../../core/logger.ts';
import { runSync } from '../../../engine/sync-run.ts';
import { openDuckDbWarehouse } from '../../../warehouse/duckdb/duckdb-warehouse.ts';
import type { Warehouse } from '../../../warehouse/warehouse.ts';
import { gleapSource } from '../gleap-source.ts';
import { GLEAP_STREAMS, gleapResolved, hook } from './gleap-test-kit.ts';

const dir = mkdtempSync(join(tmpdir(), 'ss-gleap-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const newWarehouse = () => openDuckDbWarehouse(join(dir, `g${++fileNo}.duckdb`));
const NOW = new Date('2026-06-01T00:00:00Z');

async function snapshot(wh: Warehouse, streams = GLEAP_STREAMS): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const s of streams) {
    const res = await wh.query(`select id, epoch_ms(updatedAt) as u from raw.gleap__${s} order by id`);
    out[s] = res.rows.map((r) => `${r.id}@${r.u}`);
  }
  return out;
}

describe('gleap source against the emulator', () => {
  let emu: GleapEmulator;
  before(async () => { emu = await startGleapEmulator({ port: 0, scale: 400, seed: 7, now: NOW, rateLimit: null }); });
  after(() => emu.close());

  test('a full sync loads exactly the emulator counts for all eight streams', async () => {
    const wh = await newWarehouse();
    const run = await runSync({ warehouse: wh, source: gleapResolved(emu.url) });
    assert.equal(run.status, 'succeeded', run.error);
    const counts = await hook<Record<string, number>>(emu.url, 'counts');
    for (const s of GLEAP_STREAMS) {
      const res = await wh.query(`select count(*) as n, count(distinct id) as d from raw.gleap__${s}`);
      assert.equal(res.rows[0]!.n, counts[s], `${s}: table rows equal the emulator's count`);
      assert.equal(res.rows[0]!.d, counts[s], `${s}: no duplicate ids`);
      assert.equal(run.streams[s]!.records, counts[s], `${s}: run record counts`);
      assert.ok(run.streams[s]!.requests >= 1, `${s}: requests are counted`);
    }
    // No N+1: messages come in pages of 1000 overlapping by one row, not one request per
    // ticket; with no total count in the response, at most three are asked for past the end.
    assert.ok(run.streams.messages!.requests <= Math.ceil(counts.messages! / 999) + 3, `messages took ${run.streams.messages!.requests} requests`);
    await wh.close();
  });

  test("the data model's relations hold in the synced tables", async () => {
    const wh = await newWarehouse();
    await runSync({ warehouse: wh, source: gleapResolved(emu.url) });
    const orphans = await wh.query(`select
      (select count(*) from raw.gleap__tickets t where t.session is not null and t.session not in (select id from raw.gleap__sessions)) as ticket_session,
      (select count(*) from raw.gleap__messages m where m.ticket not in (select id from raw.gleap__tickets)) as message_ticket,
      (select count(*) from raw.gleap__survey_responses r where r.survey_id not in (select id from raw.gleap__surveys)) as response_survey,
      (select count(*) from raw.gleap__tickets t where t.processingTeam is not null and t.processingTeam not in (select id from raw.gleap__teams)) as ticket_team,
      (select count(*) from raw.gleap__tickets t where t.processingUser is not null and t.processingUser not in (select id from raw.gleap__agents)) as ticket_agent,
      (select count(*) from raw.gleap__tickets t join raw.gleap__messages m on m.ticket = t.id join raw.gleap__agents a on a.id = t.processingUser) as joined`);
    const o = orphans.rows[0]!;
    assert.deepEqual([o.ticket_session, o.message_ticket, o.response_survey, o.ticket_team, o.ticket_agent], [0, 0, 0, 0, 0]);
    assert.ok(Number(o.joined) > 0, 'tickets join messages and agents');
    const json = await wh.query(`select count(*) filter (where customData->>'plan' is not null) as plans from raw.gleap__tickets`);
    assert.ok(Number(json.rows[0]!.plans) > 0, 'customData is queryable JSON');
    await wh.close();
  });

  test('incremental after mutate loads exactly the changes with requests proportional to them', async () => {
    const local = await startGleapEmulator({ port: 0, scale: 300, seed: 3, now: NOW, rateLimit: null });
    const wh = await newWarehouse();
    try {
      await runSync({ warehouse: wh, source: gleapResolved(local.url) });
      const before = await snapshot(wh, ['tickets']);
      const changed = await hook<{ updated: string[]; created: string[] }>(local.url, 'mutate', { resource: 'tickets', count: 25, create: 4 });
      const run = await runSync({ warehouse: wh, source: gleapResolved(local.url), streams: ['tickets'] });
      const t = run.streams.tickets!;
      assert.deepEqual([t.inserted, t.updated, t.requests], [4, 25, 1]);
      const after = await snapshot(wh, ['tickets']);
      const touched = new Set([...changed.updated, ...changed.created]);
      const differs = after.tickets!.filter((row) => !before.tickets!.includes(row)).map((row) => row.split('@')[0]);
      assert.deepEqual(new Set(differs), touched, 'exactly the mutated and created tickets changed');
    } finally {
      await wh.close();
      await local.close();
    }
  });

  test('tickets edited while a sync pages through them: none is lost, and the next run loads every edit', async () => {
    // Pages take 40 ms and several are on their way at once; meanwhile tickets are edited, and
    // each edit moves one to the end of the `updatedAt` order, shifting every offset behind it.
    const live = await startGleapEmulator({ port: 0, scale: 6000, seed: 11, now: NOW, rateLimit: null, faults: { latencyMs: 40 } });
    const wh = await newWarehouse();
    try {
      const { tickets } = await hook<Record<string, number>>(live.url, 'counts');
      let syncing = true;
      let edits = 0;
      const editor = (async () => {
        while (syncing) {
          edits += (await hook<{ updated: string[] }>(live.url, 'mutate', { resource: 'tickets', count: 25 })).updated.length;
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const first = await runSync({ warehouse: wh, source: gleapResolved(live.url), streams: ['tickets'] });
      syncing = false;
      await editor;
      assert.equal(first.status, 'succeeded', first.error);
      assert.ok(edits > 0, 'tickets were edited during the sync');
      const loaded = await wh.query('select count(*) as n, count(distinct id) as d from raw.gleap__tickets');
      assert.deepEqual([loaded.rows[0]!.n, loaded.rows[0]!.d], [tickets, tickets], 'every ticket loaded once, none skipped');

      const second = await runSync({ warehouse: wh, source: gleapResolved(live.url), streams: ['tickets'] });
      assert.equal(second.status, 'succeeded', second.error);
      const reference = await newWarehouse();
      await runSync({ warehouse: reference, source: gleapResolved(live.url), streams: ['tickets'] });
      assert.deepEqual(await snapshot(wh, ['tickets']), await snapshot(reference, ['tickets']), 'the next run caught up with every edit');
      await reference.close();
    } finally {
      await wh.close();
      await live.close();
    }
  });

  test('kill -9 mid-sync, then a rerun: the same tables as an uninterrupted run', async () => {
    const reference = await newWarehouse();
    await runSync({ warehouse: reference, source: gleapResolved(emu.url) });
    const expected = await snapshot(reference);
    await reference.close();

    const path = join(dir, 'killed.duckdb');
    const slow = await startGleapEmulator({ port: 0, scale: 400, seed: 7, now: NOW, rateLimit: null, faults: { latencyMs: 40 } });
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/gleap-sync-child.ts', import.meta.url)), path, slow.url], { stdio: 'ignore' });
      const exited = new Promise<string | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      // Kill once the child is well into the messages stream.
      for (let i = 0; i < 400; i++) {
        const stats = await hook<{ byRoute: Record<string, number> }>(slow.url, 'stats');
        const messagePages = Object.entries(stats.byRoute).filter(([k]) => k.includes('messages')).reduce((n, [, v]) => n + v, 0);
        if (messagePages >= 2) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      child.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL', 'the child was killed mid-run');
    } finally {
      await slow.close();
    }
    const wh = await openDuckDbWarehouse(path);
    const rerun = await runSync({ warehouse: wh, source: gleapResolved(emu.url) });
    assert.equal(rerun.status, 'succeeded', rerun.error);
    assert.deepEqual(await snapshot(wh), expected);
    await wh.close();
  });

  test('a 429 storm is paced, and 5xx / truncated bodies are retried: nothing is lost', async () => {
    const flaky = await startGleapEmulator({ port: 0, scale: 200, seed: 5, now: NOW, rateLimit: null, faults: { status429: 0.2, status500: 0.1, truncateBody: 0.05 } });
    const wh = await newWarehouse();
    try {
      const run = await runSync({ warehouse: wh, source: gleapResolved(flaky.url), streams: ['tickets', 'messages'] });
      assert.equal(run.status, 'succeeded', run.error);
      const counts = await hook<Record<string, number>>(flaky.url, 'counts');
      assert.equal(run.streams.tickets!.records, counts.tickets);
      assert.equal((await wh.query('select count(distinct id) as n from raw.gleap__messages')).rows[0]!.n, counts.messages);
      const stats = await hook<{ requests: number }>(flaky.url, 'stats');
      assert.ok(stats.requests > run.streams.tickets!.requests, 'faults caused retries');
    } finally {
      await wh.close();
      await flaky.close();
    }
  });

  test('a server that keeps failing ends in a clear failure with the state intact', async () => {
    const wh = await newWarehouse();
    await runSync({ warehouse: wh, source: gleapResolved(emu.url), streams: ['tickets'] });
    const stateBefore = await wh.readState('gleap', 'tickets');
    const broken = await startGleapEmulator({ port: 0, scale: 400, seed: 7, now: NOW, rateLimit: null, faults: { status503: 1 } });
    try {
      const source = gleapResolved(broken.url);
      const run = await runSync({ warehouse: wh, source, streams: ['tickets'] });
      assert.equal(run.status, 'failed');
      assert.match(run.error ?? '', /503/);
      assert.deepEqual(await wh.readState('gleap', 'tickets'), stateBefore, 'state unchanged');
    } finally {
      await broken.close();
      await wh.close();
    }
  });

  test('a wrong API key or project names the setting to verify, in check and in sync', async () => {
    const ctx = { log: silentLogger, signal: new AbortController().signal, countRequest: () => {} };
    const badKey = gleapResolved(emu.url, { apiKey: 'wrong-key-123' });
    await assert.rejects(gleapSource.check(badKey.config as never, ctx), (err: unknown) => err instanceof AuthError && /verify `apiKey`/.test(err.message));
    const badProject = gleapResolved(emu.url, { projectId: 'other-project' });
    await assert.rejects(gleapSource.check(badProject.config as never, ctx), (err: unknown) => err instanceof AuthError && /verify `projectId`/.test(err.message));
    const wh = await newWarehouse();
    const run = await runSync({ warehouse: wh, source: badKey });
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /verify `apiKey`/);
    assert.equal(Object.keys(run.streams).length, 1, 'an auth failure stops the run instead of repeating it per stream');
    assert.ok(!(run.error ?? '').includes('wrong-key-123'), 'the key never appears in errors');
    await wh.close();
  });
});
