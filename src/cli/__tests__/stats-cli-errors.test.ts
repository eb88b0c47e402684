/**
 * Bad input to `supportsync stats`, through the real binary: each case gets a clear
 * message and the exit code INTERFACES.md promises (2 for usage and config, 1 for a failed
 * request), and usage errors are caught before any request leaves (a tripwire server
 * stands where Gleap would be and must see nothing).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startGleapEmulator, type GleapEmulator } from '../../../emulators/gleap/gleap-emulator.ts';
import { startTestServer, type TestServer } from '../../core/http/__tests__/test-server.ts';
import { runCli } from './run-cli.ts';

const NOW = new Date('2026-04-10T12:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'ss-stats-err-'));
let e: GleapEmulator;
let tripwire: TestServer;
const creds = { GLEAP_API_KEY: 'test-api-key', GLEAP_PROJECT_ID: 'test-project' };

before(async () => {
  e = await startGleapEmulator({ scale: 100, seed: 4, now: NOW, rateLimit: null });
  tripwire = await startTestServer((_req, res) => {
    res.writeHead(500).end('tripwire');
  });
});
after(async () => {
  await e.close();
  await tripwire.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('bad input: clear messages, INTERFACES.md exit codes', { concurrency: 2 }, () => {
  const usage = (args: string[], message: RegExp, env: NodeJS.ProcessEnv = creds) => async () => {
    const res = await runCli(args, { env: { ...env, GLEAP_BASE_URL: `${tripwire.url}/v3` } });
    assert.equal(res.code, 2, `${res.stdout}\n${res.stderr}`);
    assert.match(res.stderr, message);
    assert.equal(res.stdout, '', 'nothing on stdout');
    assert.equal(tripwire.arrived.length, 0, 'no request was sent');
  };

  test('an unknown chartType, with "did you mean"', usage(['stats', 'fact', 'NEW_TICKET_COUNT'], /unknown fact chartType "NEW_TICKET_COUNT" .*did you mean NEW_TICKETS_COUNT\?/));
  test('a chartType of another endpoint', usage(['stats', 'chart', 'TICKET_REPLIES_COUNT'], /did you mean REPLIES_COUNT\?; TICKET_REPLIES_COUNT is a `stats fact` type/));
  test('a bad time zone', usage(['stats', 'heatmap', '--tz', 'Europe/Pariss'], /--tz: "Europe\/Pariss" is not a time zone; expected an IANA time zone such as Europe\/Paris/));
  test('--from after --to', usage(['stats', 'chart', 'NEW_TICKETS_COUNT', '--from', '2026-04-10', '--to', '2026-04-01', '--tz', 'UTC'], /--from 2026-04-10 is after --to 2026-04-01 in UTC/));
  test('a range over the API\'s limits', usage(['stats', 'fact', 'NEW_TICKETS_COUNT', '--from', '2024-01-01', '--to', '2026-01-01', '--tz', 'UTC'], /the period is 732 days long; Gleap's statistics take at most 366 days per request .*--from-warehouse/));
  test('no credentials at all', usage(['stats', 'fact', 'NEW_TICKETS_COUNT'], /GLEAP_API_KEY: not set: give --config FILE with a gleap source, or set GLEAP_API_KEY and GLEAP_PROJECT_ID/, {}));
  test('a chartType the warehouse does not compute', usage(['stats', 'fact', 'KAI_DEFLECTION_RATE', '--from-warehouse', '--config', 'x.yaml'], /KAI_DEFLECTION_RATE is not computed from the warehouse; --from-warehouse fact supports NEW_TICKETS_COUNT/));

  test('401: which setting to check (environment); the key is never printed', async () => {
    const res = await runCli(['stats', 'fact', 'NEW_TICKETS_COUNT'], { env: { ...creds, GLEAP_API_KEY: 'wrong-key-42', GLEAP_BASE_URL: `${e.url}/v3` } });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /Gleap refused the API key \(401\): verify `GLEAP_API_KEY`/);
    assert.ok(!res.stderr.includes('wrong-key-42'), 'the key is never printed');
  });

  test('403: which setting to check (config)', async () => {
    const config = join(dir, 'bad-project.yaml');
    writeFileSync(config, `sources:\n  - name: gleap\n    type: gleap\n    config: { apiKey: test-api-key, projectId: other-project, baseUrl: "${e.url}/v3" }\n`);
    const res = await runCli(['stats', 'heatmap', '--config', config], { env: {} });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /Gleap refused access to the project \(403\): verify `sources\[0\]\.config\.projectId`/);
  });

  test('429: paced and retried, not an error', async () => {
    const limited = await startGleapEmulator({ scale: 100, seed: 2, now: NOW, rateLimit: { requests: 2, perMs: 1000 } });
    try {
      const res = await runCli(['stats', 'fact', 'NEW_TICKETS_COUNT', 'TICKET_CLOSE_COUNT', 'SLA_BREACHES_COUNT', 'MESSAGE_COUNT', 'TICKET_REPLIES_COUNT', '--json'], {
        env: { ...creds, GLEAP_BASE_URL: `${limited.url}/v3` },
      });
      assert.equal(res.code, 0, res.stderr);
      assert.equal(JSON.parse(res.stdout).facts.length, 5);
      const stats = (await (await fetch(`${limited.url}/__emulator/stats`)).json()) as { throttled: number };
      assert.ok(stats.throttled > 0, `the emulator throttled (${stats.throttled})`);
    } finally {
      await limited.close();
    }
  });

  test('non-JSON error bodies: the status and the start of the body', async () => {
    const server = await startTestServer((req, res) => {
      if (req.url!.includes('/facts')) res.writeHead(400, { 'content-type': 'text/html' }).end('<html><h1>400 Bad Request</h1><p>nginx</p></html>');
      else res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized');
    });
    try {
      const env = { ...creds, GLEAP_BASE_URL: `${server.url}/v3` };
      const [fact, chart] = await Promise.all([runCli(['stats', 'fact', 'NEW_TICKETS_COUNT'], { env }), runCli(['stats', 'chart', 'NEW_TICKETS_COUNT'], { env })]);
      assert.equal(fact.code, 1);
      assert.match(fact.stderr, /HTTP 400 Bad Request: <html><h1>400 Bad Request<\/h1><p>nginx<\/p><\/html>/);
      assert.equal(chart.code, 1);
      assert.match(chart.stderr, /Gleap refused the API key \(401\)/);
    } finally {
      await server.close();
    }
  });
});
