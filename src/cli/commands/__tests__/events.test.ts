/**
 * `supportsync events ...` through the real binary (bin/supportsync.js), against the Gleap
 * emulator, with the real queue in a temporary data directory.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { startGleapEmulator, type GleapEmulator } from '../../../../emulators/gleap/gleap-emulator.ts';
import { getJson, GLEAP_TOKEN, received, removeTempDirs, setFaults, tempDir, trackedEvents, WRITE_KEY } from '../../../events/__tests__/event-test-kit.ts';
import { BIN, runCli } from '../../../cli/__tests__/run-cli.ts';

let emu: GleapEmulator;
before(async () => {
  emu = await startGleapEmulator({ port: 0, rateLimit: null });
});
after(async () => {
  await emu.close();
  removeTempDirs();
});

/** A config file in a fresh directory; the queue lives in ./data next to it. */
function configFile(settings: Record<string, unknown> = {}, gleapUrl = emu.url, dataDir = './data'): string {
  const dir = tempDir();
  const file = join(dir, 'supportsync.yaml');
  writeFileSync(
    file,
    [
      'destinations:',
      '  - name: gleap-events',
      '    type: gleap',
      `    config: { apiToken: ${GLEAP_TOKEN}, baseUrl: "${gleapUrl}" }`,
      `    settings: ${JSON.stringify({ retryBaseDelay: 100, retryMaxDelay: 200, ...settings })}`,
      'intake:',
      `  writeKeys: [${WRITE_KEY}]`,
      `dataDir: ${dataDir}`,
    ].join('\n'),
  );
  return file;
}

/** Runs `supportsync events ...` (the real binary); returns stdout, stderr, the exit code and stdout as JSON when it is. */
async function run(...args: string[]): Promise<{ out: string; err: string; code: number | null; json: any }> {
  const { stdout, stderr, code } = await runCli(['events', ...args], { env: { SUPPORTSYNC_LOG_LEVEL: 'error' } });
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { out: stdout, err: stderr, code, json };
}

/**
 * Runs `supportsync events ...` in a pseudo-terminal (util-linux `script`), as a person at a
 * terminal would, typing `answer` once a `[y/N]` question appears.
 */
