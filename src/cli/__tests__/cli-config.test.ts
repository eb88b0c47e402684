import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openDuckDbWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.ts';
import { BIN, runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'ss-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const config = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const gleap = (extra = '') => `
sources:
  - name: gleap
    type: gleap
    config:
      apiKey: \${TEST_GLEAP_KEY}
      projectId: p1
      startDate: 2024-01-01T00:00:00Z
${extra}`;

describe('supportsync CLI: usage and config errors', () => {
  test('--help lists the commands and exits 0', async () => {
    const res = await runCli(['--help']);
    assert.equal(res.code, 0);
    for (const cmd of ['init', 'check', 'discover', 'sync', 'runs', 'query', 'serve']) assert.match(res.stdout, new RegExp(`\\b${cmd}\\b`));
  });

  test('a reader that closes the pipe early (`| head`) ends the command quietly, without a stack trace', async () => {
    const child = spawn(process.execPath, [BIN, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // closed before the first write, as `head` does after its lines
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(stderr, '', 'nothing on stderr');
    assert.equal(code, 0);
  });

  test('every command has --help', async () => {
    const res = await runCli(['sync', '--help']);
    assert.equal(res.code, 0);
    assert.match(res.stdout, /--full/);
  });

  test('an unknown option is bad usage: exit 2', async () => {
    const res = await runCli(['runs', '--config', 'x.yaml', '--colour']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /unknown option/);
  });

  test('a bad cron exits 2 naming the key', async () => {
    const res = await runCli(['sync', '--config', config('cron.yaml', gleap('    schedule: "every day"'))], { env: { TEST_GLEAP_KEY: 'k-1234' } });
    assert.equal(res.code, 2);
    assert.match(res.stderr, /sources\[0\]\.schedule: expected a cron expression/);
  });

  test('a bad start date exits 2 with an example of the right form', async () => {
    const res = await runCli(['check', '--config', config('date.yaml', gleap().replace('2024-01-01T00:00:00Z', '2024-01-01 00:00'))], { env: { TEST_GLEAP_KEY: 'k-1234' } });
    assert.equal(res.code, 2);
    assert.match(res.stderr, /sources\[0\]\.config\.startDate: expected YYYY-MM-DDTHH:mm:ssZ, e\.g\. 2024-01-01T00:00:00Z/);
  });

  test('an unknown key exits 2 naming it; a bad retention too', async () => {
    const unknown = await runCli(['discover', '--config', config('unknown.yaml', gleap('    tableprefix: x'))], { env: { TEST_GLEAP_KEY: 'k-1234' } });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /sources\[0\]\.tableprefix: unknown key/);
    const retention = await runCli(['discover', '--config', config('ret.yaml', gleap('    retention: forever'))], { env: { TEST_GLEAP_KEY: 'k-1234' } });
    assert.equal(retention.code, 2);
    assert.match(retention.stderr, /sources\[0\]\.retention/);
  });

  test('a missing environment variable exits 2 and never prints secrets', async () => {
    const res = await runCli(['discover', '--config', config('env.yaml', gleap())], { env: { TEST_GLEAP_KEY: '' } });
    assert.equal(res.code, 2);
    assert.match(res.stderr, /TEST_GLEAP_KEY is not set/);
  });

  test('a missing config file exits 2', async () => {
    const res = await runCli(['sync', '--config', join(dir, 'nope.yaml')]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /cannot read/);
  });

  test('reading commands refuse a warehouse that does not exist instead of creating an empty one', async () => {
    const missing = join(dir, 'typo', 'warehouse.duckdb');
    for (const args of [['query', '--warehouse', missing, 'select 1'], ['runs', '--warehouse', missing]]) {
      const res = await runCli(args);
      assert.equal(res.code, 2, `${args[0]}: ${res.stderr}`);
      assert.match(res.stderr, /--warehouse: no DuckDB file at .*typo/, args[0]);
    }
    const cfg = config('missing-wh.yaml', `warehouse: { type: duckdb, path: ./typo/wh.duckdb }\n${gleap()}`);
    const res = await runCli(['runs', '--config', cfg], { env: { TEST_GLEAP_KEY: 'k' } });
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /warehouse\.path: no DuckDB file at/);
    assert.equal(existsSync(join(dir, 'typo')), false, 'no folder or file was created');
  });

  test('query and runs need only the warehouse block: no source credentials, but that block is still validated', async () => {
    const file = join(dir, 'existing.duckdb');
    await (await openDuckDbWarehouse(file)).close();
    const cfg = config('reader.yaml', `warehouse: { type: duckdb, path: ./existing.duckdb }\n${gleap()}`);
    const env = { TEST_GLEAP_KEY: '' };
    const runs = await runCli(['runs', '--config', cfg], { env });
    assert.equal(runs.code, 0, runs.stderr);
    assert.match(runs.stdout, /no runs yet/);
    const query = await runCli(['query', '--config', cfg, '--json', 'select 42 as answer'], { env });
    assert.equal(query.code, 0, query.stderr);
    assert.deepEqual(JSON.parse(query.stdout), [{ answer: 42 }]);
    const typo = config('reader-typo.yaml', `warehouse: { type: duckdb, paht: ./existing.duckdb }\n${gleap()}`);
    const bad = await runCli(['runs', '--config', typo], { env });
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /warehouse\.paht: unknown key/);
    const empty = await runCli(['query', '--config', cfg, '  '], { env });
    assert.equal(empty.code, 2, 'empty SQL is bad usage, not "(0 rows)"');
    assert.match(empty.stderr, /the SQL is empty/);
    const both = await runCli(['query', '--config', cfg, '--warehouse', file, 'select 1'], { env });
    assert.equal(both.code, 2, 'two warehouses named: refused, not one silently preferred');
    assert.match(both.stderr, /give --config FILE or --warehouse PATH, not both/);
  });

  test('warehouse.memoryLimit sets DuckDB\'s memory budget; a value that is not a size exits 2 naming it', async () => {
    const file = join(dir, 'budget.duckdb');
    await (await openDuckDbWarehouse(file)).close();
    const cfg = config('budget.yaml', `warehouse: { type: duckdb, path: ./budget.duckdb, memoryLimit: 1GB }\n`);
    const query = await runCli(['query', '--config', cfg, '--json', "select current_setting('memory_limit') as m"]);
    assert.equal(query.code, 0, query.stderr);
    assert.deepEqual(JSON.parse(query.stdout), [{ m: '953.6 MiB' }], '1GB as DuckDB shows it');
    const bad = await runCli(['query', '--config', config('budget-bad.yaml', `warehouse: { type: duckdb, path: ./budget.duckdb, memoryLimit: lots }\n`), 'select 1']);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /warehouse\.memoryLimit: expected a size such as 512MB or 2GB/);
  });

  test('warehouse.threads sets DuckDB\'s worker threads; a value that is not a whole number from 1 exits 2 naming it', async () => {
    const file = join(dir, 'threads.duckdb');
    await (await openDuckDbWarehouse(file)).close();
    const cfg = config('threads.yaml', `warehouse: { type: duckdb, path: ./threads.duckdb, threads: 3 }\n`);
    const query = await runCli(['query', '--config', cfg, '--json', "select current_setting('threads') as n"]);
    assert.equal(query.code, 0, query.stderr);
    assert.deepEqual(JSON.parse(query.stdout), [{ n: 3 }]);
    for (const bad of ['0', '1.5', 'many']) {
      const res = await runCli(['query', '--config', config('threads-bad.yaml', `warehouse: { type: duckdb, path: ./threads.duckdb, threads: ${bad} }\n`), 'select 1']);
      assert.equal(res.code, 2, `threads: ${bad} → ${res.stderr}`);
      assert.match(res.stderr, /warehouse\.threads: expected a whole number of threads, 1 or more/, `threads: ${bad}`);
    }
  });

  test('init writes a commented config that loads, and refuses to overwrite', async () => {
    const out = join(dir, 'init.yaml');
    const res = await runCli(['init', '--type', 'gleap', '--out', out]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(readFileSync(out, 'utf8'), /# Project Settings > Security > API Key/);
    const discover = await runCli(['discover', '--config', out, '--json'], { env: { GLEAP_API_KEY: 'k-1234', GLEAP_PROJECT_ID: 'p' } });
    assert.equal(discover.code, 0, discover.stderr);
    const doc = JSON.parse(discover.stdout);
    assert.deepEqual(doc[0].streams.map((s: { name: string }) => s.name),
      ['tickets', 'sessions', 'messages', 'teams', 'agents', 'surveys', 'survey_responses', 'message_templates']);
    const again = await runCli(['init', '--type', 'gleap', '--out', out]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /--force/);
  });

  test("init's stream examples name each source's own streams, and its full sync only where a stream offers FULL_TABLE", async () => {
    const out = join(dir, 'init-both.yaml');
    assert.equal((await runCli(['init', '--type', 'gleap,gladly', '--out', out])).code, 0);
    const text = readFileSync(out, 'utf8');
    const [gleapPart, gladlyPart] = text.split('- name: gladly');
    assert.match(gleapPart!, /^ {4}fullSyncSchedule:/m, 'Gleap has FULL_TABLE streams: its weekly full sync is on');
    assert.match(gladlyPart!, /^ {4}# fullSyncSchedule:/m, 'Gladly streams are INCREMENTAL only: no weekly re-read by default');
    // Uncommented, the examples must select real streams: discover plans them (and refuses unknown names).
    const uncommented = text.replace(/^( {4})# (streams:.*)$/gm, '$1$2').replace(/^( {4})# {3}(.*)$/gm, '$1  $2');
    const file = config('init-both-uncommented.yaml', uncommented);
    const res = await runCli(['discover', '--config', file, '--json'], { env: { GLEAP_API_KEY: 'k', GLEAP_PROJECT_ID: 'p', GLADLY_API_TOKEN: 't' } });
    assert.equal(res.code, 0, res.stderr);
    const selected = JSON.parse(res.stdout).map((src: { streams: { name: string; selected: boolean; syncType: string }[] }) =>
      src.streams.filter((s) => s.selected).map((s) => `${s.name}:${s.syncType}`));
    assert.deepEqual(selected, [['tickets:INCREMENTAL', 'teams:FULL_TABLE'], ['customers:INCREMENTAL']]);
  });

  test('init rejects an unknown source type, listing the known ones', async () => {
    const res = await runCli(['init', '--type', 'zendesk', '--out', join(dir, 'z.yaml')]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /expected one or more of gleap/);
  });

  test('init refuses a type listed twice and a folder that does not exist, writing nothing', async () => {
    const twice = await runCli(['init', '--type', 'gleap,gladly,gleap', '--out', join(dir, 'twice.yaml')]);
    assert.equal(twice.code, 2, twice.stderr);
    assert.match(twice.stderr, /--type lists gleap twice/);
    assert.equal(existsSync(join(dir, 'twice.yaml')), false, 'nothing written');
    const nowhere = await runCli(['init', '--out', join(dir, 'no-such-folder', 'x.yaml')]);
    assert.equal(nowhere.code, 2, nowhere.stderr);
    assert.match(nowhere.stderr, /--out: cannot write .*x\.yaml: no such file; expected a file in an existing, writable folder/);
  });

  test('a fresh config with several variables unset names all of them at once', async () => {
    const out = join(dir, 'fresh.yaml');
    assert.equal((await runCli(['init', '--out', out])).code, 0);
    const res = await runCli(['check', '--config', out], { env: { GLEAP_API_KEY: '', GLEAP_PROJECT_ID: '', GLADLY_API_TOKEN: '' } });
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /environment variables GLEAP_API_KEY, GLEAP_PROJECT_ID, GLADLY_API_TOKEN are not set \(referenced at sources\[0\]\.config\.apiKey, sources\[0\]\.config\.projectId, sources\[1\]\.config\.apiToken\)/);
  });
});
