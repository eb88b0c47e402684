import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseRfc3339 } from '../rfc3339.ts';
import type { GladlyEmulator } from '../start-gladly-emulator.ts';
import { startGladlyEmulator } from '../start-gladly-emulator.ts';
import type { Job } from './gladly-test-client.ts';
import { api, basic, listJobs } from './gladly-test-client.ts';

const NOW = new Date('2025-03-10T12:34:56.789Z');
const DAY = 86_400_000;
const ns = (t: string): bigint => {
  const v = parseRfc3339(t);
  assert.notEqual(v, null, `unparseable ${t}`);
  return v!;
};

describe('gladly emulator: auth, jobs, schedules', () => {
  let emu: GladlyEmulator;
  before(async () => {
    emu = await startGladlyEmulator({
      seed: 11, scale: 0.3, now: NOW, rateLimit: false,
      extraUsers: [{ email: 'viewer@example.com', token: 'viewer-token', apiUser: false }],
    });
  });
  after(() => emu.close());

  test('HTTP Basic: missing or wrong credentials get 401 in Gladly error shape; a user without API User gets 403', async () => {
    const missing = await fetch(`${emu.apiBase}/export/jobs`);
    assert.equal(missing.status, 401);
    assert.match(missing.headers.get('www-authenticate') ?? '', /^Basic/);
    const body = (await missing.json()) as { errors: Array<{ attr?: string; code: string; detail: string }> };
    assert.ok(Array.isArray(body.errors) && body.errors[0].code && body.errors[0].detail);

    for (const header of [basic('agent@example.com', 'wrong'), basic('other@example.com', 'test-token'), 'Bearer test-token']) {
      const res = await api(emu, '/export/jobs', { headers: { authorization: header } });
      assert.equal(res.status, 401, header);
      assert.ok(((await res.json()) as { errors: unknown[] }).errors.length > 0);
    }
    const forbidden = await api(emu, '/export/jobs', { headers: { authorization: basic('viewer@example.com', 'viewer-token') } });
    assert.equal(forbidden.status, 403);
    // The email is case-insensitive, the token is not.
    assert.equal((await api(emu, '/export/jobs', { headers: { authorization: basic('Agent@Example.com', 'test-token') } })).status, 200);
    assert.equal((await api(emu, '/export/jobs', { headers: { authorization: basic('agent@example.com', 'TEST-TOKEN') } })).status, 401);
  });

  test('lists 14 days of hourly jobs as a bare array, in all four statuses, with the spec fields', async () => {
    const jobs = await listJobs(emu);
    assert.ok(jobs.length >= 300 && jobs.length <= 340, `got ${jobs.length} jobs`);
    const statuses = new Set(jobs.map((j) => j.status));
    assert.deepEqual([...statuses].sort(), ['COMPLETED', 'FAILED', 'IN_PROGRESS', 'PENDING']);
    const oldest = ns(new Date(NOW.getTime() - 14 * DAY).toISOString());
    for (const j of jobs) {
      assert.deepEqual(Object.keys(j), ['id', 'scheduleId', 'status', 'updatedAt', 'parameters', 'files']);
      assert.match(j.id, /^[A-Za-z0-9_-]{22}$/);
      assert.equal(j.parameters.type, 'CONVERSATIONS');
      assert.equal(Date.parse(j.parameters.endAt) - Date.parse(j.parameters.startAt), 3_600_000);
      assert.ok(ns(j.updatedAt) >= oldest && ns(j.updatedAt) <= ns(NOW.toISOString()) + 60_000_000_000n, j.updatedAt);
      if (j.status !== 'COMPLETED') assert.deepEqual(j.files, []);
    }
    // PENDING and IN_PROGRESS are the most recent windows.
    const byWindow = [...jobs].sort((a, b) => Date.parse(b.parameters.startAt) - Date.parse(a.parameters.startAt));
    assert.deepEqual(byWindow.slice(0, 2).map((j) => j.status), ['PENDING', 'IN_PROGRESS']);
    // Some completed jobs lack a file for some stream; all files come from the known four.
    const completed = jobs.filter((j) => j.status === 'COMPLETED');
    assert.ok(completed.some((j) => j.files.length < 4 && j.files.length > 0));
    for (const j of completed) for (const f of j.files) assert.ok(['agents.jsonl', 'conversation_items.jsonl', 'customers.jsonl', 'topics.jsonl'].includes(f));
  });

  test('updatedAt has fractions of varying lengths, and string order differs from instant order', async () => {
    const jobs = await listJobs(emu);
    const lengths = new Set(jobs.map((j) => /\.(\d+)Z$/.exec(j.updatedAt)?.[1].length ?? 0));
    for (const d of [0, 3, 6, 8, 9]) assert.ok(lengths.has(d), `no updatedAt with ${d} fractional digits (have ${[...lengths]})`);
    const inverted = jobs.flatMap((a) => jobs.filter((b) => a.updatedAt < b.updatedAt && ns(a.updatedAt) > ns(b.updatedAt)).map((b) => [a.updatedAt, b.updatedAt]));
    assert.ok(inverted.length > 0, 'no pair whose text order differs from its instant order');
    assert.ok(inverted.some(([a, b]) => a.length !== b.length));
  });

  test('status, startAt and endAt filter on updatedAt as instants', async () => {
    const all = await listJobs(emu);
    const completed = await listJobs(emu, '?status=COMPLETED');
    assert.deepEqual(completed.map((j) => j.id), all.filter((j) => j.status === 'COMPLETED').map((j) => j.id));
    assert.deepEqual((await listJobs(emu, '?status=FAILED')).map((j) => j.id), all.filter((j) => j.status === 'FAILED').map((j) => j.id));

    // A bound inside a same-second cluster: text comparison would pick the wrong jobs.
    const pair = all.flatMap((a) => all.filter((b) => a.updatedAt.slice(0, 19) === b.updatedAt.slice(0, 19) && a.updatedAt !== b.updatedAt).map((b) => [a, b]))[0];
    assert.ok(pair, 'expected two jobs updated within the same second');
    const [a] = pair as [Job, Job];
    const expectFrom = (from: string, to?: string) => all.filter((j) => ns(j.updatedAt) >= ns(from) && (to === undefined || ns(j.updatedAt) <= ns(to))).map((j) => j.id).sort();
    const got = await listJobs(emu, `?startAt=${encodeURIComponent(a.updatedAt)}`);
    assert.deepEqual(got.map((j) => j.id).sort(), expectFrom(a.updatedAt));
    assert.ok(got.some((j) => j.id === a.id), 'startAt is inclusive');

    const from = new Date(NOW.getTime() - 3 * DAY).toISOString();
    const to = new Date(NOW.getTime() - DAY).toISOString();
    const windowed = await listJobs(emu, `?startAt=${from}&endAt=${to}`);
    assert.ok(windowed.length > 40);
    assert.deepEqual(windowed.map((j) => j.id).sort(), expectFrom(from, to));
    // Other offsets than Z are instants too (the + must be URL-encoded).
    const shifted = await listJobs(emu, `?startAt=${encodeURIComponent(from.replace('Z', '+00:00'))}&endAt=${encodeURIComponent(new Date(Date.parse(to) + 2 * 3_600_000).toISOString().slice(0, 19) + '+02:00')}`);
    assert.deepEqual(shifted.map((j) => j.id).sort(), expectFrom(from, to));
  });

  test('filter validation: 400 with Gladly error bodies naming the parameter', async () => {
    const cases: Array<[string, string, RegExp]> = [
      [`?startAt=${new Date(NOW.getTime() - 15 * DAY).toISOString()}`, 'startAt', /14 days/],
      [`?endAt=${new Date(NOW.getTime() + 3_600_000).toISOString()}`, 'endAt', /future/],
      ['?startAt=yesterday', 'startAt', /ISO 8601/],
      ['?startAt=2025-03-09', 'startAt', /ISO 8601/],
      ['?endAt=2025-03-09T10:00:00+01:00', 'endAt', /ISO 8601/], // unencoded + arrives as a space
      [`?startAt=${new Date(NOW.getTime() - DAY).toISOString()}&endAt=${new Date(NOW.getTime() - 2 * DAY).toISOString()}`, 'endAt', /before/],
      ['?status=DONE', 'status', /PENDING, IN_PROGRESS, COMPLETED, FAILED/],
    ];
    for (const [query, attr, detail] of cases) {
      const res = await api(emu, `/export/jobs${query}`);
      assert.equal(res.status, 400, query);
      const body = (await res.json()) as { errors: Array<{ attr: string; code: string; detail: string }> };
      const error = body.errors.find((e) => e.attr === attr);
      assert.ok(error, `${query}: ${JSON.stringify(body)}`);
      assert.equal(error.code, 'invalid');
      assert.match(error.detail, detail);
    }
  });

  test('GET one job; unknown ids and paths are 404 not_exist; wrong method 405', async () => {
    const [job] = await listJobs(emu, '?status=COMPLETED');
    const res = await api(emu, `/export/jobs/${job.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), job);
    const missing = await api(emu, '/export/jobs/nope');
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { errors: [{ code: 'not_exist', detail: 'entity does not exist' }] });
    assert.equal((await api(emu, '/export/nothing')).status, 404);
    assert.equal((await api(emu, '/export/jobs', { method: 'POST' })).status, 405);
  });

  test('schedules: one CONVERSATIONS schedule, the scheduleId of every job', async () => {
    const res = await api(emu, '/export/schedules');
    assert.equal(res.status, 200);
    const [schedule, ...rest] = (await res.json()) as Array<Record<string, string>>;
    assert.equal(rest.length, 0);
    assert.equal(schedule.frequency, 'HOURLY');
    assert.equal(schedule.type, 'CONVERSATIONS');
    assert.ok(parseRfc3339(schedule.nextStartAt) !== null && parseRfc3339(schedule.updatedAt) !== null);
    const [job] = await listJobs(emu);
    assert.equal(job.scheduleId, schedule.id);
    // The next window is the one after the newest job's window.
    const newest = Math.max(...(await listJobs(emu)).map((j) => Date.parse(j.parameters.endAt)));
    assert.equal(Date.parse(schedule.nextStartAt), newest);
  });

  test('DELETE: COMPLETED and FAILED jobs go away (204); PENDING/IN_PROGRESS are refused (400); unknown 404', async () => {
    const jobs = await listJobs(emu);
    const completed = jobs.find((j) => j.status === 'COMPLETED')!;
    const failed = jobs.find((j) => j.status === 'FAILED')!;
    for (const job of [completed, failed]) {
      const res = await api(emu, `/export/jobs/${job.id}`, { method: 'DELETE' });
      assert.equal(res.status, 204);
      assert.equal(await res.text(), '');
      assert.equal((await api(emu, `/export/jobs/${job.id}`)).status, 404);
      assert.equal((await api(emu, `/export/jobs/${job.id}`, { method: 'DELETE' })).status, 404);
      assert.ok(!(await listJobs(emu)).some((j) => j.id === job.id));
    }
    if (completed.files[0]) assert.equal((await api(emu, `/export/jobs/${completed.id}/files/${completed.files[0]}`)).status, 404);
    for (const status of ['PENDING', 'IN_PROGRESS']) {
      const job = jobs.find((j) => j.status === status)!;
      const res = await api(emu, `/export/jobs/${job.id}`, { method: 'DELETE' });
      assert.equal(res.status, 400);
      const body = (await res.json()) as { errors: Array<{ attr: string; code: string; detail: string }> };
      assert.deepEqual(body.errors[0], { attr: 'status', code: 'temporary_failure', detail: `unable to delete job with status [${status}]. Please try again after it has finished` });
      assert.equal((await api(emu, `/export/jobs/${job.id}`)).status, 200);
    }
  });

  test('answers carry the Date of emulator time and Gladly rate-limit headers are absent when limiting is off', async () => {
    const res = await api(emu, '/export/schedules');
    const served = Date.parse(res.headers.get('date') ?? '');
    assert.ok(Math.abs(served - NOW.getTime()) < 10 * 60_000, res.headers.get('date') ?? '');
    assert.equal(res.headers.get('ratelimit-limit-second'), null);
  });
});

describe('gladly emulator: daily schedule and determinism', () => {
  test('a daily schedule has one job per UTC day; the same seed gives the same jobs and files', async () => {
    const opts = { seed: 5, scale: 0.2, now: NOW, rateLimit: false as const, schedule: 'daily' as const };
    const [a, b, c] = await Promise.all([startGladlyEmulator(opts), startGladlyEmulator(opts), startGladlyEmulator({ ...opts, seed: 6 })]);
    try {
      const jobs = await listJobs(a);
      assert.ok(jobs.length >= 13 && jobs.length <= 15, `${jobs.length} daily jobs`);
      for (const j of jobs) assert.equal(Date.parse(j.parameters.endAt) - Date.parse(j.parameters.startAt), DAY);
      assert.deepEqual(await listJobs(b), jobs);
      const done = jobs.find((j) => j.status === 'COMPLETED' && j.files.includes('conversation_items.jsonl'))!;
      const read = (emu: GladlyEmulator) => api(emu, `/export/jobs/${done.id}/files/conversation_items.jsonl`).then((r) => r.text());
      assert.equal(await read(a), await read(b));
      assert.notDeepEqual((await listJobs(c)).map((j) => j.id), jobs.map((j) => j.id));
      const schedule = ((await (await api(a, '/export/schedules')).json()) as Array<{ frequency: string }>)[0];
      assert.equal(schedule.frequency, 'DAILY');
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});
