/**
 * A run's streams are read one at a time, but the warehouse work around them overlaps: the
 * next streams are opened while one is read, and a stream's last commit runs while the next is
 * read. These tests watch the order of events on a real DuckDB warehouse (its loads wrapped
 * only to record when they commit), with a source of three streams read from memory.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { sourceEntrySchema } from '../../config/config-schema.ts';
import type { ResolvedSource } from '../../config/load-config.ts';
import { AuthError, WarehouseError } from '../../core/errors.ts';
import { defineSource, type SourceMessage, type StreamDescriptor } from '../../sources/source.ts';
import { openDuckDbWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { runSync } from '../sync-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'ss-overlap-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

const NAMES = ['a', 'b', 'c'] as const;
const streamOf = (name: string): StreamDescriptor => ({
  name, columns: { id: 'string', updatedAt: 'timestamp' }, primaryKey: ['id'], cursorField: 'updatedAt',
  syncTypes: ['INCREMENTAL'], defaultSyncType: 'INCREMENTAL',
});
const page = (stream: string, p: number) =>
  Array.from({ length: 5 }, (_, i) => ({ id: `${stream}${p}${i}`, updatedAt: new Date(Date.UTC(2026, 0, 1, p, i)).toISOString() }));

interface Script {
  events: string[];
  /** Runs between a stream's first two pages. */
  betweenPages?: (stream: string) => Promise<void>;
  /** Runs before a stream's last commit reaches the warehouse. */
  beforeLastCommit?: (stream: string) => Promise<void>;
}

/**
 * Three streams of three pages of 5 rows, a checkpoint after each page; `script` sees and
 * steers the run. Runs commit every 6 rows: after page 2, and page 3 in the last commit.
 */
function source(script: Script): ResolvedSource {
  const threeStreams = defineSource<Record<string, never>>({
    type: 'three', title: 'three streams (test)', configSchema: z.strictObject({}), secretKeys: [], exampleConfig: '',
    check: async () => ({ ok: true, details: [] }),
    discover: () => NAMES.map(streamOf),
    async *read(_config, { stream }): AsyncGenerator<SourceMessage> {
      script.events.push(`read ${stream.name}`);
      for (const p of [1, 2, 3]) {
        if (p === 2) await script.betweenPages?.(stream.name);
        yield { type: 'records', stream: stream.name, records: page(stream.name, p) };
        yield { type: 'state', stream: stream.name, state: { cursor: page(stream.name, p).at(-1)!.updatedAt } };
      }
      script.events.push(`read ${stream.name} done`);
    },
  });
  return { entry: sourceEntrySchema.parse({ name: 'three', type: 'three', config: {} }), source: threeStreams as ResolvedSource['source'], config: {} };
}

/** The real warehouse, with its loads' opening and last commit recorded in `script.events`. */
function watched(wh: Warehouse, script: Script): Warehouse {
  return {
    ...wh,
    async beginLoad(opts) {
      script.events.push(`open ${opts.stream}`);
      const load = await wh.beginLoad(opts);
      return {
        loadId: load.loadId,
        append: (rows) => load.append(rows),
        abort: (reason) => load.abort(reason),
        async commit(state, commitOpts) {
          if (!commitOpts?.final) return load.commit(state, commitOpts);
          await script.beforeLastCommit?.(opts.stream);
          const counts = await load.commit(state, commitOpts);
          script.events.push(`committed ${opts.stream}`);
          return counts;
        },
      };
    },
  };
}

