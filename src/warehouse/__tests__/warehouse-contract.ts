/**
 * The behaviour every warehouse must have, written once against the `Warehouse` interface and
 * run for every entry of `warehouseFactories` (see warehouse.test.ts). Only portable SQL is
 * used in queries: quoted names, `->>` on JSON columns, plain SELECT/COUNT/ORDER BY.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SupportSyncError, WarehouseError } from '../../core/errors.ts';
import type { LoadCounts, Row, RunRecord, TablePlacement, TableSpec, Warehouse } from '../warehouse.ts';
import { crashSpec } from './fixtures/crash-spec.ts';
import type { WarehouseFactory } from './warehouse-factories.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

const tickets = (overrides: Partial<TableSpec> = {}): TableSpec => ({
  placement: { layer: 'raw', folder: 'gleap', name: 'tickets' },
  columns: [
    { name: 'id', type: 'string' },
    { name: 'title', type: 'string' },
    { name: 'priority', type: 'integer' },
  ],
  primaryKey: ['id'],
  ...overrides,
});

/** The quoted name of a table's companion, e.g. `"raw"."gleap__tickets__history"`. */
const companion = (wh: Warehouse, placement: TablePlacement, suffix: string) => wh.qualifiedName(placement).slice(0, -1) + suffix + '"';

const counts = (inserted: number, updated: number, unchanged: number, deleted = 0): LoadCounts => ({ inserted, updated, unchanged, deleted });