function inTerminal(answer: string | undefined, ...args: string[]): Promise<{ out: string; code: number | null }> {
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, BIN, 'events', ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, SUPPORTSYNC_LOG_LEVEL: 'error' } });
    let out = '';
    let asked = false;
    child.stdout.on('data', (d) => {
      out += d;
      if (!asked && answer !== undefined && out.includes('[y/N]')) {
        asked = true;
        child.stdin.write(`${answer}\n`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ out, code }));
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
    assert.equal(json.read, 5, 'every non-blank line is read');
    assert.equal(json.accepted, 3, 'the three valid events are accepted');
    assert.deepEqual(json.rejected.map((r: { line: number }) => r.line), [2, 4], 'rejected lines are reported by number');
    assert.match(json.rejected[0].reason, /^malformed JSON/, 'a broken line says it is malformed JSON');
    assert.equal(json.delivery.mode, 'delivered', 'send delivers when no serve runs');
    assert.equal(json.delivery.drained, true, 'the queue drains before send exits');
    assert.deepEqual(json.delivery.bySubscription['gleap-events/trackEvent'], { received: 2, filtered: 1, delivered: 1 }, 'trackEvent counts of this run');
    assert.ok((await trackedEvents(emu.url)).some((e) => e.name === 'cli sent'), 'Gleap got the track event');
    assert.ok((await received(emu.url)).some((r) => r.path === '/admin/identify' && r.body?.userId === 'cli-1'), 'Gleap got the identify call');

    const status = await run('status', '--config', config, '--json');
    assert.equal(status.code, 0, `status succeeds (stderr: ${status.err})`);
    const track = status.json.destinations[0].mappings.find((m: { mapping: string }) => m.mapping === 'trackEvent');
    assert.deepEqual([track.received, track.filtered, track.delivered, track.pending], [2, 1, 1, 0], 'status: received, filtered, delivered, pending of trackEvent');
    assert.deepEqual(track.filteredBecause, { 'userId is missing': 1 }, 'status says why an event was filtered');
    assert.deepEqual(status.json.intake, { accepted: 3, duplicates: 0, rejected: 2, unauthorized: 0, deletions: 0 }, 'status: intake counters');

    const table = await run('status', '--config', config);
    assert.match(table.out, /✔ gleap-events \(gleap\)/, 'the table marks the destination as healthy');
    assert.match(table.out, /trackEvent\s+trackEvent\s+2\s+1\s+1/, 'the table row of trackEvent');
  });

  test('replay sends dead letters again; --dry-run lists them with the reason', async () => {
    const config = configFile({ maxRetryAge: 200 });
    await setFaults(emu.url, { status503: 1 });
    try {
      const sent = await run('send', ndjson([{ type: 'identify', userId: 'replay-me', traits: { plan: 'pro' } }]), '--config', config, '--json');
      assert.equal(sent.code, 1, 'a dead-lettered event makes the run fail');
      assert.equal(sent.json.delivery.bySubscription['gleap-events/identifyContact'].deadLettered, 1, 'the identify call is dead-lettered after 503s');
    } finally {
      await setFaults(emu.url, {});
    }
    const dry = await run('replay', '--config', config, '--dry-run', '--json');
    assert.equal(dry.json.wouldReplay.length, 1, '--dry-run lists the dead letter');
    assert.match(dry.json.wouldReplay[0].reason, /^gave up after/, '--dry-run gives the reason it failed');
    const replay = await run('replay', '--config', config, '--json');
    assert.equal(replay.code, 0, `replay succeeds (stderr: ${replay.err})`);
    assert.equal(replay.json.replayed, 1, 'one dead letter replayed');
    assert.ok((await received(emu.url)).some((r) => r.path === '/admin/identify' && r.body?.userId === 'replay-me'), 'Gleap got the replayed identify call');
    assert.equal((await run('replay', '--config', config, '--dry-run', '--json')).json.wouldReplay.length, 0, 'no dead letter is left after the replay');
  });

  test('delete-user calls DELETE /admin/contacts/{userId}, URL-encoded', async () => {
    const { json, code, err } = await run('delete-user', 'user/with space', '--config', configFile(), '--json');
    assert.equal(code, 0, `delete-user succeeds (stderr: ${err})`);
    assert.equal(json.queued, 1, 'one deletion queued');
    assert.deepEqual(json.delivery.bySubscription['gleap-events/@delete'], { received: 1, delivered: 1 }, 'the deletion is delivered');
    assert.ok((await received(emu.url)).some((r) => r.method === 'DELETE' && r.path === '/admin/contacts/user%2Fwith%20space'), 'the user id is URL-encoded in the path');
  });

  test('in a terminal, delete-user asks first: no queues nothing, yes deletes; --yes does not ask', async () => {
    const config = configFile();
    const no = await inTerminal('n', 'delete-user', 'asked-user', '--config', config);
    assert.match(no.out, /Delete 1 user\(s\) \(asked-user\) at gleap-events \(gleap\)\? This cannot be undone\. \[y\/N\]/, no.out);
    assert.match(no.out, /cancelled: nothing was deleted or queued/);
    assert.equal(no.code, 1);
    assert.equal((await run('status', '--config', config, '--json')).json.intake.deletions, 0, 'nothing queued');
    const yes = await inTerminal('y', 'delete-user', 'asked-user', '--config', config);
    assert.equal(yes.code, 0, yes.out);
    const quiet = await inTerminal(undefined, 'delete-user', 'quiet-user', '--config', config, '--yes');
    assert.equal(quiet.code, 0, quiet.out);
    assert.doesNotMatch(quiet.out, /\[y\/N\]/, '--yes does not ask');
    const deleted = (await received(emu.url)).filter((r) => r.method === 'DELETE').map((r) => r.path);
    assert.ok(deleted.includes('/admin/contacts/asked-user') && deleted.includes('/admin/contacts/quiet-user'), `both deleted after yes: ${deleted.join(', ')}`);
  });

  test('when serve already delivers from the data directory, send only queues', async () => {
    const config = configFile();
    const dataDir = join(config, '..', 'data');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'worker.pid'), String(process.ppid));
    const { json, code, err } = await run('send', ndjson([{ type: 'track', userId: 'q', event: 'Queued Only' }]), '--config', config, '--json');
    assert.equal(code, 0, `send succeeds (stderr: ${err})`);
    assert.deepEqual(json.delivery, { mode: 'queued', workerPid: process.ppid, bySubscription: { 'gleap-events/trackEvent': { received: 1 } } }, 'send only queues and names the serve process');
    const status = await run('status', '--config', config, '--json');
    assert.equal(status.json.destinations[0].mappings[0].pending, 1, 'the event waits in the queue');
    assert.equal(status.json.workerPid, process.ppid, 'status names the delivering process');
  });
});

