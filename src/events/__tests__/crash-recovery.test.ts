/**
 * A 200 from intake means the events are on disk: a real child process is killed with
 * SIGKILL after acknowledging 10000 events it could not deliver yet, and a new process on
 * the same data directory delivers every one of them.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { startGleapEmulator } from '../../../emulators/gleap/gleap-emulator.ts';
import { GLEAP_TOKEN, postJson, removeTempDirs, setFaults, tempDir, trackedEvents, waitFor, WRITE_KEY } from './event-test-kit.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/serve-events.ts', import.meta.url));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  removeTempDirs();
});

function startChild(configFile: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, configFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^ready (http:\/\/\S+)$/.exec(line);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code, signal) => reject(new Error(`the service exited early (${code ?? signal})`)));
  });
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));

test('killed with 10000 events acknowledged but not delivered: after a restart all 10000 arrive', async () => {
  const emu = await startGleapEmulator({ port: 0, rateLimit: null, faults: { status503: 1 } });
  try {
    const dir = tempDir();
    const configFile = join(dir, 'supportsync.yaml');
    writeFileSync(
      configFile,
      JSON.stringify({
        destinations: [
          {
            name: 'gleap-events',
            type: 'gleap',
            config: { apiToken: GLEAP_TOKEN, baseUrl: emu.url },
            mappings: [{ action: 'trackEvent', lingerMs: 100 }],
            settings: { retryBaseDelay: 200, retryMaxDelay: 1000 },
          },
        ],
        intake: { port: 0, writeKeys: [WRITE_KEY] },
        dataDir: './data',
      }),
    );

    const first = await startChild(configFile);
    for (let start = 0; start < 10_000; start += 500) {
      const batch = Array.from({ length: 500 }, (_, i) => ({ type: 'track', userId: `user-${(start + i) % 97}`, event: 'Crash Test', properties: { seq: start + i } }));
      const res = await postJson(`${first.url}/v1/batch`, { batch });
      assert.equal(res.status, 200);
      assert.equal(res.body.accepted, 500);
    }
    first.child.kill('SIGKILL');
    await exited(first.child);
    assert.equal(first.child.signalCode, 'SIGKILL');
    assert.equal((await trackedEvents(emu.url)).length, 0, 'Gleap was failing: nothing was delivered before the kill');

    await setFaults(emu.url, {});
    const second = await startChild(configFile);
    const seqs = await waitFor(
      'all 10000 events at the emulator',
      async () => {
        const seen = new Set((await trackedEvents(emu.url)).map((e) => (e.data as { seq: number }).seq));
        return seen.size === 10_000 && seen;
      },
      90_000,
      200,
    );
    assert.deepEqual(Math.min(...seqs), 0);
    assert.deepEqual(Math.max(...seqs), 9_999);
    second.child.kill('SIGTERM');
    await exited(second.child);
    assert.equal(second.child.exitCode, 0, 'a clean stop on SIGTERM');
  } finally {
    await emu.close();
  }
});