/** Resolves once `event` is recorded, or after 3 s (then the order assertions tell what did not happen). */
async function eventually(events: string[], event: string): Promise<void> {
  for (let waited = 0; !events.includes(event) && waited < 3_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
}

const before = (events: string[], first: string, second: string) =>
  assert.ok(events.includes(first) && events.includes(second) && events.indexOf(first) < events.indexOf(second), `${first} before ${second}:\n${events.join('\n')}`);

const newWarehouse = () => openDuckDbWarehouse(join(dir, `w${++fileNo}.duckdb`));
/** One run of the three streams, committing every 6 rows (see `source`). */
const syncThree = (wh: Warehouse, script: Script) => runSync({ warehouse: watched(wh, script), source: source(script), commitRows: 6 });

async function ids(wh: Warehouse, table: string): Promise<string[]> {
  return (await wh.query(`select id from ${table} order by id`)).rows.map((r) => String(r.id));
}

describe('sync engine: the warehouse work overlaps with reading', () => {
  test('the next streams are opened while one is read, and its last commit runs while the next is read', async () => {
    const wh = await newWarehouse();
    const script: Script = {
      events: [],
      // a's second page waits until c, the stream after next, is opened.
      betweenPages: async (stream) => { if (stream === 'a') await eventually(script.events, 'open c'); },
      // a's last commit waits until b is read.
      beforeLastCommit: async (stream) => { if (stream === 'a') await eventually(script.events, 'read b done'); },
    };
    const run = await syncThree(wh, script);
    assert.equal(run.status, 'succeeded', run.error);
    const { events } = script;
    before(events, 'open c', 'read a done');
    before(events, 'read b done', 'committed a');
    // One stream read at a time, in plan order.
    before(events, 'read a done', 'read b');
    before(events, 'read b done', 'read c');
    assert.deepEqual(Object.keys(run.streams), ['a', 'b', 'c'], 'results in plan order');
    for (const name of NAMES) {
      assert.equal(run.streams[name]!.status, 'succeeded');
      assert.equal(run.streams[name]!.inserted, 15, `${name}: every row counted, the last commit's too`);
      assert.deepEqual(await ids(wh, run.streams[name]!.table), [1, 2, 3].flatMap((p) => page(name, p)).map((r) => r.id));
      assert.equal((await wh.readState('three', name))?.cursor, page(name, 3).at(-1)!.updatedAt, `${name}: state at its last page`);
    }
    await wh.close();
  });

  test('a last commit that fails while the next stream is read fails its stream and the run, and only that stream', async () => {
    const wh = await newWarehouse();
    const script: Script = {
      events: [],
      beforeLastCommit: async (stream) => {
        if (stream !== 'a') return;
        await eventually(script.events, 'read b');
        throw new WarehouseError('the disk is full');
      },
    };
    const run = await syncThree(wh, script);
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /^a: .*the disk is full/);
    assert.equal(run.streams.a!.status, 'failed');
    assert.deepEqual([run.streams.b!.status, run.streams.c!.status], ['succeeded', 'succeeded']);
    assert.deepEqual(await ids(wh, run.streams.a!.table), [1, 2].flatMap((p) => page('a', p)).map((r) => r.id), 'a keeps its committed pages');
    assert.equal((await wh.readState('three', 'a'))?.cursor, page('a', 2).at(-1)!.updatedAt, 'a\'s state stays at its committed data');
    assert.equal((await ids(wh, run.streams.c!.table)).length, 15);
    await wh.close();
  });

  test('wrong credentials stop the run: the streams opened ahead are released, not read', async () => {
    const wh = await newWarehouse();
    const script: Script = {
      events: [],
      betweenPages: async (stream) => {
        await eventually(script.events, 'open c');
        throw new AuthError(`the API key was refused while reading ${stream}`, 401);
      },
    };
    const run = await syncThree(wh, script);
    assert.equal(run.status, 'failed');
    assert.deepEqual(Object.keys(run.streams), ['a'], 'only the stream that was read is in the run');
    assert.ok(!script.events.includes('read b'), script.events.join('\n'));
    const loads = await wh.query(`select stream, status, error from _supportsync.loads where run_id = '${run.runId}' order by started_at`);
    assert.deepEqual(loads.rows.map((r) => `${r.stream} ${r.status}`), ['a failed', 'b failed', 'c failed']);
    for (const r of loads.rows.slice(1)) assert.equal(r.error, "not read: the run stopped at a's error");
    await wh.close();
  });
});
