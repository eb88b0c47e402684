/**
 * `supportsync runs` through the real binary, on a warehouse the real `sync` filled from the
 * Gleap emulator: one source that syncs and one whose API key Gleap refuses (a failed run
 * with a long error). Human output fits the terminal; `--limit` and `--source` are checked.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startGleapEmulator, type GleapEmulator } from '../../../emulators/gleap/gleap-emulator.ts';
import { runCli } from './run-cli.ts';

interface RunJson {
  runId: string;
  source: string;
  status: string;
  durationMs: number;
  streams: Record<string, { table: string; error?: string }>;
  error?: string;
  trigger: string;
  startedAt: string;
}

const dir = mkdtempSync(join(tmpdir(), 'ss-runs-cli-'));
const warehouse = join(dir, 'w.duckdb');
const config = join(dir, 'supportsync.yaml');
let e: GleapEmulator;
let runs: RunJson[];

before(async () => {
  e = await startGleapEmulator({ scale: 50, seed: 5, now: new Date('2026-04-10T12:00:00Z'), rateLimit: null });
  const source = (name: string, apiKey: string) => `
  - name: ${name}
    type: gleap
    folder: ${name}
    config: { apiKey: ${apiKey}, projectId: test-project, baseUrl: ${e.url}/v3, startDate: 2020-01-01T00:00:00Z }
    streams: [tickets, teams, agents]`;
  writeFileSync(config, `warehouse: { type: duckdb, path: ${warehouse} }\nsources:${source('gleap', 'test-api-key')}${source('broken', 'wrong-key')}\n`);
  const sync = await runCli(['sync', '--config', config]);
  assert.equal(sync.code, 1, `gleap succeeds and broken fails, so the sync exits 1:\n${sync.stderr}`);
  const res = await runCli(['runs', '--config', config, '--json']);
  assert.equal(res.code, 0, `runs --json: ${res.stderr}`);
  runs = JSON.parse(res.stdout) as RunJson[];
  assert.deepEqual(runs.map((r) => `${r.source} ${r.status}`).sort(), ['broken failed', 'gleap succeeded'], 'one run per source');
});
after(async () => {
  await e.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('supportsync runs', () => {
  test('human output fits 80 columns: a header per run, its streams, its error once and whole', async () => {
    const res = await runCli(['runs', '--config', config], { env: { COLUMNS: '80' } });
    assert.equal(res.code, 0, res.stderr);
    const lines = res.stdout.trimEnd().split('\n');
    for (const line of lines) {
      // Only a single word longer than a line (the failed request's URL) may stay longer.
      assert.ok(line.length <= 80 || /^ *\S+$/.test(line), `at most 80 columns (${line.length}):\n${line}`);
    }
    for (const run of runs) {
      assert.ok(lines.some((l) => l.startsWith(`${run.source} run ${run.runId} · ${run.status} in `)), `a header line for ${run.source}:\n${res.stdout}`);
    }
    const rows = lines.filter((l) => /^ {2}(tickets|teams|agents) +(\d+ +){4}\d.* (succeeded|failed)$/.test(l));
    // broken stops at its first stream: wrong credentials would fail every stream the same way.
    assert.equal(rows.length, 4, `stream, records, new, updated, requests, time, status: 3 gleap streams, 1 of broken:\n${res.stdout}`);
    assert.ok(lines.includes('  tables: "raw"."gleap__<stream>"'), `where the gleap run's tables are:\n${res.stdout}`);

    const error = runs.find((r) => r.source === 'broken')!.streams.tickets!.error!;
    assert.ok(error.length > 200, `a long error to wrap: ${error}`);
    const start = lines.findIndex((l) => l.startsWith('  ✘ tickets: '));
    assert.ok(start >= 0, `the error is printed:\n${res.stdout}`);
    let end = start + 1;
    while (end < lines.length && lines[end]!.startsWith('    ')) end += 1;
    assert.ok(end - start > 1, `the error wraps onto indented lines:\n${res.stdout}`);
    assert.equal(lines.slice(start, end).map((l) => l.trim()).join(' '), `✘ tickets: ${error}`, 'the whole error, nothing cut');
    assert.equal(lines.filter((l) => l.includes('Gleap refused the API key')).length, 1, `the error once, not per row or again as the run's error:\n${res.stdout}`);
  });

  test('--json keeps its fields and their order', async () => {
    for (const run of runs) {
      const keys = ['runId', 'source', 'status', 'durationMs', 'streams', ...(run.status === 'failed' ? ['error'] : []), 'trigger', 'startedAt'];
      assert.deepEqual(Object.keys(run), keys, `${run.source}'s run`);
      assert.equal(run.streams.tickets?.table, `"raw"."${run.source}__tickets"`, 'the qualified table name');
    }
  });

  test('--limit takes a positive whole number; anything else exits 2 naming the option', async () => {
    const bads = ['abc', '0', '-1', '1.5'];
    // Refused before the warehouse is opened, so the four may run at once.
    const answers = await Promise.all(bads.map((bad) => runCli(['runs', '--config', config, '--limit', bad])));
    for (const [i, bad] of bads.entries()) {
      const res = answers[i]!;
      assert.equal(res.code, 2, `--limit ${bad}: ${res.stderr}`);
      assert.ok(res.stderr.includes(`--limit expects a positive whole number, got "${bad}"`), `--limit ${bad}: ${res.stderr}`);
      assert.equal(res.stdout, '', `--limit ${bad}: nothing on stdout`);
    }
    const one = await runCli(['runs', '--config', config, '--limit', '1', '--json']);
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual((JSON.parse(one.stdout) as RunJson[]).map((r) => r.runId), [runs[0]!.runId], 'only the newest run');
  });

  test('--source: a name the config lacks exits 2 as in other commands; a known one filters', async () => {
    const [res, sync] = await Promise.all([runCli(['runs', '--config', config, '--source', 'nope']), runCli(['sync', '--config', config, '--source', 'nope'])]);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /--source: no source named "nope"; the config has gleap, broken/);
    assert.equal(res.stderr, sync.stderr, 'the same message as `sync --source nope`');
    assert.equal(res.stdout, '', 'nothing on stdout');
    const broken = await runCli(['runs', '--config', config, '--source', 'broken', '--json']);
    assert.equal(broken.code, 0, broken.stderr);
    assert.deepEqual((JSON.parse(broken.stdout) as RunJson[]).map((r) => r.source), ['broken'], 'only the runs of broken');
  });

  test('--source with --warehouse alone: any name, and an empty answer says which sources have runs', async () => {
    const res = await runCli(['runs', '--warehouse', warehouse, '--source', 'gleep']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'no runs of a source named "gleep" in this warehouse; did you mean gleap? it has runs of broken, gleap\n');
    const found = await runCli(['runs', '--warehouse', warehouse, '--source', 'gleap', '--json']);
    assert.deepEqual((JSON.parse(found.stdout) as RunJson[]).map((r) => r.source), ['gleap'], 'a source the warehouse has runs of');
  });
});
