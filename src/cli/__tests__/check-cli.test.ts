/**
 * `supportsync check` (and `sync`) through the real binary: a failure names the setting by
 * its path in the config file (`sources[N].config.apiKey`), names the setting the server
 * came from, and a dead host is answered after one quick retry instead of five backoffs.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startGladlyEmulator, type GladlyEmulator } from '../../../emulators/gladly/index.ts';
import { startGleapEmulator, type GleapEmulator } from '../../../emulators/gleap/gleap-emulator.ts';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'ss-check-cli-'));
let gleap: GleapEmulator;
let gladly: GladlyEmulator;

before(async () => {
  gleap = await startGleapEmulator({ scale: 20, seed: 3, rateLimit: null });
  gladly = await startGladlyEmulator({ seed: 3, scale: 0.02, rateLimit: false });
});
after(async () => {
  await gleap.close();
  await gladly.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A port nobody listens on: bound once, then released, so connecting is refused. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function writeConfig(name: string, sources: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `warehouse:\n  type: duckdb\n  path: ${join(dir, `${name}.duckdb`)}\nsources:\n${sources}`);
  return file;
}

const gleapSource = (name: string, config: string) => `  - name: ${name}\n    type: gleap\n    config: { ${config} }\n`;
const gladlySource = (name: string, config: string) => `  - name: ${name}\n    type: gladly\n    config: { organization: acme, email: agent@example.com, ${config} }\n`;

/** The `✘ name (type): message` line of one source. */
function failureLine(stdout: string, name: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith(`✘ ${name} (`));
  assert.ok(line, `a ✘ line for ${name} in:\n${stdout}`);
  return line;
}

describe('check names settings by their path in the config file', () => {
  let wrongCredentials: string;
  before(() => {
    wrongCredentials = writeConfig(
      'wrong-credentials',
      gleapSource('gleap-ok', `apiKey: test-api-key, projectId: test-project, baseUrl: "${gleap.url}/v3"`) +
        gleapSource('gleap-bad-key', `apiKey: wrong-key-4711, projectId: test-project, baseUrl: "${gleap.url}/v3"`) +
        gladlySource('gladly-bad-token', `apiToken: wrong-token-4711, baseUrl: "${gladly.apiBase}", requestsPerSecond: 100`) +
        gleapSource('gleap-bad-project', `apiKey: test-api-key, projectId: other-project, baseUrl: "${gleap.url}/v3"`),
    );
  });

  test('a wrong Gleap key, Gladly token or Gleap project names sources[N].config.<key>', async () => {
    const res = await runCli(['check', '--config', wrongCredentials]);
    assert.equal(res.code, 1, `exit 1 for a failed check:\n${res.stdout}\n${res.stderr}`);
    assert.match(res.stdout, /^✔ gleap-ok \(gleap\)$/m, `the good source passes:\n${res.stdout}`);
    assert.match(
      failureLine(res.stdout, 'gleap-bad-key'),
      /Gleap refused the API key \(401\): verify `sources\[1\]\.config\.apiKey` under Project Settings/,
      'the 401 names the key of the second source',
    );
    assert.match(
      failureLine(res.stdout, 'gladly-bad-token'),
      /Gladly refused the credentials \(401\): verify `sources\[2\]\.config\.email` \(agent@example\.com\) and `sources\[2\]\.config\.apiToken`/,
      'the Gladly 401 names email and apiToken of the third source',
    );
    assert.match(
      failureLine(res.stdout, 'gleap-bad-project'),
      /Gleap refused access to the project \(403\): verify `sources\[3\]\.config\.projectId`/,
      'the 403 names the project of the fourth source',
    );
    assert.ok(!/verify `(apiKey|apiToken|projectId)`/.test(res.stdout), `no bare setting names left:\n${res.stdout}`);
    for (const secret of ['wrong-key-4711', 'wrong-token-4711']) {
      assert.ok(!res.stdout.includes(secret) && !res.stderr.includes(secret), `${secret} never appears`);
    }
  });

  test('check --json lists the failing settings as paths', async () => {
    const res = await runCli(['check', '--config', wrongCredentials, '--json']);
    assert.equal(res.code, 1, `exit 1 for a failed check:\n${res.stdout}\n${res.stderr}`);
    const results = JSON.parse(res.stdout) as Array<{ name: string; ok: boolean; error?: string; settings?: string[] }>;
    const byName = new Map(results.map((r) => [r.name, r]));
    assert.equal(byName.get('gleap-ok')?.ok, true, 'the good source passes');
    assert.deepEqual(byName.get('gleap-bad-key')?.settings, ['sources[1].config.apiKey'], 'the wrong key, as a path');
    assert.deepEqual(byName.get('gladly-bad-token')?.settings, ['sources[2].config.email', 'sources[2].config.apiToken'], 'the Gladly credentials, as paths');
    assert.deepEqual(byName.get('gleap-bad-project')?.settings, ['sources[3].config.projectId'], 'the wrong project, as a path');
  });

  test('--source keeps the index of the source in the file', async () => {
    const res = await runCli(['check', '--config', wrongCredentials, '--source', 'gleap-bad-project']);
    assert.equal(res.code, 1, `exit 1 for a failed check:\n${res.stdout}\n${res.stderr}`);
    assert.match(failureLine(res.stdout, 'gleap-bad-project'), /verify `sources\[3\]\.config\.projectId`/, 'index 3, not 0');
  });
});

