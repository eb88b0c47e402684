import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'ss-demo-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('supportsync demo', () => {
  test('syncs every stream of both sources into a DuckDB file and reports KPIs', async () => {
    const res = await runCli(['demo', '--scale', '300', '--json'], { cwd: dir });
    assert.equal(res.code, 0, res.stderr);
    const doc = JSON.parse(res.stdout);
    const streams = (source: string) => doc.runs.find((r: { source: string }) => r.source === source).streams;
    assert.deepEqual(Object.keys(streams('gleap')),
      ['tickets', 'sessions', 'messages', 'teams', 'agents', 'surveys', 'survey_responses', 'message_templates']);
    assert.deepEqual(Object.keys(streams('gladly')), ['customers', 'conversation_items', 'agents', 'topics']);
    assert.equal(streams('gleap').tickets.records, 300);
    for (const run of doc.runs) assert.equal(run.status, 'succeeded', `${run.source}: ${run.error}`);
    assert.equal(typeof doc.kpis['new tickets (30 d)'], 'number', 'KPIs are computed from the warehouse');

    const query = await runCli(['query', '--warehouse', join(dir, 'supportsync-demo.duckdb'), '--json', 'select count(*) as n from raw.gladly__conversations']);
    assert.equal(query.code, 0, query.stderr);
    assert.ok(JSON.parse(query.stdout)[0].n > 0, 'the derived conversations view exists');

    const runs = await runCli(['runs', '--warehouse', join(dir, 'supportsync-demo.duckdb'), '--json']);
    assert.equal(runs.code, 0, runs.stderr);
    assert.deepEqual(JSON.parse(runs.stdout).map((r: { source: string }) => r.source).sort(), ['gladly', 'gleap'], 'runs reads the demo file too');
  });

  test('the human summary shows each run\'s warnings under its table, once; a demo file of its own or an empty one is replaced', async () => {
    const file = join(dir, 'human.duckdb');
    writeFileSync(file, ''); // as `mktemp` leaves it
    const first = await runCli(['demo', '--scale', '50', '--warehouse', file, '--json'], { cwd: dir });
    assert.equal(first.code, 0, `an empty file is replaced: ${first.stderr}`);
    const res = await runCli(['demo', '--scale', '300', '--warehouse', file], { cwd: dir });
    assert.equal(res.code, 0, `an earlier demo's file is replaced without --force: ${res.stderr}`);
    const runs = await runCli(['runs', '--warehouse', file, '--json']);
    assert.equal(JSON.parse(runs.stdout).length, 2, 'only the last demo\'s two runs: the file was replaced, not added to');
    // The Gladly emulator always holds a FAILED job, which every Gladly stream reports.
    const notes = res.stdout.split('\n').filter((l) => l.startsWith('  ! '));
    assert.equal(notes.length, 1, `one note line:\n${res.stdout}`);
    assert.match(notes[0]!, /^ {2}! customers, conversation_items, agents, topics: \d+ export job\(s\) FAILED at Gladly/);
    assert.ok(res.stdout.indexOf(notes[0]!) > res.stdout.indexOf('gladly: succeeded'), 'under the Gladly table');
  });

  test('refuses to replace a file that is not its own without --force', async () => {
    const other = join(dir, 'precious.duckdb');
    writeFileSync(other, 'not a demo');
    const res = await runCli(['demo', '--warehouse', other], { cwd: dir });
    assert.equal(res.code, 2);
    assert.match(res.stderr, /--force/);
  });
});
