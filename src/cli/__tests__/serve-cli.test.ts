/**
 * `supportsync serve` as a user runs it: scheduled syncs (a cron every second) and the event
 * intake delivering to the Gleap emulator, in one real process stopped with SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startGleapEmulator } from '../../../emulators/gleap/gleap-emulator.ts';
import { BIN, runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'ss-serve-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const waitFor = async (what: string, check: () => Promise<boolean>, tries = 150) => {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`timed out waiting for ${what}`);
};

/** `supportsync serve` in a child process: its stderr so far, and a stop that expects exit 0. */
function startServe(config: string): { log: () => string; stop: () => Promise<void> } {
  const child = spawn(process.execPath, [BIN, 'serve', '--config', config], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, `serve exits 0 on SIGTERM\n${log}`);
    },
  };
}

describe('supportsync serve', () => {
  test('runs scheduled syncs and delivers intake events to Gleap; stops cleanly on SIGTERM', async () => {
    const emu = await startGleapEmulator({ port: 0, scale: 50, rateLimit: null });
    const config = join(dir, 'serve.yaml');
    writeFileSync(config, `
warehouse: { type: duckdb, path: ./serve.duckdb }
sources:
  - name: gleap
    type: gleap
    schedule: "* * * * * *"
    streams: [teams]
    config: { apiKey: test-api-key, projectId: test-project, startDate: 2020-01-01T00:00:00Z, baseUrl: ${emu.url}/v3 }
destinations:
  - name: gleap-events
    type: gleap
    config: { apiToken: test-secret-token, baseUrl: ${emu.url} }
intake:
  port: 0
  writeKeys: [wk-test-123]
`);
    const serve = startServe(config);
    try {
      await waitFor('the intake to listen', async () => /event intake listening on http:\/\/\S+/.test(serve.log()));
      const intake = /event intake listening on (http:\/\/\S+)/.exec(serve.log())![1]!;
      const res = await fetch(`${intake}/v1/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('wk-test-123:').toString('base64')}` },
        body: JSON.stringify({ type: 'track', userId: 'u-1', event: 'Order Completed', properties: { total: 42 } }),
      });
      assert.equal(res.status, 200, await res.text());
      await waitFor('the event to reach Gleap', async () => {
        const received = (await (await fetch(`${emu.url}/__emulator/received`)).json()) as { path: string; body: { events?: { name: string }[] } }[];
        return received.some((r) => r.path === '/admin/track' && r.body.events?.some((e) => e.name === 'order completed'));
      });
      await waitFor('a scheduled run to be recorded', async () => /run succeeded/.test(serve.log()));
      // A service's log: timestamped, runs and schedules at info, no per-request lines unless --verbose.
      assert.match(serve.log(), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z info  run succeeded /m);
      assert.match(serve.log(), /Z info  scheduled incremental sync of /);
      assert.ok(!/Z debug /.test(serve.log()), `no debug lines without --verbose:\n${serve.log().slice(0, 600)}`);
    } finally {
      await serve.stop();
      await emu.close();
    }
    const runs = await runCli(['runs', '--config', config, '--json']);
    assert.equal(runs.code, 0, runs.stderr);
    const list = JSON.parse(runs.stdout) as { trigger: string; status: string }[];
    assert.ok(list.length >= 1 && list.every((r) => r.trigger === 'schedule'), `scheduled runs recorded: ${runs.stdout.slice(0, 300)}`);
  });

  test('between runs the warehouse is free: query works while serve waits for its next tick', async () => {
    const config = join(dir, 'idle.yaml');
    writeFileSync(config, `
warehouse: { type: duckdb, path: ./idle.duckdb }
sources:
  - name: gleap
    type: gleap
    schedule: "0 0 1 1 *"
    config: { apiKey: k, projectId: p, startDate: 2020-01-01T00:00:00Z, baseUrl: http://127.0.0.1:9/v3 }
  - name: other
    type: gleap
    config: { apiKey: k, projectId: p, startDate: 2020-01-01T00:00:00Z, baseUrl: http://127.0.0.1:9/v3 }
`);
    const serve = startServe(config);
    try {
      // Two log lines, which may reach the pipe in separate chunks: wait for both.
      await waitFor('the schedules to be announced', async () => /scheduled incremental sync of gleap/.test(serve.log()) && /other has no schedule/.test(serve.log()));
      assert.match(serve.log(), /other has no schedule: it syncs only with `supportsync sync`/, 'a source without a schedule is said, not silently idle');
      const query = await runCli(['query', '--config', config, 'select 42 as answer', '--json']);
      assert.equal(query.code, 0, `query while serve is idle: ${query.stderr}`);
      assert.deepEqual(JSON.parse(query.stdout), [{ answer: 42 }]);
    } finally {
      await serve.stop();
    }
  });
});