/**
 * Usage errors are found before anything happens: the queue stays as it was, the destination
 * hears nothing (not even the credentials check), and the exit code is 2 with a message that
 * names the bad option or file. A fresh emulator per test, so that "nothing arrived" means exactly that.
 */
describe('supportsync events: usage errors leave the queue and the destination untouched', () => {
  let quiet: GleapEmulator;
  beforeEach(async () => {
    quiet = await startGleapEmulator({ port: 0, scale: 10, rateLimit: null });
  });
  afterEach(async () => {
    await quiet.close();
  });

  /** Fails unless the emulator has seen no request at all since it started. */
  async function assertNothingSent(what: string): Promise<void> {
    const got = await received(quiet.url);
    assert.deepEqual(got.map((r) => `${r.method} ${r.path}`), [], `${what}: nothing reaches /admin/* (not even GET /admin/auth)`);
    const stats = await getJson<{ requests: number; byRoute: Record<string, number> }>(`${quiet.url}/__emulator/stats`);
    assert.equal(stats.requests, 0, `${what}: the emulator counts no request, got ${JSON.stringify(stats.byRoute)}`);
  }

  /** Fails unless `events status` shows no event accepted and nothing pending. */
  async function assertQueueEmpty(config: string, what: string): Promise<void> {
    const status = await run('status', '--config', config, '--json');
    assert.equal(status.code, 0, `${what}: status runs (stderr: ${status.err})`);
    assert.deepEqual(status.json.intake, { accepted: 0, duplicates: 0, rejected: 0, unauthorized: 0, deletions: 0 }, `${what}: the intake counted nothing`);
    const pending = status.json.destinations.flatMap((d: { mappings: { mapping: string; pending: number }[] }) => d.mappings.filter((m) => m.pending > 0).map((m) => `${m.mapping}: ${m.pending}`));
    assert.deepEqual(pending, [], `${what}: nothing is pending`);
  }

  test('send --wait forever exits 2 before queueing; the next send delivers each event once', async () => {
    const config = configFile({}, quiet.url);
    const file = ndjson([{ type: 'track', userId: 'wait-1', event: 'Waited Once' }]);
    const refused = await run('send', file, '--config', config, '--wait', 'forever');
    assert.equal(refused.code, 2, `a bad --wait is a usage error (stderr: ${refused.err})`);
    assert.match(refused.err, /--wait expects a duration.*got "forever"/, 'the message names --wait, the expected form and the bad value');
    assert.equal(refused.out, '', 'nothing on stdout: nothing was read or queued');
    await assertNothingSent('send --wait forever');
    await assertQueueEmpty(config, 'send --wait forever');

    const sent = await run('send', file, '--config', config, '--json');
    assert.equal(sent.code, 0, `the corrected command succeeds (stderr: ${sent.err})`);
    const names = (await trackedEvents(quiet.url)).map((e) => e.name);
    assert.deepEqual(names, ['waited once'], 'Gleap gets the event once: the refused run left no copy behind');
  });

  test('send with a missing file, or a directory, exits 2 naming the file, with no request and nothing queued', async () => {
    const config = configFile({}, quiet.url);
    const missing = join(tempDir(), 'nope.ndjson');
    const gone = await run('send', missing, '--config', config);
    assert.equal(gone.code, 2, `a missing events file is a usage error (stderr: ${gone.err})`);
    assert.ok(gone.err.includes(`cannot read events file "${missing}": no such file`), `the message names the file and says why: ${gone.err}`);
    assert.doesNotMatch(gone.err, /ENOENT/, 'no raw errno message');

    const dir = tempDir();
    const isDir = await run('send', dir, '--config', config);
    assert.equal(isDir.code, 2, `a directory is a usage error (stderr: ${isDir.err})`);
    assert.ok(isDir.err.includes(`cannot read events file "${dir}": it is a directory`), `the message names the directory: ${isDir.err}`);
    assert.doesNotMatch(isDir.err, /EISDIR/, 'no raw errno message');

    await assertNothingSent('send with an unreadable file');
    await assertQueueEmpty(config, 'send with an unreadable file');
  });

  test('replay with an unknown --destination or --mapping exits 2 listing the valid names, before any request', async () => {
    const config = configFile({}, quiet.url);
    const dest = await run('replay', '--config', config, '--destination', 'nope');
    assert.equal(dest.code, 2, `an unknown destination is a usage error (stderr: ${dest.err})`);
    assert.match(dest.err, /--destination: no destination named "nope"; the config has gleap-events/, 'the message lists the configured destinations');
    const mapping = await run('replay', '--config', config, '--mapping', 'trackEvnet');
    assert.equal(mapping.code, 2, `an unknown mapping is a usage error, not "0 replayed" (stderr: ${mapping.err})`);
    assert.match(mapping.err, /--mapping: no mapping named "trackEvnet"; expected one of trackEvent, identifyContact, @delete/, 'the message lists the configured mappings');
    const limit = await run('replay', '--config', config, '--limit', '0');
    assert.equal(limit.code, 2, `a bad --limit is a usage error (stderr: ${limit.err})`);
    const wait = await run('replay', '--config', config, '--wait', 'soon');
    assert.equal(wait.code, 2, `a bad --wait is a usage error (stderr: ${wait.err})`);
    await assertNothingSent('replay with bad options');
  });

  test('delete-user with an empty user id or a bad --wait exits 2 and queues no deletion', async () => {
    const config = configFile({}, quiet.url);
    const empty = await run('delete-user', 'real-user', '', '--config', config);
    assert.equal(empty.code, 2, `an empty user id is a usage error (stderr: ${empty.err})`);
    assert.match(empty.err, /a user id cannot be empty/, 'the message says which argument is wrong');
    const wait = await run('delete-user', 'real-user', '--config', config, '--wait', '1x');
    assert.equal(wait.code, 2, `a bad --wait is a usage error (stderr: ${wait.err})`);
    assert.match(wait.err, /--wait expects a duration.*got "1x"/, 'the message names --wait and the bad value');
    await assertNothingSent('delete-user with bad arguments');
    await assertQueueEmpty(config, 'delete-user with bad arguments');
  });

  test('a data directory that cannot be created exits 2 naming dataDir, without a raw errno message', async () => {
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, 'not a directory');
    const config = configFile({}, quiet.url, `${blocker}/data`);
    for (const args of [['status'], ['send', ndjson([{ type: 'track', userId: 'd', event: 'Dir' }])]]) {
      const res = await run(...args, '--config', config);
      assert.equal(res.code, 2, `${args[0]}: an unusable dataDir is a config error (stderr: ${res.err})`);
      assert.match(res.err, /dataDir: cannot create the data directory ".*a-file\/data": a part of the path is not a directory/, `${args[0]}: the message names dataDir and the reason`);
      assert.doesNotMatch(res.err, /ENOTDIR/, `${args[0]}: no raw errno message`);
    }
    await assertNothingSent('an unusable dataDir');
  });
});
