/** What only the DuckDB warehouse has: a file lock, a file to crash on, DuckDB SQL types. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WarehouseError } from '../../core/errors.ts';
import { openDuckDbWarehouse } from '../duckdb/duckdb-warehouse.ts';
import type { TableSpec, Warehouse } from '../warehouse.ts';
import { crashRows, crashSpec } from './fixtures/crash-spec.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const tempFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ss-')), 'nested', 'w.duckdb');

/** Runs a fixture with tsx; resolves with its stdout once it printed `until` (or exited). */
function runFixture(script: string, args: string[], until?: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures', script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (until && out.includes(until)) resolve(out);
    });
    child.on('close', (code, signal) => (until && !out.includes(until) ? reject(new Error(`${script} exited (${code ?? signal}) before "${until}": ${err}`)) : resolve(out)));
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('close', (code, signal) => resolve(signal ?? code)));
  return { child, ready, exited };
}

async function withFile(fn: (file: string) => Promise<void>) {
  const file = tempFile();
  try {
    await fn(file);
  } finally {
    fs.rmSync(path.dirname(path.dirname(file)), { recursive: true, force: true });
  }
}

describe('DuckDB warehouse', () => {
  test('a file held by another process gives WAREHOUSE_LOCKED with the PID and what to do', async () => {
    await withFile(async (file) => {
      const holder = runFixture('hold-open.ts', ['duckdb', file], 'ready');
      try {
        await holder.ready;
        await assert.rejects(openDuckDbWarehouse(file), (err: unknown) => {
          assert.ok(err instanceof WarehouseError);
          assert.equal(err.code, 'WAREHOUSE_LOCKED');
          assert.match(err.message, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is in use by another process \\(PID ${holder.child.pid}\\b`));
          assert.match(err.message, /stop it, then try again/);
          return true;
        });
      } finally {
        holder.child.kill('SIGKILL');
        await holder.exited;
      }
      const wh = await openDuckDbWarehouse(file); // released with the process
      await wh.close();
    });
  });

  test('opening the same file twice in one process is refused instead of corrupting it', async () => {
    await withFile(async (file) => {
      const wh = await openDuckDbWarehouse(file);
      try {
        await assert.rejects(openDuckDbWarehouse(file), (err: unknown) => err instanceof WarehouseError && err.code === 'WAREHOUSE_LOCKED' && /this same process/.test(err.message));
      } finally {
        await wh.close();
      }
      await (await openDuckDbWarehouse(file)).close();
    });
  });

  test('a warehouse opened to sync leaves one core to the engine; one opened to read, or given threads, does not; memory follows the threads', async () => {
    await withFile(async (file) => {
      const settingsWhen = async (options: Parameters<typeof openDuckDbWarehouse>[1]) => {
        const wh = await openDuckDbWarehouse(file, options);
        try {
          const [row] = (await wh.query(`select current_setting('threads') as threads, current_setting('memory_limit') as memory`)).rows;
          return { threads: Number(row!.threads), memory: String(row!.memory) };
        } finally {
          await wh.close();
        }
      };
      const cores = os.availableParallelism();
      assert.equal((await settingsWhen({ use: 'sync' })).threads, Math.max(1, cores - 1), 'a sync: one DuckDB thread per core but one');
      assert.equal((await settingsWhen({ use: 'read' })).threads, cores, 'a reader: every core');
      const three = await settingsWhen({ use: 'sync', threads: 3 });
      assert.equal(three.threads, 3, 'configured threads win over the default');
      assert.equal(three.memory, (await settingsWhen({ memoryLimit: '256MB' })).memory, '3 threads: 64 MB each plus 64 MB');
      assert.equal((await settingsWhen({ threads: 3, memoryLimit: '1GB' })).memory, (await settingsWhen({ threads: 1, memoryLimit: '1GB' })).memory, 'a configured limit wins');
    });
  });

  test('killed between merging rows and writing the state: the reopened file has neither', async () => {
    await withFile(async (file) => {
      const writer = runFixture('kill-mid-commit.ts', [file]);
      assert.equal(await writer.exited, 'SIGKILL');
      assert.match(await writer.ready, /dying/);

      const wh = await openDuckDbWarehouse(file);
      try {
        assert.deepEqual(await wh.readState('crash', 'items'), { batch: 0 });
        const table = wh.qualifiedName(crashSpec.placement);
        assert.deepEqual((await wh.query(`SELECT count(*) AS n, max(batch) AS b, max(id) AS hi FROM ${table}`)).rows, [{ n: 1000, b: 0, hi: 999 }]);
        assert.deepEqual((await wh.query(`SELECT count(*) AS n FROM "raw"."crash__items__superseded"`)).rows, [{ n: 0 }], 'no version was closed');
        const [entry] = await wh.listLoads();
        assert.equal(entry.status, 'committed', 'the load committed once; its second commit never happened');
        assert.equal(entry.rows, 1000);
        // No staging leftovers get in the way: the same batch loads cleanly now.
        const load = await wh.beginLoad({ runId: 'retry', source: 'crash', stream: 'items', spec: crashSpec, mode: 'merge' });
        await load.append(crashRows(1, 1000));
        assert.deepEqual(await load.commit({ batch: 1 }, { final: true }), { inserted: 1000, updated: 500, unchanged: 0, deleted: 0 });
      } finally {
        await wh.close();
      }
    });
  });

  test('loads and runs left running by a dead process are marked failed on open', async () => {
    await withFile(async (file) => {
      const writer = runFixture('crash-writer.ts', ['duckdb', file, '100'], 'committing 0');
      await writer.ready;
      writer.child.kill('SIGKILL');
      await writer.exited;
      const wh = await openDuckDbWarehouse(file);
      try {
        await wh.saveRun({ runId: 'r', source: 's', trigger: 'manual', status: 'running', startedAt: new Date(), streams: {} });
      } finally {
        await wh.close();
      }
      const again = await openDuckDbWarehouse(file);
      try {
        const [run] = await again.listRuns();
        assert.equal(run.status, 'failed');
        assert.match(run.error ?? '', /interrupted/);
        assert.ok((await again.listLoads()).every((l) => l.status !== 'running'));
      } finally {
        await again.close();
      }
    });
  });

  test('row hashes are recomputed when DuckDB hash() changed since the last open', async () => {
    await withFile(async (file) => {
      const spec: TableSpec = { placement: { layer: 'raw', name: 't' }, columns: [{ name: 'id', type: 'integer' }, { name: 'v', type: 'string' }], primaryKey: ['id'] };
      const load = async (wh: Warehouse) => {
        const l = await wh.beginLoad({ runId: 'r', source: 's', stream: 't', spec, mode: 'merge' });
        await l.append([[1, 'a'], [2, 'b']]);
        return l.commit(undefined, { final: true });
      };
      let wh = await openDuckDbWarehouse(file);
      await load(wh);
      // What an upgrade with a different hash() looks like: stored hashes no longer match.
      await wh.query(`UPDATE "raw"."t" SET _row_hash = 0; UPDATE "_supportsync".meta SET value = 'older hash' WHERE key = 'row_hash_probe'`);
      await wh.close();
      wh = await openDuckDbWarehouse(file);
      try {
        assert.deepEqual(await load(wh), { inserted: 0, updated: 0, unchanged: 2, deleted: 0 });
      } finally {
        await wh.close();
      }
    });
  });

  test('query returns JSON-friendly values for DuckDB types', async () => {
    const wh = await openDuckDbWarehouse(':memory:');
    try {
      const result = await wh.query(`SELECT
        42::BIGINT AS small, 9007199254740993::BIGINT AS big, 18446744073709551615::UBIGINT AS ubig,
        12.34::DECIMAL(10,2) AS dec, 'NaN'::DOUBLE AS nan, 1.5::FLOAT AS f,
        TIMESTAMPTZ '2024-05-01 12:00:00.123456+02' AS tz, TIMESTAMP '1969-12-31 23:59:59.9995' AS naive, DATE '2024-02-29' AS d,
        'infinity'::TIMESTAMPTZ AS inf, '{"a":[1,{"b":null}]}'::JSON AS j, [1, 2]::BIGINT[] AS l, {'k': 'v', 'n': 1::BIGINT} AS s,
        MAP {'x': 1} AS m, INTERVAL 90 MINUTE AS i, '7d2c8b3e-0000-4000-8000-000000000000'::UUID AS u, NULL AS nothing, 1 AS small`);
      assert.deepEqual(result.columns, ['small', 'big', 'ubig', 'dec', 'nan', 'f', 'tz', 'naive', 'd', 'inf', 'j', 'l', 's', 'm', 'i', 'u', 'nothing', 'small:1']);
      assert.deepEqual(result.rows, [{
        small: 42, big: '9007199254740993', ubig: '18446744073709551615', dec: 12.34, nan: 'NaN', f: 1.5,
        tz: '2024-05-01T10:00:00.123456Z', naive: '1969-12-31T23:59:59.999500Z', d: '2024-02-29', inf: 'infinity',
        j: { a: [1, { b: null }] }, l: [1, 2], s: { k: 'v', n: 1 }, m: { x: 1 }, i: '01:30:00', u: '7d2c8b3e-0000-4000-8000-000000000000',
        nothing: null, 'small:1': 1,
      }]);
      await assert.rejects(wh.query('SELECT * FROM no_such_table'), (err: unknown) => err instanceof WarehouseError && err.code === 'WAREHOUSE_QUERY' && /no_such_table/.test(err.message));
    } finally {
      await wh.close();
    }
    await assert.rejects(wh.query('SELECT 1'), /closed/);
  });
  test('a commit of more rows than a merge partition holds gives the same table, history and counts as one piece', async () => {
    const spec: TableSpec = {
      placement: { layer: 'raw', name: 'items' },
      columns: [{ name: 'id', type: 'string' }, { name: 'v', type: 'integer' }],
      primaryKey: ['id'],
    };
    const rows = (ids: number[], v: (id: number) => number) => ids.map((id) => [`k${id}`, v(id)]);
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    /** Merge with duplicates and updates, then a replace that updates, keeps and deletes. */
    async function scenario(rowsPerMergePartition?: number) {
      const out: unknown[] = [];
      await withFile(async (file) => {
        const wh = await openDuckDbWarehouse(file, { rowsPerMergePartition });
        try {
          const table = wh.qualifiedName(spec.placement);
          await wh.prepareTable(spec);
          const merge = await wh.beginLoad({ runId: 'r1', source: 's', stream: 'items', spec, mode: 'merge' });
          await merge.append(rows(range(0, 40), (id) => id));
          await merge.append(rows(range(30, 50), (id) => -id)); // duplicates: the last one wins
          out.push(await merge.commit({ n: 1 }, { final: true }));
          const replace = await wh.beginLoad({ runId: 'r2', source: 's', stream: 'items', spec, mode: 'replace' });
          await replace.append(rows(range(10, 60), (id) => (id % 3 === 0 ? id * 100 : id < 30 ? id : -id)));
          out.push(await replace.commit({ n: 2 }, { final: true }));
          out.push((await wh.query(`SELECT id, v FROM ${table} ORDER BY id`)).rows);
          out.push((await wh.query(`SELECT id, v FROM "raw"."items__superseded" ORDER BY id, v`)).rows);
        } finally {
          await wh.close();
        }
      });
      return out;
    }
    const whole = await scenario();
    assert.deepEqual(whole[0], { inserted: 50, updated: 0, unchanged: 0, deleted: 0 }, 'the scenario merges 60 staged rows into 50 keys');
    assert.deepEqual(whole[1], { inserted: 10, updated: 13, unchanged: 27, deleted: 10 }, 'and its replace inserts, updates, keeps and deletes');
    assert.deepEqual(await scenario(7), whole, 'in partitions of 7 staged rows');
  });
});
