/**
 * kill -9 in the middle of a big export job: the state committed with the data says how
 * far into the job the warehouse got, and the rerun picks the job up there. The table
 * must end exactly as an uninterrupted run leaves it: no lost and no duplicate rows.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startGladlyEmulator } from '../../../../emulators/gladly/index.ts';
import { runSync } from '../../../engine/sync-run.ts';
import { openDuckDbWarehouse } from '../../../warehouse/duckdb/duckdb-warehouse.ts';
import type { Warehouse } from '../../../warehouse/warehouse.ts';
import { gladlyResolved } from './gladly-test-kit.ts';

const dir = mkdtempSync(join(tmpdir(), 'ss-gladly-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const contents = async (wh: Warehouse) =>
  (await wh.query('select id, _job_id, content_type from raw.conversation_items order by id')).rows.map((r) => `${r.id}|${r._job_id}|${r.content_type}`);

test('kill -9 inside a job: the rerun resumes inside it and the table equals an uninterrupted run', async () => {
  const emu = await startGladlyEmulator({ seed: 21, scale: 0.05, schedule: 'daily', rateLimit: false, bigFileBytes: 8_000_000 });
  try {
    const reference = await openDuckDbWarehouse(join(dir, 'reference.duckdb'));
    const full = await runSync({ warehouse: reference, source: gladlyResolved(emu), streams: ['conversation_items'] });
    assert.equal(full.status, 'succeeded', full.error);
    const expected = await contents(reference);
    const bigJobRows = Number((await reference.query(`select count(*) as n from raw.conversation_items where _job_id = '${emu.bigFileJobId}'`)).rows[0]!.n);
    await reference.close();
    assert.equal(expected.length, emu.counts().conversation_items);

    const path = join(dir, 'killed.duckdb');
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/gladly-sync-child.ts', import.meta.url)), path, emu.apiBase], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? -1 : code)));
    let seen = 0;
    // Far enough into the big job (the small jobs hold a few hundred items) for two checkpoints in it.
    const deepInJob = new Promise<void>((resolve) => {
      let buffered = '';
      child.stdout.on('data', (d) => {
        buffered += d;
        for (const m of buffered.matchAll(/records (\d+)/g)) seen = Math.max(seen, Number(m[1]));
        buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
        if (seen >= 7000) resolve();
      });
    });
    await Promise.race([deepInJob, exited]);
    child.kill('SIGKILL');
    assert.equal(await exited, -1, `the child was killed before finishing (it had seen ${seen} records)`);

    const wh = await openDuckDbWarehouse(path);
    try {
      const state = await wh.readState('gladly', 'conversation_items');
      const inJob = state?.inJob as { jobId: string; records: number } | undefined;
      assert.ok(inJob && inJob.jobId === emu.bigFileJobId && inJob.records >= 2000, `the committed state is inside the big job: ${JSON.stringify(state)}`);

      const rerun = await runSync({ warehouse: wh, source: gladlyResolved(emu), streams: ['conversation_items'] });
      assert.equal(rerun.status, 'succeeded', rerun.error);
      assert.equal(rerun.streams.conversation_items!.records, bigJobRows - inJob.records, 'only the rest of the big job is read again');
      assert.deepEqual(await contents(wh), expected);
      assert.equal((await wh.readState('gladly', 'conversation_items'))?.inJob, undefined);
    } finally {
      await wh.close();
    }
  } finally {
    await emu.close();
  }
});
