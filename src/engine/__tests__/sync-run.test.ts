/**
 * The engine end to end: a real HTTP source, a real DuckDB file, real child processes.
 * The recurring check: after failures and crashes, the table equals the one an
 * uninterrupted run produces (no lost and no duplicate primary keys).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startListApi, makeRows, type ListApi, type Row } from '../../sources/http-stream/__tests__/list-api.ts';
import { openDuckDbWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { runSync } from '../sync-run.ts';
import { itemsResolved } from './fixtures/items-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'ss-engine-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const newWarehouse = () => openDuckDbWarehouse(join(dir, `w${++fileNo}.duckdb`));

const rows = (n: number) => makeRows(n, { extra: (i) => ({ size: i, tags: ['t', i % 3] }) });

async function tableContents(wh: Warehouse, table: string): Promise<string[]> {
  const res = await wh.query(`select id, title, size, epoch_ms(updatedAt) as u from ${table} order by id`);
  return res.rows.map((r) => `${r.id}|${r.title}|${r.size}|${r.u}`);
}

/** The reference: one uninterrupted run over the same data. */
async function reference(api: ListApi): Promise<string[]> {
  const wh = await newWarehouse();
  const run = await runSync({ warehouse: wh, source: itemsResolved(api.url) });
  assert.equal(run.status, 'succeeded', run.error);
  const contents = await tableContents(wh, run.streams.items!.table);
  await wh.close();
  return contents;
}

