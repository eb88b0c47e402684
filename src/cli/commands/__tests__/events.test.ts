import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startGleapEmulator, type GleapEmulator } from '../../../../emulators/gleap/gleap-emulator.ts';
import { GLEAP_TOKEN, received, removeTempDirs, setFaults, tempDir, trackedEvents, WRITE_KEY } from '../../../events/__tests__/event-test-kit.ts';

const CLI = fileURLToPath(new URL('./fixtures/events-cli.ts', import.meta.url));

let emu: GleapEmulator;
before(async () => {
  emu = await startGleapEmulator({ port: 0, rateLimit: null });
});
after(async () => {
  await emu.close();
  removeTempDirs();
});

/** A config file in a fresh directory; the queue lives in ./data next to it. */
function configFile(settings: Record<string, unknown> = {}): string {
  const dir = tempDir();
  const file = join(dir, 'supportsync.yaml');
  writeFileSync(
    file,
    [
      'destinations:',
      '  - name: gleap-events',
      '    type: gleap',
      `    config: { apiToken: ${GLEAP_TOKEN}, baseUrl: "${emu.url}" }`,
      `    settings: ${JSON.stringify({ retryBaseDelay: 100, retryMaxDelay: 200, ...settings })}`,
      'intake:',
      `  writeKeys: [${WRITE_KEY}]`,
      'dataDir: ./data',
    ].join('\n'),
  );
  return file;
}

/** Runs `supportsync events ...` in a child process; returns stdout, the exit code and stdout as JSON when it is. */
function run(...args: string[]): Promise<{ out: string; code: number; json: any }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, SUPPORTSYNC_LOG_LEVEL: 'error' } }, (err, stdout) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ out: stdout, code: err ? Number((err as { code?: number }).code ?? 1) : 0, json });
    });
  });
}

function ndjson(lines: (object | string)[]): string {
  const file = join(tempDir(), 'events.ndjson');
  writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return file;
}

describe('supportsync events', () => {
  test('send delivers a file of events and reports bad lines by number', async () => {
    const config = configFile();
    const file = ndjson([
      { type: 'track', userId: 'cli-1', event: 'CLI Sent', properties: { n: 1 } },
      '{"type": "track", ',
      { type: 'identify', userId: 'cli-1', traits: { email: 'cli@x.io' } },
      { type: 'track', event: 'no user' },
      { type: 'track', anonymousId: 'anon', event: 'anonymous only' },
    ]);
    const { json, code } = await run('send', file, '--config', config, '--json');
    assert.equal(code, 1, 'bad lines make the run fail');
    assert.equal(json.read, 5);
    assert.equal(json.accepted, 3);
    assert.deepEqual(json.rejected.map((r: { line: number }) => r.line), [2, 4]);
    assert.match(json.rejected[0].reason, /^malformed JSON/);
    assert.equal(json.delivery.mode, 'delivered');
    assert.equal(json.delivery.drained, true);
    assert.deepEqual(json.delivery.bySubscription['gleap-events/trackEvent'], { received: 2, filtered: 1, delivered: 1 });
    assert.ok((await trackedEvents(emu.url)).some((e) => e.name === 'cli sent'));
    assert.ok((await received(emu.url)).some((r) => r.path === '/admin/identify' && r.body?.userId === 'cli-1'));

    const status = await run('status', '--config', config, '--json');
    assert.equal(status.code, 0);
    const track = status.json.destinations[0].mappings.find((m: { mapping: string }) => m.mapping === 'trackEvent');
    assert.deepEqual([track.received, track.filtered, track.delivered, track.pending], [2, 1, 1, 0]);
    assert.deepEqual(track.filteredBecause, { 'userId is missing': 1 });
    assert.deepEqual(status.json.intake, { accepted: 3, duplicates: 0, rejected: 2, unauthorized: 0, deletions: 0 });

    const table = await run('status', '--config', config);
    assert.match(table.out, /✔ gleap-events \(gleap\)/);
    assert.match(table.out, /trackEvent\s+trackEvent\s+2\s+1\s+1/);
  });

  test('replay sends dead letters again; --dry-run lists them with the reason', async () => {
    const config = configFile({ maxRetryAge: 200 });
    await setFaults(emu.url, { status503: 1 });
    try {
      const sent = await run('send', ndjson([{ type: 'identify', userId: 'replay-me', traits: { plan: 'pro' } }]), '--config', config, '--json');
      assert.equal(sent.code, 1, 'a dead-lettered event makes the run fail');
      assert.equal(sent.json.delivery.bySubscription['gleap-events/identifyContact'].deadLettered, 1);
    } finally {
      await setFaults(emu.url, {});
    }
    const dry = await run('replay', '--config', config, '--dry-run', '--json');
    assert.equal(dry.json.wouldReplay.length, 1);
    assert.match(dry.json.wouldReplay[0].reason, /^gave up after/);
    const replay = await run('replay', '--config', config, '--json');
    assert.equal(replay.code, 0);
    assert.equal(replay.json.replayed, 1);
    assert.ok((await received(emu.url)).some((r) => r.path === '/admin/identify' && r.body?.userId === 'replay-me'));
    assert.equal((await run('replay', '--config', config, '--dry-run', '--json')).json.wouldReplay.length, 0);
  });

  test('delete-user calls DELETE /admin/contacts/{userId}, URL-encoded', async () => {
    const { json, code } = await run('delete-user', 'user/with space', '--config', configFile(), '--json');
    assert.equal(code, 0);
    assert.equal(json.queued, 1);
    assert.deepEqual(json.delivery.bySubscription['gleap-events/@delete'], { received: 1, delivered: 1 });
    assert.ok((await received(emu.url)).some((r) => r.method === 'DELETE' && r.path === '/admin/contacts/user%2Fwith%20space'));
  });

  test('when serve already delivers from the data directory, send only queues', async () => {
    const config = configFile();
    const dataDir = join(config, '..', 'data');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'worker.pid'), String(process.ppid));
    const { json, code } = await run('send', ndjson([{ type: 'track', userId: 'q', event: 'Queued Only' }]), '--config', config, '--json');
    assert.equal(code, 0);
    assert.deepEqual(json.delivery, { mode: 'queued', workerPid: process.ppid, bySubscription: { 'gleap-events/trackEvent': { received: 1 } } });
    const status = await run('status', '--config', config, '--json');
    assert.equal(status.json.destinations[0].mappings[0].pending, 1);
    assert.equal(status.json.workerPid, process.ppid);
  });
});
