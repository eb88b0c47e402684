/**
 * The config exactly as INTERFACES.md documents it (flow-style `${VAR}` references and all)
 * loads and runs through the real binary, with only the base URLs pointed at the emulator.
 * The block is kept verbatim in fixtures/interfaces-config.yaml (the tests must not depend
 * on files outside the repository).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startGleapEmulator, type GleapEmulator } from '../../../emulators/gleap/gleap-emulator.ts';
import { runCli } from './run-cli.ts';

const DOCUMENTED = new URL('./fixtures/interfaces-config.yaml', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'ss-documented-'));
let emulator: GleapEmulator;
let config: string;
const env = {
  GLEAP_API_KEY: 'test-api-key', GLEAP_PROJECT_ID: 'test-project', GLADLY_API_TOKEN: 'test-token',
  GLEAP_SECRET_API_TOKEN: 'test-secret-token', SUPPORTSYNC_WRITE_KEY: 'write-key-1',
};

before(async () => {
  emulator = await startGleapEmulator({ scale: 300, seed: 5, rateLimit: null });
  const documented = readFileSync(DOCUMENTED, 'utf8');
  assert.match(documented, /apiToken: \$\{GLADLY_API_TOKEN\},/, 'the block still has its flow-style reference (what this test is about)');
  config = join(dir, 'supportsync.yaml');
  writeFileSync(config, documented.replace('http://127.0.0.1:4010/v3', `${emulator.url}/v3`));
});
after(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the config documented in INTERFACES.md', () => {
  test('discover lists both sources', async () => {
    const res = await runCli(['discover', '--config', config, '--json'], { env });
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout).map((s: { source: string }) => s.source), ['gleap', 'gladly']);
  });

  test('discover for people lists every stream with its columns and their types, fitted to the width', async () => {
    const res = await runCli(['discover', '--config', config, '--source', 'gladly'], { env: { ...env, COLUMNS: '80' } });
    assert.equal(res.code, 0, res.stderr);
    const catalog = JSON.parse((await runCli(['discover', '--config', config, '--source', 'gladly', '--json'], { env })).stdout) as { streams: { name: string; columns: Record<string, string> }[] };
    const text = res.stdout.replace(/\n {2}/g, ' ');
    for (const stream of catalog.streams) {
      const listed = `${stream.name}: ${Object.entries(stream.columns).map(([name, type]) => `${name} ${type}`).join(', ')}`;
      assert.ok(text.includes(listed), `${stream.name}'s columns are listed:\n${listed}\nin\n${res.stdout}`);
    }
    const paragraphs = res.stdout.split('\n').filter((l) => /^[a-z_]+: |^ {2}\S/.test(l));
    assert.ok(paragraphs.length > catalog.streams.length && paragraphs.every((l) => l.length <= 80), `column lists are wrapped at 80:\n${paragraphs.join('\n')}`);
  });

  test('sync --streams tickets runs only the source that has tickets, and loads all of them', async () => {
    const res = await runCli(['sync', '--config', config, '--streams', 'tickets', '--json'], { env });
    assert.equal(res.code, 0, res.stderr);
    const run = JSON.parse(res.stdout);
    assert.equal(run.source, 'gleap', 'one run, of gleap (gladly has no tickets stream and is left out)');
    assert.deepEqual(Object.keys(run.streams), ['tickets']);
    const counts = await (await fetch(`${emulator.url}/__emulator/counts`)).json() as { tickets: number };
    assert.equal(run.streams.tickets.records, counts.tickets, 'every ticket of the emulator');
  });

  test('sync for people: a block per run that fits 80 columns, as `runs` prints it', async () => {
    const res = await runCli(['sync', '--config', config, '--streams', 'teams'], { env: { ...env, COLUMNS: '80' } });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^gleap run \S+ · succeeded in .+\n {2}started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(manual\)\n {2}stream +records +new +updated +requests +time +status\n/);
    assert.match(res.stdout, /\n {2}table: "raw"\."gleap__teams"\n/);
    const wide = res.stdout.split('\n').filter((l) => l.length > 80);
    assert.deepEqual(wide, [], 'every line fits 80 columns');
  });

  test('a --streams name that no source has exits 2 with the closest name', async () => {
    const res = await runCli(['sync', '--config', config, '--streams', 'tickets,custmers'], { env });
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /--streams: stream "custmers" matches no stream; did you mean customers\?/);
    const empty = await runCli(['sync', '--config', config, '--streams', ' , '], { env });
    assert.equal(empty.code, 2, 'an empty --streams is a usage error, not "every stream"');
    assert.match(empty.stderr, /--streams expects stream names or globs/);
  });

  test('--source gleap needs only Gleap\'s variables: not the Gladly token, the destination token or the write key', async () => {
    const gleapOnly = { GLEAP_API_KEY: env.GLEAP_API_KEY, GLEAP_PROJECT_ID: env.GLEAP_PROJECT_ID };
    const unset = { GLADLY_API_TOKEN: '', GLEAP_SECRET_API_TOKEN: '', SUPPORTSYNC_WRITE_KEY: '' };
    for (const args of [['check'], ['discover', '--json'], ['sync', '--streams', 'teams', '--json'], ['stats', 'fact', 'NEW_TICKETS_COUNT', '--json']]) {
      const res = await runCli([...args, '--config', config, '--source', 'gleap'], { env: { ...gleapOnly, ...unset } });
      assert.equal(res.code, 0, `${args[0]}: ${res.stderr}`);
    }
    const all = await runCli(['discover', '--config', config], { env: { ...gleapOnly, ...unset } });
    assert.equal(all.code, 2, 'without --source every source is in use');
    assert.match(all.stderr, /sources\[1\]\.config\.apiToken: environment variable GLADLY_API_TOKEN is not set/);
  });
});