describe('sync engine', () => {
  let api: ListApi;
  before(async () => { api = await startListApi(rows(95)); });
  after(() => api.close());

  test('a first run loads every record, counts requests and records the run', async () => {
    const wh = await newWarehouse();
    const run = await runSync({ warehouse: wh, source: itemsResolved(api.url) });
    const s = run.streams.items!;
    assert.equal(run.status, 'succeeded', run.error);
    assert.equal(s.table, '"raw"."items"');
    assert.deepEqual([s.records, s.inserted, s.updated], [95, 95, 0]);
    assert.ok(s.requests >= 10, `expected at least 10 page requests, got ${s.requests}`);
    assert.equal((await wh.query(`select count(*) as n, count(distinct id) as d from ${s.table}`)).rows[0]!.n, 95);
    const [saved] = await wh.listRuns();
    assert.equal(saved!.runId, run.runId);
    assert.equal(saved!.streams.items!.records, 95);
    const state = await wh.readState('items', 'items');
    assert.equal(state?.cursor, api.rows.at(-1)!.updatedAt, 'state cursor is the last record');
    const view = await wh.query('select sum(n) as total, count(*) as buckets from raw.items_by_size');
    assert.deepEqual([view.rows[0]!.total, view.rows[0]!.buckets], [95, 10], 'the source view reads the synced table');
    await wh.close();
  });

  test('an incremental run after changes loads exactly the changes', async () => {
    const local = await startListApi(rows(40));
    const wh = await newWarehouse();
    try {
      await runSync({ warehouse: wh, source: itemsResolved(local.url) });
      const later = (i: number) => new Date(Date.parse(local.rows.at(-1)!.updatedAt) + 60_000 + i * 1000).toISOString();
      for (const i of [3, 17, 25]) Object.assign(local.rows[i]!, { title: `changed ${i}`, updatedAt: later(i) });
      local.rows.push({ id: 'new1', updatedAt: later(50), title: 'brand new', size: 1, tags: [] } as Row);
      local.rows.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
      const run = await runSync({ warehouse: wh, source: itemsResolved(local.url) });
      const s = run.streams.items!;
      assert.deepEqual([s.inserted, s.updated], [1, 3]);
      const changed = await wh.query(`select id, title from ${s.table} where title like 'changed%' or id = 'new1' order by id`);
      assert.deepEqual(changed.rows.map((r) => r.id), ['new1', 'r003', 'r017', 'r025']);
      assert.equal((await wh.query(`select count(*) as n from ${s.table}`)).rows[0]!.n, 41);
    } finally {
      await wh.close();
      await local.close();
    }
  });

  test('a source failing mid-stream keeps committed data, does not advance state past it, and the rerun completes exactly', async () => {
    const expected = await reference(api);
    const wh = await newWarehouse();
    api.failWith = (n) => (n === 6 ? 400 : undefined); // page 6: a final (non-retryable) error
    api.requests.length = 0;
    const failed = await runSync({ warehouse: wh, source: itemsResolved(api.url), commitRows: 1 });
    api.failWith = undefined;
    assert.equal(failed.status, 'failed');
    assert.match(failed.streams.items!.error ?? '', /400/);
    const state = await wh.readState('items', 'items');
    const table = failed.streams.items!.table;
    const committed = await wh.query(`select count(*) as n, max(epoch_ms(updatedAt)) as maxu from ${table}`);
    assert.ok(Number(committed.rows[0]!.n) > 0 && Number(committed.rows[0]!.n) < 95, `partial data committed: ${committed.rows[0]!.n}`);
    assert.equal(Date.parse(String(state!.cursor)), committed.rows[0]!.maxu, 'state matches the committed data exactly');

    const rerun = await runSync({ warehouse: wh, source: itemsResolved(api.url) });
    assert.equal(rerun.status, 'succeeded', rerun.error);
    assert.deepEqual(await tableContents(wh, table), expected);
    await wh.close();
  });

  test('kill -9 in the middle of a sync: the rerun ends with the same table as an uninterrupted run', async () => {
    const expected = await reference(api);
    const path = join(dir, 'killed.duckdb');
    // Slow the API down so the child is surely mid-run when killed.
    let served = 0;
    let killAt: () => void = () => {};
    const killed = new Promise<void>((resolve) => { killAt = resolve; });
    api.beforeServe = () => { if (++served === 5) killAt(); };
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/sync-child.ts', import.meta.url)), path, api.url], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? -1 : code)));
    await Promise.race([killed, exited]);
    child.kill('SIGKILL');
    assert.equal(await exited, -1, 'the child was killed before finishing');
    api.beforeServe = undefined;

    const wh = await openDuckDbWarehouse(path);
    const [interrupted] = await wh.listRuns();
    assert.equal(interrupted?.status, 'failed', 'the killed run is marked failed when the warehouse is next opened');
    assert.match(interrupted?.error ?? '', /interrupted/);
    const rerun = await runSync({ warehouse: wh, source: itemsResolved(api.url) });
    assert.equal(rerun.status, 'succeeded', rerun.error);
    const contents = await tableContents(wh, rerun.streams.items!.table);
    assert.deepEqual(contents, expected);
    await wh.close();
  });

  test('records without a primary key are counted and reported, not inserted', async () => {
    const local = await startListApi([...rows(5), { id: '', updatedAt: '2025-09-01T01:00:00.000Z', title: 'no key' } as Row]);
    const wh = await newWarehouse();
    try {
      const run = await runSync({ warehouse: wh, source: itemsResolved(local.url) });
      const s = run.streams.items!;
      assert.equal(s.rejected, 1);
      assert.match(s.warnings.join('\n'), /1 record\(s\) had no primary key/);
      assert.equal((await wh.query(`select count(*) as n from ${s.table}`)).rows[0]!.n, 5);
    } finally {
      await wh.close();
      await local.close();
    }
  });

  test('FULL_TABLE replaces the table; removed rows stay readable in the past through __as_of', async () => {
    const local = await startListApi(rows(12));
    const wh = await newWarehouse();
    try {
      const first = await runSync({ warehouse: wh, source: itemsResolved(local.url, { streams: { items: { syncType: 'FULL_TABLE' } } }) });
      const between = new Date();
      await new Promise((r) => setTimeout(r, 20));
      local.rows.splice(0, 2); // r000 and r001 disappear at the source
      const second = await runSync({ warehouse: wh, source: itemsResolved(local.url), full: true });
      const s = second.streams.items!;
      assert.equal(first.streams.items!.inserted, 12);
      assert.equal(s.deleted, 2);
      assert.equal((await wh.query(`select count(*) as n from ${s.table}`)).rows[0]!.n, 10);
      const past = await wh.query(`select count(*) as n from raw.items__as_of(TIMESTAMPTZ '${between.toISOString()}')`);
      assert.equal(past.rows[0]!.n, 12);
    } finally {
      await wh.close();
      await local.close();
    }
  });

  test('placement: layer, folder and prefix decide the qualified table name', async () => {
    const wh = await newWarehouse();
    const run = await runSync({ warehouse: wh, source: itemsResolved(api.url, { layer: 'bronze', folder: 'shop', tablePrefix: 'x_' }) });
    assert.equal(run.streams.items!.table, '"bronze"."shop__x_items"');
    assert.equal((await wh.query('select count(*) as n from bronze.shop__x_items')).rows[0]!.n, 95);
    await wh.close();
  });
});
