/**
 * The emulator's /v3/statistics endpoints as a client meets them: parameters checked like
 * Gleap's (400 with a message), endDate inclusive, authentication, shapes for types the
 * emulator has no data for, snapshots, raw events paging.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startGleapEmulator, type GleapEmulator } from '../gleap-emulator.ts';
import { get, ok } from './client.ts';

const NOW = new Date('2026-04-10T12:00:00Z');
let e: GleapEmulator;
const RANGE = 'startDate=2026-03-01T00:00:00.000Z&endDate=2026-03-31T23:59:59.999Z';

before(async () => {
  e = await startGleapEmulator({ scale: 400, seed: 5, now: NOW, rateLimit: null });
});
after(() => e.close());

describe('statistics parameters', () => {
  const bad: [string, RegExp][] = [
    [`/v3/statistics/facts?${RANGE}`, /chartType is required/],
    [`/v3/statistics/facts?chartType=NOPE&${RANGE}`, /Invalid chartType "NOPE": expected one of MEDIAN_FIRST_RESPONSE_TIME/],
    [`/v3/statistics/bar-chart?chartType=TICKET_REPLIES_COUNT&${RANGE}`, /Invalid chartType "TICKET_REPLIES_COUNT"/],
    [`/v3/statistics/facts?chartType=NEW_TICKETS_COUNT&timezone=Mars%2FOlympus`, /Invalid timezone "Mars\/Olympus"/],
    [`/v3/statistics/bar-chart?chartType=NEW_TICKETS_COUNT&groupInterval=week`, /Invalid groupInterval "week": expected day, month, year/],
    [`/v3/statistics/facts?chartType=MEDIAN_TIME_TO_CLOSE&aggsType=MEAN`, /Invalid aggsType "MEAN": expected MEDIAN, AVERAGE/],
    [`/v3/statistics/lists?chartType=TEAM_PERFORMANCE_LIST&useWorkingHours=yes`, /Invalid useWorkingHours "yes"/],
    [`/v3/statistics/facts?chartType=NEW_TICKETS_COUNT&startDate=2026-04-02T00:00:00Z&endDate=2026-04-01T00:00:00Z`, /startDate is after endDate/],
    [`/v3/statistics/facts?chartType=NEW_TICKETS_COUNT&startDate=2024-01-01T00:00:00Z&endDate=2026-01-01T00:00:00Z`, /at most 366 days/],
    [`/v3/statistics/facts?chartType=NEW_TICKETS_COUNT&startDate=yesterday`, /Invalid startDate "yesterday"/],
    [`/v3/statistics/raw-data?type=TICKET_EXPLODED`, /Invalid type "TICKET_EXPLODED": expected TICKET_CREATED/],
    [`/v3/statistics/raw-data?limit=-1`, /Invalid limit "-1"/],
  ];
  for (const [path, message] of bad) {
    test(`400: ${path.split('?')[0]} ${message.source.slice(0, 40)}`, async () => {
      const r = await get(e, path);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(r.body.message, message);
    });
  }

  test('statistics need the API key and the project like every v3 endpoint', async () => {
    assert.equal((await get(e, '/v3/statistics/facts?chartType=NEW_TICKETS_COUNT', { Authorization: 'Bearer nope', Project: 'test-project' })).status, 401);
    assert.equal((await get(e, '/v3/statistics/heatmap?chartType=BUSIEST_HOURS_PER_WEEKDAY', { Authorization: 'Bearer test-api-key', Project: 'nope' })).status, 403);
  });

  test('endDate is inclusive and startDate too, to the millisecond', async () => {
    const [event] = await ok(e, `/v3/statistics/raw-data?type=TICKET_CREATED&${RANGE}&limit=1`);
    const at = Date.parse(event.createdAt);
    const count = async (start: number, end: number) =>
      (await ok(e, `/v3/statistics/facts?chartType=NEW_TICKETS_COUNT&startDate=${new Date(start).toISOString()}&endDate=${new Date(end).toISOString()}`)).rawValue;
    assert.equal(await count(at, at), 1, 'a one-instant period holds the ticket created then');
    assert.equal(await count(at - 1000, at - 1), 0);
    assert.equal(await count(at + 1, at + 1000), 0);
  });
});

describe('answers', () => {
  test('types without emulated data answer a well-formed zero', async () => {
    const fact = await ok(e, `/v3/statistics/facts?chartType=HELP_CENTER_ARTICLE_VIEW_COUNT&${RANGE}`);
    assert.deepEqual(fact, { title: 'Help center article view count', value: 0, rawValue: 0, valueUnit: '', progressValue: null });
    const chart = await ok(e, `/v3/statistics/bar-chart?chartType=WIDGET_OPENED_COUNT_BY_DATE&${RANGE}&groupInterval=month`);
    assert.deepEqual(chart.dataSets[0].data, [{ label: '2026-03', value: 0 }]);
    const list = await ok(e, `/v3/statistics/lists?chartType=ARTICLE_SEARCH_RESULT_LIST&${RANGE}`);
    assert.deepEqual(list.data, []);
  });

  test('snapshots count the open and closed tickets that are not spam', async () => {
    const counts = await (await fetch(`${e.url}/__emulator/counts`)).json();
    const spam = (await ok(e, '/v3/tickets?isSpam=true&limit=1')).totalCount;
    const snapshot = await ok(e, '/v3/statistics/lists?chartType=SNAPSHOT_TICKETS');
    const total = snapshot.data.reduce((s: number, r: { openCount: number; closedCount: number }) => s + r.openCount + r.closedCount, 0);
    assert.equal(total, counts.tickets - spam);
    const open = await ok(e, '/v3/statistics/facts?chartType=SNAPSHOT_OPEN_TICKETS');
    assert.equal(open.rawValue, snapshot.data.reduce((s: number, r: { openCount: number }) => s + r.openCount, 0));
  });

  test('a progressValue compares with the period just before', async () => {
    const cur = await ok(e, `/v3/statistics/facts?chartType=NEW_TICKETS_COUNT&startDate=2026-03-11T00:00:00.000Z&endDate=2026-03-20T23:59:59.999Z`);
    const prev = await ok(e, `/v3/statistics/facts?chartType=NEW_TICKETS_COUNT&startDate=2026-03-01T00:00:00.000Z&endDate=2026-03-10T23:59:59.999Z`);
    assert.equal(cur.progressValue, Math.round(((cur.rawValue - prev.rawValue) / prev.rawValue) * 10_000) / 100);
  });

  test('raw events are ordered by time and page with limit/skip', async () => {
    const all = await ok(e, `/v3/statistics/raw-data?${RANGE}`);
    const times = all.map((x: { createdAt: string }) => x.createdAt);
    assert.deepEqual(times, [...times].sort());
    const page = await ok(e, `/v3/statistics/raw-data?${RANGE}&limit=7&skip=7`);
    assert.deepEqual(page, all.slice(7, 14));
  });

  test('the list export is CSV with one line per agent of the list', async () => {
    const list = await ok(e, `/v3/statistics/lists?chartType=TEAM_PERFORMANCE_LIST&${RANGE}`);
    const r = await get(e, `/v3/statistics/lists/export?chartType=TEAM_PERFORMANCE_LIST&${RANGE}`);
    assert.match(r.headers.get('content-type') ?? '', /text\/csv/);
    const lines = String(r.body).trim().split('\r\n');
    assert.equal(lines.length, list.data.length + 1);
    assert.equal(lines[1]!.split(',')[2], list.data[0].processingUserREF.id, 'the agent id column');
  });
});
