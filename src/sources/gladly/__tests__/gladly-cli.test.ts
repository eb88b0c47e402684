/**
 * Gladly through the real `supportsync` binary, as a user runs it: a YAML config pointing
 * at the emulator, then check, discover, sync --json and runs --json.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startGladlyEmulator, type GladlyEmulator } from '../../../../emulators/gladly/index.ts';
import { runCli } from '../../../cli/__tests__/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'ss-gladly-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('supportsync with a Gladly source', () => {
  let emu: GladlyEmulator;
  let configFile: string;
  const env = { TEST_GLADLY_TOKEN: 'test-token' };
  before(async () => {
    emu = await startGladlyEmulator({ seed: 31, scale: 0.05, schedule: 'daily', rateLimit: false });
    configFile = join(dir, 'supportsync.yaml');
    writeFileSync(configFile, `warehouse:
  type: duckdb
  path: ${join(dir, 'w.duckdb')}
sources:
  - name: gladly
    type: gladly
    layer: raw
    folder: gladly
    config:
      organization: acme
      email: agent@example.com
      apiToken: \${TEST_GLADLY_TOKEN}
      baseUrl: ${emu.apiBase}
      requestsPerSecond: 100
`);
  });
  after(() => emu.close());

  test('check names the override and the export; discover lists the four incremental tables', async () => {
    const check = await runCli(['check', '--config', configFile], { env });
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /BASE URL OVERRIDE: reached http:\/\/127\.0\.0\.1:\d+\/api\/v1 instead of https:\/\/acme\.gladly\.com\/api\/v1/);
    const discover = await runCli(['discover', '--config', configFile, '--json'], { env });
    assert.equal(discover.code, 0, discover.stderr);
    const text = discover.stdout;
    for (const stream of ['customers', 'conversation_items', 'agents', 'topics']) assert.ok(text.includes(`"${stream}"`), `discover lists ${stream}`);
    assert.ok(text.includes('_job_updated_at'), 'the cursor field is shown');
    assert.ok(!text.includes('FULL_TABLE'), 'only INCREMENTAL is offered');
  });

  test('sync --json loads every table; runs --json shows the run', async () => {
    const sync = await runCli(['sync', '--config', configFile, '--json'], { env });
    assert.equal(sync.code, 0, sync.stderr);
    const summary = JSON.parse(sync.stdout) as { status: string; streams: Record<string, { table: string; records: number; inserted: number }> };
    assert.equal(summary.status, 'succeeded');
    const counts = emu.counts();
    for (const stream of ['customers', 'conversation_items', 'agents', 'topics'] as const) {
      assert.equal(summary.streams[stream]?.table, `"raw"."gladly__${stream}"`);
      assert.equal(summary.streams[stream]?.inserted, counts[stream], `${stream} rows`);
    }
    const runs = await runCli(['runs', '--config', configFile, '--json'], { env });
    assert.equal(runs.code, 0, runs.stderr);
    assert.equal((JSON.parse(runs.stdout) as Array<{ status: string }>)[0]?.status, 'succeeded');
    assert.ok(!sync.stdout.includes('test-token') && !sync.stderr.includes('test-token'), 'the token never appears');
  });

  test('a warning every stream gives (FAILED export jobs) is printed and logged once, naming the streams', async () => {
    const fresh = join(dir, 'fresh.yaml');
    writeFileSync(fresh, readFileSync(configFile, 'utf8').replace(join(dir, 'w.duckdb'), join(dir, 'fresh.duckdb')));
    const sync = await runCli(['sync', '--config', fresh], { env });
    assert.equal(sync.code, 0, sync.stderr);
    const failedLines = sync.stdout.split('\n').filter((l) => l.includes('FAILED at Gladly'));
    assert.equal(failedLines.length, 1, `one line, not one per stream:\n${sync.stdout}`);
    assert.match(failedLines[0]!, /^ {2}! customers, conversation_items, agents, topics: \d+ export job\(s\) FAILED at Gladly and hold no data: /);
    const logged = sync.stderr.split('\n').filter((l) => l.includes('FAILED at Gladly'));
    assert.equal(logged.length, 1, `logged live once, not once per stream:\n${sync.stderr}`);
    const runs = await runCli(['runs', '--config', fresh, '--json'], { env });
    const streams = (JSON.parse(runs.stdout) as Array<{ streams: Record<string, { warnings: string[] }> }>)[0]!.streams;
    for (const name of ['customers', 'conversation_items', 'agents', 'topics']) {
      assert.ok(streams[name]!.warnings.some((w) => w.includes('FAILED at Gladly')), `${name}'s run record keeps the warning`);
    }
  });
});