describe('check against a dead host', () => {
  test('answers after one retry, with at most one retry line per source, naming baseUrl by its path', async () => {
    const port = await refusedPort();
    const config = writeConfig(
      'dead-host',
      gleapSource('gleap', `apiKey: test-api-key, projectId: test-project, baseUrl: "http://127.0.0.1:${port}/v3"`) +
        gladlySource('gladly', `apiToken: test-token, baseUrl: "http://127.0.0.1:${port}/api/v1"`),
    );
    const res = await runCli(['check', '--config', config]);
    assert.equal(res.code, 1, `exit 1 for a failed check:\n${res.stdout}\n${res.stderr}`);
    const gleapLine = failureLine(res.stdout, 'gleap');
    const gladlyLine = failureLine(res.stdout, 'gladly');
    assert.match(gleapLine, /ECONNREFUSED/, `a refused connection is reported as such: ${gleapLine}`);
    assert.match(gleapLine, /after 2 attempts\./, `one retry for the Gleap check, not five: ${gleapLine}`);
    assert.match(gladlyLine, /after 2 attempts\./, `one retry for the Gladly check, not five: ${gladlyLine}`);
    assert.ok(
      gleapLine.includes(`Check \`sources[0].config.baseUrl\` (server http://127.0.0.1:${port}/v3)`),
      `the Gleap line names the setting and the server: ${gleapLine}`,
    );
    assert.ok(
      gladlyLine.includes(`Check \`sources[1].config.baseUrl\` (server http://127.0.0.1:${port}/api/v1)`),
      `the Gladly line names the setting and the server: ${gladlyLine}`,
    );
    const retryLines = res.stderr.split('\n').filter((l) => /retry \d+ of \d+/.test(l));
    assert.ok(retryLines.filter((l) => l.includes('/v3/')).length <= 1, `at most one retry line for gleap:\n${res.stderr}`);
    assert.ok(retryLines.filter((l) => l.includes('/api/v1/')).length <= 1, `at most one retry line for gladly:\n${res.stderr}`);
    assert.ok(res.stderr.trim().split('\n').filter(Boolean).length <= 2, `at most one stderr line per source:\n${res.stderr}`);
    for (const [name, path] of [['gleap', '/v3/'], ['gladly', '/api/v1/']]) {
      const line = retryLines.find((l) => l.includes(path));
      if (line) assert.ok(line.includes(`"source":"${name}"`), `a retry line names its source: ${line}`);
    }
    assert.ok(retryLines.length > 0, `a refused connection is retried once, and says so:\n${res.stderr}`);
  });
});

describe('sync names settings by their path in the config file', () => {
  test('a wrong key in the second source says sources[1].config.apiKey', async () => {
    const config = writeConfig(
      'sync-wrong-key',
      gleapSource('gleap-ok', `apiKey: test-api-key, projectId: test-project, baseUrl: "${gleap.url}/v3"`) +
        gleapSource('gleap-bad-key', `apiKey: wrong-key-4712, projectId: test-project, baseUrl: "${gleap.url}/v3"`),
    );
    const res = await runCli(['sync', '--config', config, '--source', 'gleap-bad-key', '--streams', 'teams', '--json']);
    assert.equal(res.code, 1, `exit 1 for a failed run:\n${res.stdout}\n${res.stderr}`);
    const summary = JSON.parse(res.stdout) as { status: string; error?: string };
    assert.equal(summary.status, 'failed', 'the run failed');
    assert.match(summary.error ?? '', /verify `sources\[1\]\.config\.apiKey`/, `the run error names the path: ${summary.error}`);
    assert.ok(!res.stdout.includes('wrong-key-4712') && !res.stderr.includes('wrong-key-4712'), 'the key never appears');
  });

  test('a config of destinations only checks them; a config with neither sources nor destinations exits 2', async () => {
    const destinationsOnly = join(dir, 'destinations-only.yaml');
    writeFileSync(destinationsOnly, `destinations:\n  - name: events\n    type: gleap\n    config: { apiToken: test-secret-token, baseUrl: ${gleap.url} }\n`);
    const res = await runCli(['check', '--config', destinationsOnly]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^✔ events \(gleap\)/m, 'the destination is checked');
    const nothing = join(dir, 'nothing.yaml');
    writeFileSync(nothing, 'warehouse: { type: duckdb }\nsources: []\n');
    const none = await runCli(['check', '--config', nothing]);
    assert.equal(none.code, 2, none.stderr);
    assert.match(none.stderr, /sources: the config has no sources/);
  });
});
