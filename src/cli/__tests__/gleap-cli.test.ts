/**
 * `supportsync gleap ...` through the real binary against the emulator: tables and --json,
 * filters with operators, data from a file or stdin, CSV export, and confirmation before
 * anything destructive (refused without a terminal unless --yes).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startGleapEmulator, type GleapEmulator } from '../../../emulators/gleap/gleap-emulator.ts';
import { runCli } from './run-cli.ts';

const NOW = new Date('2026-04-10T12:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'ss-gleap-cli-'));
let e: GleapEmulator;
let env: NodeJS.ProcessEnv;
const gleap = (args: string[], input?: string) => runCli(['gleap', ...args], { env, input });
const json = async (args: string[], input?: string) => {
  const res = await gleap([...args, '--json'], input);
  assert.equal(res.code, 0, res.stderr);
  return JSON.parse(res.stdout);
};

before(async () => {
  e = await startGleapEmulator({ scale: 200, seed: 13, now: NOW, rateLimit: null });
  env = { GLEAP_API_KEY: 'test-api-key', GLEAP_PROJECT_ID: 'test-project', GLEAP_BASE_URL: `${e.url}/v3` };
});
after(async () => {
  await e.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('gleap commands', { concurrency: 2 }, () => {
  test('tickets: a table with filters and operators; --json; get', async () => {
    const [table, list] = await Promise.all([
      gleap(['tickets', 'list', '--type', 'BUG', '--where', 'createdAt>=2026-01-01', '--sort', '-createdAt', '--limit', '5']),
      json(['tickets', 'list', '--where', 'status=OPEN,INPROGRESS', '--where', 'createdAt<2026-02-01', '--limit', '3']),
    ]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^id\s+bugId\s+type\s+status\s+priority\s+title\s+createdAt\n/);
    const rows = table.stdout.split('\n').filter((l) => /^[0-9a-f]{24} /.test(l));
    assert.ok(rows.length > 0 && rows.every((r) => /\sBUG\s/.test(r) && /2026-\d\d-\d\dT/.test(r)), rows.join('\n'));
    assert.equal(list.data.length, 3);
    assert.ok(list.data.every((t: { status: string; createdAt: string }) => ['OPEN', 'INPROGRESS'].includes(t.status) && t.createdAt < '2026-02-01'), 'filters applied');
    assert.equal((await json(['tickets', 'get', list.data[0].id])).id, list.data[0].id);
  });

  test('messages, teams, agents', async () => {
    const [messages, teams, agents] = await Promise.all([
      json(['messages', 'list', '--type', 'NOTE', '--limit', '4']),
      json(['teams', 'list']),
      json(['agents', 'list']),
    ]);
    assert.ok(messages.length === 4 && messages.every((m: { type: string }) => m.type === 'NOTE'), 'notes only');
    assert.ok(teams.length >= 5 && agents.length >= 10, 'teams and agents');
  });

  test('templates: create from a file, update, list with search and count, delete with confirmation', async () => {
    const file = join(dir, 'template.json');
    writeFileSync(file, JSON.stringify({ title: 'Quokka greeting', content: { type: 'doc', content: [] }, lexorank: '0|q' }));
    const created = await json(['templates', 'create', '--data', `@${file}`]);
    await json(['templates', 'update', created.id, '--data', JSON.stringify({ title: 'Quokka hello', content: { type: 'doc', content: [] }, lexorank: '0|q' })]);
    const found = await json(['templates', 'list', '--search', 'quokka', '--with-count']);
    assert.deepEqual([found.totalCount, found.data[0].title], [1, 'Quokka hello']);

    const refused = await gleap(['templates', 'delete', created.id]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /refusing without confirmation; pass --yes/);
    const deleted = await gleap(['templates', 'delete', created.id, '--yes']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal((await gleap(['templates', 'get', created.id])).code, 1, 'gone: 404 is a failed run');
  });

  test('sessions: create from stdin, search, satellites, unsubscribe, export, delete', async () => {
    const created = await json(['sessions', 'create', '--data', '-'], JSON.stringify({ userId: 'cli-1', name: 'Cli User', email: 'cli@user.dev' }));
    const [byUser, search, history, refused] = await Promise.all([
      json(['sessions', 'by-user-id', 'cli-1']),
      json(['sessions', 'search', 'cli@user']),
      json(['sessions', 'identity-history', created.id]),
      gleap(['sessions', 'unsubscribe', '--user-id', 'cli-1']),
    ]);
    assert.equal(byUser.id, created.id);
    assert.deepEqual(search.map((s: { id: string }) => s.id), [created.id]);
    assert.ok('history' in history, 'identity history');
    assert.equal(refused.code, 2, 'unsubscribing asks first');
    assert.equal((await json(['sessions', 'unsubscribe', '--user-id', 'cli-1', '--yes'])).success, true);

    const out = join(dir, 'sessions.csv');
    const exported = await gleap(['sessions', 'export', '--where', 'userId=cli-1', '--out', out]);
    assert.equal(exported.code, 0, exported.stderr);
    const [header, row] = readFileSync(out, 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));
    assert.deepEqual([row![1], row![2], row![3]], ['cli-1', 'Cli User', 'cli@user.dev']);
    assert.equal(row![header!.indexOf('unsubscribed')], 'true', 'the unsubscribe took effect');

    assert.equal((await gleap(['sessions', 'delete', created.id, '--yes'])).code, 0);
    assert.equal((await gleap(['sessions', 'get', created.id])).code, 1);
  });

  test('bad usage exits 2 with the expected form', async () => {
    const [where, data, missing] = await Promise.all([
      gleap(['tickets', 'list', '--where', 'status~OPEN']),
      gleap(['sessions', 'create', '--data', '{not json']),
      gleap(['sessions', 'update', '6600000000000000000000aa']),
    ]);
    assert.deepEqual([where.code, data.code, missing.code], [2, 2, 2]);
    assert.match(where.stderr, /--where "status~OPEN": expected FIELD OP VALUE with OP one of >= <= > < =/);
    assert.match(data.stderr, /--data: not valid JSON/);
    assert.match(missing.stderr, /--data is required/);
  });
});