export function warehouseContract(factory: WarehouseFactory): void {
  /** Opens a fresh warehouse for one test and always closes and removes it. */
  async function withWarehouse(fn: (wh: Warehouse, reopen: () => Promise<Warehouse>) => Promise<void>): Promise<void> {
    const target = factory.newTarget();
    let wh = await factory.open(target);
    try {
      await fn(wh, async () => {
        await wh.close();
        wh = await factory.open(target);
        return wh;
      });
    } finally {
      await wh.close();
      factory.cleanup(target);
    }
  }

  async function loadRows(wh: Warehouse, spec: TableSpec, batches: Row[][], opts: { mode?: 'merge' | 'replace'; state?: Record<string, unknown>; runId?: string } = {}): Promise<LoadCounts[]> {
    const load = await wh.beginLoad({ runId: opts.runId ?? 'run-1', source: 'gleap', stream: spec.placement.name, spec, mode: opts.mode ?? 'merge' });
    const out: LoadCounts[] = [];
    for (let i = 0; i < batches.length; i++) {
      await load.append(batches[i]);
      out.push(await load.commit(opts.state ?? { batch: i }, { final: i === batches.length - 1 }));
    }
    return out;
  }

  const select = async (wh: Warehouse, sql: string) => (await wh.query(sql)).rows;

  describe(`warehouse contract: ${factory.kind}`, () => {
    test('placement: quoted qualified names, hostile and malformed names refused with the expected form', async () => {
      await withWarehouse(async (wh) => {
        assert.equal(wh.qualifiedName({ layer: 'raw', folder: 'gleap', name: 'tickets' }), '"raw"."gleap__tickets"');
        assert.equal(wh.qualifiedName({ layer: 'raw', folder: 'gleap', prefix: 'v2_', name: 'tickets' }), '"raw"."gleap__v2_tickets"');
        assert.equal(wh.qualifiedName({ layer: 'Staging_1', prefix: 'gl_', name: 'Teams' }), '"Staging_1"."gl_Teams"');
        const bad: [TablePlacement, RegExp][] = [
          [{ layer: 'raw', name: 'x"; DROP TABLE y; --' }, /table name "x\\"; DROP TABLE y; --" is not a valid name.*letters, digits and underscores/],
          [{ layer: 'raw"."evil', name: 'tickets' }, /layer .* is not a valid name/],
          [{ layer: 'raw', folder: 'gle ap', name: 'tickets' }, /folder "gle ap" is not a valid name/],
          [{ layer: 'raw', prefix: 'a-b', name: 'tickets' }, /table prefix "a-b" is not valid/],
          [{ layer: 'raw', name: '1tickets' }, /starting with a letter or underscore/],
          [{ layer: '', name: 'tickets' }, /layer is missing/],
          [{ layer: 'raw', name: 'tickets\u0000' }, /not a valid name/],
          [{ layer: 'raw', name: 'tïckets' }, /not a valid name/],
          [{ layer: 'raw', name: 'x'.repeat(64) }, /at most 63/],
          [{ layer: 'raw', folder: 'f'.repeat(30), name: 'n'.repeat(30) }, /characters long: at most \d+ are allowed/],
          [{ layer: '_supportsync', name: 'state' }, /reserved/],
          [{ layer: 'raw', name: 'tickets__history' }, /reserved for the companion/],
        ];
        for (const [placement, message] of bad) {
          assert.throws(() => wh.qualifiedName(placement), (err: unknown) => err instanceof WarehouseError && message.test(err.message), JSON.stringify(placement));
          await assert.rejects(wh.prepareTable(tickets({ placement })), WarehouseError);
        }
        for (const [columns, message] of [
          [[{ name: 'id', type: 'string' }, { name: 'ID', type: 'string' }], /differ only by case/],
          [[{ name: 'id', type: 'string' }, { name: '_row_hash', type: 'string' }], /system column/],
          [[{ name: 'id', type: 'string' }, { name: 'a b', type: 'string' }], /column "a b" is not a valid name/],
        ] as const) {
          await assert.rejects(wh.prepareTable(tickets({ columns: [...columns] })), message);
        }
        await assert.rejects(wh.prepareTable(tickets({ primaryKey: [] })), /primary key is required/);
        await assert.rejects(wh.prepareTable(tickets({ primaryKey: ['nope'] })), /primary key column "nope"/);
      });
    });

    test('prepareTable creates, then evolves: adds columns, widens types, never drops', async () => {
      await withWarehouse(async (wh) => {
        const spec = tickets();
        const table = wh.qualifiedName(spec.placement);
        assert.deepEqual(await wh.prepareTable(spec), [{ kind: 'created', table }]);
        assert.deepEqual(await wh.prepareTable(spec), [], 'idempotent');
        await loadRows(wh, spec, [[['t1', 'Login broken', 5]]]);

        const evolved = tickets({
          columns: [
            { name: 'id', type: 'string' },
            // title dropped from the spec: must stay in the table
            { name: 'priority', type: 'number' },
            { name: 'tags', type: 'json' },
          ],
        });
        assert.deepEqual(await wh.prepareTable(evolved), [
          { kind: 'widened', table, column: 'priority', from: 'integer', to: 'number' },
          { kind: 'added', table, column: 'tags', type: 'json' },
        ]);
        assert.deepEqual(await wh.prepareTable(evolved), []);
        // a narrower declaration keeps the wider type
        assert.deepEqual(await wh.prepareTable(tickets({ columns: [{ name: 'id', type: 'string' }, { name: 'priority', type: 'integer' }] })), []);

        assert.deepEqual(
          await loadRows(wh, evolved, [[['t1', 5, null], ['t2', 2.5, '["a"]']]]),
          [counts(1, 0, 1)],
          'priority 5 widened to 5.0 is the same value, with the new column NULL: unchanged',
        );
        assert.deepEqual(await select(wh, `SELECT id, title, priority, tags FROM ${table} ORDER BY id`), [
          { id: 't1', title: 'Login broken', priority: 5, tags: null },
          { id: 't2', title: null, priority: 2.5, tags: ['a'] },
        ]);

        const toText = tickets({ columns: [{ name: 'id', type: 'string' }, { name: 'priority', type: 'boolean' }] });
        assert.deepEqual(await wh.prepareTable(toText), [{ kind: 'widened', table, column: 'priority', from: 'number', to: 'string' }]);
        const rows = await select(wh, `SELECT id, priority, title FROM ${table} ORDER BY id`);
        assert.equal(typeof rows[0].priority, 'string');
        assert.equal(Number(rows[0].priority), 5);
        assert.equal(Number(rows[1].priority), 2.5);
        assert.deepEqual((await loadRows(wh, toText, [[['t1', true]]]))[0], counts(0, 1, 0));
        assert.deepEqual(await select(wh, `SELECT priority, title FROM ${table} WHERE id = 't1'`), [{ priority: 'true', title: 'Login broken' }], 'columns outside the spec keep their value on updates');
      });
    });

    test('values of every type round-trip, over several chunks, with NULLs and awkward text', async () => {
      await withWarehouse(async (wh) => {
        const spec: TableSpec = {
          placement: { layer: 'raw', name: 'all_types' },
          columns: [
            { name: 'id', type: 'integer' },
            { name: 's', type: 'string' },
            { name: 'n', type: 'number' },
            { name: 'b', type: 'boolean' },
            { name: 't', type: 'timestamp' },
            { name: 'j', type: 'json' },
          ],
          primaryKey: ['id'],
        };
        const text = ['', 'plain', 'héllo wörld', 'emoji 😀 ok', 'quote \' and "double"', 'nul \u0000 inside', 'x'.repeat(5000), 'line\nbreak\ttab'];
        const rows: Row[] = [];
        for (let i = 0; i < 5000; i++) {
          rows.push([
            i - 2500,
            i % 7 === 0 ? null : text[i % text.length],
            i % 5 === 0 ? null : i / 3,
            i % 3 === 0 ? null : i % 2 === 0,
            i % 11 === 0 ? null : new Date(Date.UTC(1965, 0, 1) + i * 86_400_123),
            i % 13 === 0 ? null : JSON.stringify({ i, nested: { list: [1, 'two', null], ok: true } }),
          ]);
        }
        rows.push([2 ** 53 - 1, 'max safe', -0.5, false, new Date('2024-02-29T23:59:59.999Z'), '"a JSON string"']);
        rows.push([-(2 ** 53 - 1), 'min safe', 1e300, true, new Date(0), '[]']);
        assert.deepEqual(await loadRows(wh, spec, [rows]), [counts(rows.length, 0, 0)]);
        const back = await select(wh, `SELECT id, s, n, b, t, j FROM ${wh.qualifiedName(spec.placement)} ORDER BY id`);
        const expected = [...rows]
          .sort((a, b) => (a[0] as number) - (b[0] as number))
          .map(([id, s, n, b, t, j]) => ({ id, s, n, b, t: t === null ? null : (t as Date).toISOString(), j: j === null ? null : JSON.parse(j as string) }));
        assert.equal(back.length, expected.length);
        assert.deepEqual(back, expected);
      });
    });

    test('merge: inserts new keys, updates changed ones, leaves identical rows alone; last duplicate wins', async () => {
      await withWarehouse(async (wh) => {
        const spec = tickets();
        const table = wh.qualifiedName(spec.placement);
        await wh.prepareTable(spec);
        const load = await wh.beginLoad({ runId: 'run-1', source: 'gleap', stream: 'tickets', spec, mode: 'merge' });
        await load.append([['t1', 'first', 1], ['t2', 'two', 2]]);
        await load.append([['t1', 'second', 1], ['t3', 'three', 3], ['t1', 'third', 1]]);
        assert.deepEqual(await load.commit({ cursor: 'c1' }), counts(3, 0, 0));
        assert.deepEqual(await select(wh, `SELECT id, title FROM ${table} ORDER BY id`), [
          { id: 't1', title: 'third' }, { id: 't2', title: 'two' }, { id: 't3', title: 'three' },
        ]);
        const before = await select(wh, `SELECT id, _loaded_at FROM ${table} WHERE id = 't2'`);

        await load.append([['t2', 'two', 2], ['t3', 'THREE', 3], ['t4', 'four', 4], ['t3', 'three', 3]]);
        assert.deepEqual(await load.commit({ cursor: 'c2' }), counts(1, 0, 2), 't3 changed and changed back within the batch: unchanged');
        await load.append([['t1', 'third', 1], ['t2', 'two', 20], ['t2', 'two', 2]]);
        assert.deepEqual(await load.commit({ cursor: 'c3' }, { final: true }), counts(0, 0, 2));
        assert.deepEqual(await select(wh, `SELECT id, _loaded_at FROM ${table} WHERE id = 't2'`), before, 'unchanged rows are not rewritten');

        const again = await loadRows(wh, spec, [[['t2', 'two!', 2], ['t5', 'five', 5]]]);
        assert.deepEqual(again, [counts(1, 1, 0)]);
        assert.deepEqual(await select(wh, `SELECT count(*) AS n FROM ${table}`), [{ n: 5 }]);
        assert.deepEqual(await wh.readState('gleap', 'tickets'), { batch: 0 });
      });
    });

    test('the last of duplicate rows wins however many wide rows a commit stages (the warehouse may store them out of order)', async () => {
      // A source that reads a row twice (an edit during the read) emits the newer version
      // last. DuckDB, told it need not preserve insertion order, stored some chunks of a
      // large append out of order, and an older version won for about a third of these keys.
      await withWarehouse(async (wh) => {
        const texts = Array.from({ length: 20 }, (_, i) => ({ name: `text_${i}`, type: 'string' as const }));
        for (const mode of ['merge', 'replace'] as const) {
          const spec = tickets({ placement: { layer: 'raw', folder: 'gleap', name: `wide_${mode}` }, columns: [...tickets().columns, ...texts] });
          await wh.prepareTable(spec);
          const row = (i: number, version: number): Row => [`t${i}`, `version ${version}`, version, ...texts.map((_, j) => `ticket ${i}, text ${j}: lorem ipsum dolor sit amet`)];
          const rows = [...Array.from({ length: 27_000 }, (_, i) => row(i, 1)), ...Array.from({ length: 3000 }, (_, i) => row(i * 9, 2))];
          const load = await wh.beginLoad({ runId: 'run-1', source: 'gleap', stream: spec.placement.name, spec, mode });
          for (let start = 0; start < rows.length; start += 2000) await load.append(rows.slice(start, start + 2000));
          assert.deepEqual(await load.commit({ done: true }, { final: true }), counts(27_000, 0, 0));
          const versions = await select(wh, `SELECT priority, count(*) AS n FROM ${wh.qualifiedName(spec.placement)} GROUP BY priority ORDER BY priority`);
          assert.deepEqual(versions, [{ priority: 1, n: 24_000 }, { priority: 2, n: 3000 }], `${mode}: the later version of each of the 3000 keys`);
        }
      });
    });

    test('merge with a version column: an older staged version never replaces a newer row; a replace ignores it', async () => {
      await withWarehouse(async (wh) => {
        const spec = tickets({ columns: [...tickets().columns, { name: 'updatedAt', type: 'timestamp' }], versionColumn: 'updatedAt' });
        const table = wh.qualifiedName(spec.placement);
        const history = companion(wh, spec.placement, '__history');
        await wh.prepareTable(spec);
        const at = (day: number) => Date.UTC(2026, 0, day);
        await loadRows(wh, spec, [[['a', 'A5', 1, at(5)], ['b', 'B5', 1, at(5)]]]);
        // Old data read again (oldest first, as a full re-read of export jobs does): no change, no history.
        assert.deepEqual(await loadRows(wh, spec, [[['a', 'A1', 1, at(1)], ['b', 'B1', 1, at(1)]], [['a', 'A3', 1, at(3)]]]), [counts(0, 0, 2), counts(0, 0, 1)]);
        assert.deepEqual(await select(wh, `SELECT id, title FROM ${table} ORDER BY id`), [{ id: 'a', title: 'A5' }, { id: 'b', title: 'B5' }]);
        assert.deepEqual(await select(wh, `SELECT count(*) AS n FROM ${history}`), [{ n: 2 }], 'one version per row: nothing rolled back and forth');
        // The same version with other content, and a newer one, do replace.
        assert.deepEqual(await loadRows(wh, spec, [[['a', 'A5 fixed', 1, at(5)], ['b', 'B6', 1, at(6)], ['c', 'C0', 1, at(0)]]]), [counts(1, 2, 0)]);
        assert.deepEqual(await select(wh, `SELECT id, title FROM ${table} ORDER BY id`), [{ id: 'a', title: 'A5 fixed' }, { id: 'b', title: 'B6' }, { id: 'c', title: 'C0' }]);
        // A row without a version is compared by content as before.
        assert.deepEqual(await loadRows(wh, spec, [[['c', 'C?', 1, null]]]), [counts(0, 1, 0)]);
        // A replace makes the table what was staged, older or not.
        assert.deepEqual(await loadRows(wh, spec, [[['a', 'A1', 1, at(1)]]], { mode: 'replace' }), [counts(0, 1, 0, 2)]);
        assert.deepEqual(await select(wh, `SELECT id, title FROM ${table}`), [{ id: 'a', title: 'A1' }]);
      });
    });

    test('replace: rows accumulate until the final commit, which swaps the table and counts deletions', async () => {
      await withWarehouse(async (wh) => {
        const spec = tickets();
        const table = wh.qualifiedName(spec.placement);
        await loadRows(wh, spec, [[['a', 'A', 1], ['b', 'B', 2], ['c', 'C', 3]]], { state: { v: 1 } });

        const load = await wh.beginLoad({ runId: 'run-2', source: 'gleap', stream: 'tickets', spec, mode: 'replace' });
        await load.append([['a', 'A', 1], ['b', 'B changed', 2]]);
        assert.deepEqual(await load.commit({ v: 2 }), counts(0, 0, 0), 'non-final commit of a replace changes nothing');
        assert.deepEqual(await select(wh, `SELECT id FROM ${table} ORDER BY id`), [{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
        assert.deepEqual(await wh.readState('gleap', 'tickets'), { v: 1 }, 'and saves no state');
        await load.append([['d', 'D', 4], ['b', 'B changed', 2]]);
        assert.deepEqual(await load.commit({ v: 3 }, { final: true }), counts(1, 1, 1, 1));
        assert.deepEqual(await select(wh, `SELECT id, title FROM ${table} ORDER BY id`), [
          { id: 'a', title: 'A' }, { id: 'b', title: 'B changed' }, { id: 'd', title: 'D' },
        ]);
        assert.deepEqual(await wh.readState('gleap', 'tickets'), { v: 3 });
        await assert.rejects(load.append([['e', 'E', 5]]), /already finished/);

        assert.deepEqual(await loadRows(wh, spec, [[]], { mode: 'replace' }), [counts(0, 0, 0, 3)], 'an empty replace empties the table');
        assert.deepEqual(await select(wh, `SELECT count(*) AS n FROM ${table}`), [{ n: 0 }]);
      });
    });

    test('state is committed in the same transaction as the rows: a commit failing midway leaves neither', async () => {
      await withWarehouse(async (wh) => {
        const spec = tickets();
        const table = wh.qualifiedName(spec.placement);
        await loadRows(wh, spec, [[['a', 'A', 1]]], { state: { cursor: 1 } });
        const load = await wh.beginLoad({ runId: 'run-2', source: 'gleap', stream: 'tickets', spec, mode: 'merge' });
        await load.append([['a', 'A changed', 1], ['b', 'B', 2]]);
        // Make the state write (which comes after the row changes) fail: a view nobody can insert into.
        await wh.query(`ALTER TABLE "_supportsync"."state" RENAME TO "state_saved"`);
        await wh.query(`CREATE VIEW "_supportsync"."state" AS SELECT * FROM "_supportsync"."state_saved" UNION ALL SELECT * FROM "_supportsync"."state_saved"`);
        await assert.rejects(load.commit({ cursor: 2 }), SupportSyncError);
        await wh.query(`DROP VIEW "_supportsync"."state"`);
        await wh.query(`ALTER TABLE "_supportsync"."state_saved" RENAME TO "state"`);

        assert.deepEqual(await select(wh, `SELECT id, title FROM ${table} ORDER BY id`), [{ id: 'a', title: 'A' }], 'no row changed');
        assert.deepEqual(await select(wh, `SELECT count(*) AS n FROM ${companion(wh, spec.placement, '__history')}`), [{ n: 1 }], 'no history written');
        assert.deepEqual(await wh.readState('gleap', 'tickets'), { cursor: 1 });
        const [entry] = await wh.listLoads({ runId: 'run-2' });
        assert.equal(entry.status, 'running');
        assert.equal(entry.rows, 0);

        // Later commits would build on rows that are not there: the load refuses them and is aborted.
        await assert.rejects(load.commit({ cursor: 3 }, { final: true }), /an earlier commit failed .*Abort it/);
        await load.abort('commit failed');
        assert.equal((await wh.listLoads({ runId: 'run-2' }))[0].status, 'failed', 'the load is failed in the log');
        assert.deepEqual(await wh.readState('gleap', 'tickets'), { cursor: 1 }, 'state unchanged');
      });
    });

    test('rows appended while a commit runs go to the next commit, and commits apply in order', async () => {
      await withWarehouse(async (wh) => {
        const spec = tickets();
        const table = wh.qualifiedName(spec.placement);
        const load = await wh.beginLoad({ runId: 'run-1', source: 'gleap', stream: 'tickets', spec, mode: 'merge' });
        await load.append([['a', 'A1', 1], ['b', 'B1', 1]]);
        const first = load.commit({ cursor: 1 });
        await load.append([['a', 'A2', 1], ['c', 'C1', 1]]); // staged while the first commit may still run
        const second = load.commit({ cursor: 2 });
        await load.append([['d', 'D1', 1]]);
        const third = load.commit({ cursor: 3 }, { final: true });
        assert.deepEqual(await Promise.all([first, second, third]), [counts(2, 0, 0), counts(1, 1, 0), counts(1, 0, 0)], 'each commit has exactly its own rows');
        assert.deepEqual(await select(wh, `SELECT id, title FROM ${table} ORDER BY id`), [
          { id: 'a', title: 'A2' }, { id: 'b', title: 'B1' }, { id: 'c', title: 'C1' }, { id: 'd', title: 'D1' },
        ]);
        assert.deepEqual(await wh.readState('gleap', 'tickets'), { cursor: 3 }, 'the last state wins');
        const [entry] = await wh.listLoads({ runId: 'run-1' });
        assert.equal(entry.status, 'committed', 'load finished');
        assert.equal(entry.rows, 5, 'all five staged rows logged');
      });
    });

    test('when a commit fails, the commits called after it fail too and the state stays at committed data', async () => {
      await withWarehouse(async (wh) => {
        const spec = tickets();
        const table = wh.qualifiedName(spec.placement);
        await loadRows(wh, spec, [[['a', 'A', 1]]], { state: { cursor: 1 } });
        await wh.query(`ALTER TABLE "_supportsync"."state" RENAME TO "state_saved"`);
        await wh.query(`CREATE VIEW "_supportsync"."state" AS SELECT * FROM "_supportsync"."state_saved"`);
        const load = await wh.beginLoad({ runId: 'run-2', source: 'gleap', stream: 'tickets', spec, mode: 'merge' });
        await load.append([['b', 'B', 1]]);
        const first = load.commit({ cursor: 2 });
        const settled = Promise.allSettled([first]);
        await load.append([['c', 'C', 1]]).catch(() => undefined); // may already be refused
        const second = load.commit({ cursor: 3 });
        const [firstResult, secondResult] = await Promise.allSettled([first, second]);
        await settled;
        assert.equal(firstResult.status, 'rejected', 'the state write fails the first commit');
        assert.equal(secondResult.status, 'rejected', 'the second commit does not apply on top of the failed one');
        await load.abort('commit failed');
        await wh.query(`DROP VIEW "_supportsync"."state"`);
        await wh.query(`ALTER TABLE "_supportsync"."state_saved" RENAME TO "state"`);
        assert.deepEqual(await select(wh, `SELECT id FROM ${table} ORDER BY id`), [{ id: 'a' }], 'neither batch is in the table');
        assert.deepEqual(await wh.readState('gleap', 'tickets'), { cursor: 1 });
      });
    });

    test('history keeps every version; __as_of shows the past, including rows a replace deleted; pruneHistory', async () => {
      await withWarehouse(async (wh) => {
        const spec = tickets();
        const table = wh.qualifiedName(spec.placement);
        const history = companion(wh, spec.placement, '__history');
        const asOf = (ts: string) => `SELECT * FROM ${companion(wh, spec.placement, '__as_of')}('${ts}') ORDER BY id`;
        await loadRows(wh, spec, [[['a', 'A1', 1], ['b', 'B1', 1]]]);
        await loadRows(wh, spec, [[['a', 'A2', 1], ['b', 'B1', 1]]]);
        await loadRows(wh, spec, [[['a', 'A2', 1], ['c', 'C1', 1]]], { mode: 'replace' });

        const versions = await select(wh, `SELECT id, title, _valid_from, _valid_to FROM ${history} ORDER BY id, _valid_from`);
        assert.deepEqual(versions.map((v) => [v.id, v.title, v._valid_to === null]), [
          ['a', 'A1', false], ['a', 'A2', true], ['b', 'B1', false], ['c', 'C1', true],
        ]);
        const [t1, t2, t3] = [...new Set(versions.map((v) => v._valid_from as string))].sort();
        assert.equal(versions[0]._valid_to, t2, 'A1 ends when A2 starts');
        assert.equal(versions[2]._valid_to, t3, 'b ends when the replace ran');

        const columns = (await wh.query(asOf(t1))).columns;
        assert.deepEqual(columns, ['id', 'title', 'priority'], 'same columns as the table, without system columns');
        assert.deepEqual(await select(wh, asOf('2000-01-01T00:00:00Z')), []);
        assert.deepEqual(await select(wh, asOf(t1)), [{ id: 'a', title: 'A1', priority: 1 }, { id: 'b', title: 'B1', priority: 1 }]);
        assert.deepEqual(await select(wh, asOf(t2)), [{ id: 'a', title: 'A2', priority: 1 }, { id: 'b', title: 'B1', priority: 1 }]);
        assert.deepEqual(await select(wh, asOf(t3)), [{ id: 'a', title: 'A2', priority: 1 }, { id: 'c', title: 'C1', priority: 1 }]);
        assert.deepEqual(await select(wh, asOf(t3)), await select(wh, `SELECT id, title, priority FROM ${table} ORDER BY id`));

        assert.equal(await wh.pruneHistory(spec.placement, new Date(t2)), 0, 'nothing ended before t2');
        assert.equal(await wh.pruneHistory(spec.placement, new Date(Date.parse(t3) + 1)), 2);
        assert.deepEqual((await select(wh, `SELECT id FROM ${history} ORDER BY id`)).map((r) => r.id), ['a', 'c'], 'current versions are never pruned');
        assert.equal(await wh.pruneHistory({ layer: 'raw', name: 'never_loaded' }, new Date()), 0);
      });
    });

    test('query runs several statements in order and returns the last one\'s rows; a bad one is a clear error', async () => {
      await withWarehouse(async (wh) => {
        assert.deepEqual(await select(wh, 'SELECT 1 AS a; SELECT 2 AS b'), [{ b: 2 }], 'the last statement\'s rows');
        assert.deepEqual(await select(wh, 'CREATE TEMP TABLE scratch AS SELECT 7 AS n; SELECT n FROM scratch;'), [{ n: 7 }], 'earlier statements ran');
        await assert.rejects(wh.query('SELEC 1'), (err: unknown) => err instanceof WarehouseError && /^Query failed: Parser Error: syntax error at or near "SELEC"/.test(err.message));
      });
    });

    test('JSON columns are queryable with ->> and come back parsed', async () => {
      await withWarehouse(async (wh) => {
        const spec: TableSpec = {
          placement: { layer: 'raw', folder: 'gleap', name: 'sessions' },
          columns: [{ name: 'id', type: 'string' }, { name: 'customData', type: 'json' }],
          primaryKey: ['id'],
        };
        await loadRows(wh, spec, [[
          ['s1', JSON.stringify({ plan: 'pro', seats: 12, flags: { beta: true } })],
          ['s2', JSON.stringify({ plan: 'free' })],
          ['s3', { plan: 'object given, serialized' }],
        ]]);
        const table = wh.qualifiedName(spec.placement);
        assert.deepEqual(await select(wh, `SELECT id, "customData"->>'plan' AS plan FROM ${table} WHERE "customData"->>'plan' = 'pro'`), [{ id: 's1', plan: 'pro' }]);
        assert.deepEqual(await select(wh, `SELECT "customData" AS d FROM ${table} WHERE id = 's1'`), [{ d: { plan: 'pro', seats: 12, flags: { beta: true } } }]);
        assert.deepEqual(await select(wh, `SELECT "customData"->>'plan' AS plan FROM ${table} WHERE id = 's3'`), [{ plan: 'object given, serialized' }]);
      });
    });

    test('bad values are refused with a clear error; the failed batch is dropped, the load goes on', async () => {
      await withWarehouse(async (wh) => {
        const spec = tickets();
        const load = await wh.beginLoad({ runId: 'run-1', source: 'gleap', stream: 'tickets', spec, mode: 'merge' });
        await load.append([['ok', 'fine', 1]]);
        const refuse = async (rows: Row[], message: RegExp) =>
          assert.rejects(load.append(rows), (err: unknown) => err instanceof WarehouseError && err.code === 'WAREHOUSE_BAD_VALUE' && message.test(err.message));
        await refuse([['x', 'x', 1], ['y', 'y', 1.5]], /row 2 .*column "priority" \(integer\) got number 1\.5/);
        await refuse([[null, 'no key', 1]], /column "id".*primary key/);
        await refuse([['z', 'short row']], /expected an array of 3 values/);
        await refuse([['z', 'z', 'seven']], /column "priority" \(integer\) got string "seven"/);
        assert.deepEqual(await load.commit(undefined, { final: true }), counts(1, 0, 0));
        assert.deepEqual(await select(wh, `SELECT id FROM ${wh.qualifiedName(spec.placement)}`), [{ id: 'ok' }]);
        assert.equal(await wh.readState('gleap', 'tickets'), undefined, 'commit(undefined) saves no state');
      });
    });

    test('text that is not JSON in a JSON column fails the commit, which changes nothing', async () => {
      await withWarehouse(async (wh) => {
        const spec: TableSpec = { placement: { layer: 'raw', name: 'docs' }, columns: [{ name: 'id', type: 'integer' }, { name: 'doc', type: 'json' }], primaryKey: ['id'] };
        await loadRows(wh, spec, [[[1, '{"ok":true}']]], { state: { v: 1 } });
        const load = await wh.beginLoad({ runId: 'run-2', source: 'gleap', stream: 'docs', spec, mode: 'merge' });
        await load.append([[2, '{"fine":1}'], [3, '{not json']]);
        await assert.rejects(load.commit({ v: 2 }), (err: unknown) => err instanceof WarehouseError && /json/i.test(err.message));
        await load.abort('invalid JSON');
        assert.deepEqual(await select(wh, `SELECT id FROM ${wh.qualifiedName(spec.placement)}`), [{ id: 1 }]);
        assert.deepEqual(await wh.readState('gleap', 'docs'), { v: 1 });
      });
    });

    test('abort drops staged rows and marks the load failed', async () => {
      await withWarehouse(async (wh) => {
        const spec = tickets();
        const load = await wh.beginLoad({ runId: 'run-9', source: 'gleap', stream: 'tickets', spec, mode: 'merge' });
        await load.append([['a', 'A', 1]]);
        await load.abort('source returned 500 three times');
        await load.abort('twice is harmless');
        await assert.rejects(load.append([['b', 'B', 1]]), /already aborted/);
        await assert.rejects(load.commit({}), /already aborted/);
        assert.deepEqual(await select(wh, `SELECT count(*) AS n FROM ${wh.qualifiedName(spec.placement)}`), [{ n: 0 }]);
        const [entry] = await wh.listLoads({ runId: 'run-9' });
        assert.equal(entry.status, 'failed');
        assert.ok(entry.finishedAt instanceof Date);
        assert.deepEqual(await select(wh, `SELECT error FROM "_supportsync"."loads" WHERE load_id = '${load.loadId}'`), [{ error: 'source returned 500 three times' }]);
      });
    });

    test('runs and loads logs round-trip; state survives a reopen; clearState forgets it', async () => {
      await withWarehouse(async (wh, reopen) => {
        const run: RunRecord = { runId: 'r1', source: 'gleap', trigger: 'manual', status: 'running', startedAt: new Date('2024-05-01T10:00:00.000Z'), streams: {} };
        await wh.saveRun(run);
        await wh.saveRun({ runId: 'r0', source: 'gladly', trigger: 'schedule', status: 'failed', startedAt: new Date('2024-04-30T10:00:00.000Z'), streams: {}, error: 'boom' });
        assert.deepEqual(await wh.listRuns(), [run, { runId: 'r0', source: 'gladly', trigger: 'schedule', status: 'failed', startedAt: new Date('2024-04-30T10:00:00.000Z'), streams: {}, error: 'boom' }]);

        const spec = tickets();
        // Quotes, backslashes and SQL in a state come back exactly as they went in.
        const state = { cursor: '2024-05-01', note: `it's "quoted"; DROP TABLE x; -- \\ \u00e9` };
        const [c] = await loadRows(wh, spec, [[['a', 'A', 1], ['b', 'B', 2]]], { runId: 'r1', state });
        const finished: RunRecord = {
          ...run, status: 'succeeded', finishedAt: new Date('2024-05-01T10:00:05.250Z'), durationMs: 5250,
          streams: {
            tickets: {
              table: wh.qualifiedName(spec.placement), syncType: 'INCREMENTAL', status: 'succeeded', records: 2, inserted: c.inserted, updated: 0,
              unchanged: 0, deleted: 0, rejected: 0, requests: 3, durationMs: 1200, warnings: ['history may be missing'],
            },
          },
        };
        await wh.saveRun(finished);
        wh = await reopen();
        assert.deepEqual(await wh.listRuns({ source: 'gleap' }), [finished], 'upserted, not duplicated');
        assert.deepEqual(await wh.listRuns({ limit: 1 }), [finished], 'newest first');
        const loads = await wh.listLoads({ runId: 'r1' });
        assert.equal(loads.length, 1);
        assert.deepEqual({ ...loads[0], loadId: 'x', startedAt: 0, finishedAt: 0 }, {
          loadId: 'x', runId: 'r1', source: 'gleap', stream: 'tickets', table: '"raw"."gleap__tickets"', status: 'committed',
          rows: 2, inserted: 2, updated: 0, startedAt: 0, finishedAt: 0,
        });
        assert.deepEqual(await wh.listLoads({ runId: 'nope' }), []);
        assert.deepEqual(await wh.readState('gleap', 'tickets'), state);
        await wh.clearState('gleap', 'tickets');
        assert.equal(await wh.readState('gleap', 'tickets'), undefined);
      });
    });

    test('a process killed mid-load leaves exactly the committed rows, matching the saved state', async () => {
      const target = factory.newTarget();
      const perBatch = 5000;
      /** Starts a writer, kills it (SIGKILL) a few ms after its third commit started; returns the last batch it reported committed. */
      const killWriterMidCommit = () => new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures', 'crash-writer.ts'), factory.kind, target, String(perBatch)], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let stderr = '';
        let killed = false;
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', () => (killed ? resolve(Math.max(-1, ...[...out.matchAll(/committed (\d+)/g)].map((m) => Number(m[1])))) : reject(new Error(`writer exited on its own: ${stderr}`))));
        child.stdout.on('data', (d: Buffer) => {
          out += d;
          if (killed || (out.match(/committing/g) ?? []).length < 3) return;
          killed = true;
          setTimeout(() => child.kill('SIGKILL'), Math.random() * 60);
        });
      });
      try {
        for (let round = 0; round < 3; round++) {
          const lastReported = await killWriterMidCommit();
          const wh = await factory.open(target);
          try {
            const state = await wh.readState('crash', 'items');
            assert.ok(state, 'a state was committed');
            const k = state.batch as number;
            assert.ok(k >= lastReported, `state batch ${k} is at least the last batch reported (${lastReported})`);
            const table = wh.qualifiedName(crashSpec.placement);
            assert.deepEqual(await select(wh, `SELECT count(*) AS n, min(id) AS lo, max(id) AS hi FROM ${table}`), [{ n: (k + 1) * perBatch, lo: 0, hi: (k + 1) * perBatch - 1 }]);
            const half = Math.floor((k * perBatch) / 2);
            const wrong = (await select(wh, `SELECT id, batch FROM ${table}`)).filter((r) => r.batch !== ((r.id as number) < half ? k : Math.floor((r.id as number) / perBatch)));
            assert.deepEqual(wrong, [], 'every row holds the value of the last committed batch that wrote it');
            const history = companion(wh, crashSpec.placement, '__history');
            assert.deepEqual(await select(wh, `SELECT count(*) AS n FROM ${history} WHERE _valid_to IS NULL`), [{ n: (k + 1) * perBatch }], 'one current version per row');
            assert.ok((await wh.listLoads()).every((l) => l.status !== 'running'), 'no load is left running');
          } finally {
            await wh.close();
          }
        }
      } finally {
        factory.cleanup(target);
      }
    });
  });
}
