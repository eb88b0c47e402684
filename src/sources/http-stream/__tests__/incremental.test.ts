import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpError, SupportSyncError } from '../../../core/errors.ts';
import type { StreamState } from '../../source.ts';
import { defineHttpStream, operatorFilter } from '../define-http-stream.ts';
import type { HttpStreamDef } from '../define-http-stream.ts';
import { readHttpStream, readRecords } from '../read-http-stream.ts';
import { committed, ids, makeCtx, read, testClient, ticketsStream, ticketsStream as baseStream } from './helpers.ts';
import { at, makeRows, startListApi } from './list-api.ts';
import type { ListApi, Row } from './list-api.ts';

async function withApi(rows: Row[], fn: (api: ListApi) => Promise<void>) {
  const api = await startListApi(rows);
  try {
    await fn(api);
  } finally {
    await api.close();
  }
}

const sorted = (xs: string[]) => [...xs].sort();
const noDuplicates = (xs: string[]) => assert.equal(new Set(xs).size, xs.length, `duplicates in ${xs.join(',')}`);

/**
 * The first request of a run started when the API had seen `before` requests. Pages a
 * finished run had asked for ahead, past its end, may still arrive: they query from the
 * start date, which no later run does here.
 */
const firstOfNextRun = (api: ListApi, before: number): URL =>
  api.requests.slice(before).find((u) => u.searchParams.get('updatedAt>=') !== '2025-01-01T00:00:00.000Z')!;

function update(api: ListApi, id: string, updatedAt: string) {
  const row = api.rows.find((r) => r.id === id)!;
  row.updatedAt = updatedAt;
  row.title = `${row.title} (edited)`;
}

// The same guarantees whether pages are planned one at a time (steps 5-6) or by position,
// four at once (step 7, with the overlapping row that notices moved rows).
for (const pagesAhead of [1, 4]) describe(`incremental, ${pagesAhead === 1 ? 'one page at a time' : `${pagesAhead} pages ahead`}`, () => {
  // Shadows the helper, so that every test below reads the same in both modes.
  const ticketsStream = (overrides: Partial<HttpStreamDef> = {}) =>
    baseStream({ paginator: { type: 'offset', limitParam: 'limit', offsetParam: 'skip', pageSize: 10, pagesAhead }, ...overrides });

  test('lookback + boundary dedup across runs: exactly the changed rows come back, none lost', async () => {
    // 50 rows one second apart; a 10 s lookback re-reads the last ten on the next run.
    await withApi(makeRows(50), async (api) => {
      const def = ticketsStream({ incremental: { filterParam: operatorFilter('updatedAt'), sort: [['sort', 'updatedAt']], lookbackMs: 10_000 } });
      const client = testClient(api.url);
      const run1 = await read(client, def, 'INCREMENTAL');
      assert.equal(run1.error, undefined);
      assert.deepEqual(ids(run1.records), api.rows.map((r) => r.id));
      const state1 = run1.states.at(-1)!;
      assert.equal(state1.cursor, at(49_000));

      update(api, 'r010', at(100_000)); // an old row edited later
      update(api, 'r020', at(100_000)); // same new timestamp as r010
      update(api, 'r045', at(47_500)); // edited, but its new timestamp is inside the lookback window
      api.rows.push({ id: 'late', updatedAt: at(48_200), title: 'written late, visible only now' });
      api.rows.push({ id: 'new', updatedAt: at(200_000), title: 'brand new' });

      const before = api.requests.length;
      const run2 = await read(client, def, 'INCREMENTAL', state1);
      assert.equal(run2.error, undefined);
      assert.deepEqual(sorted(ids(run2.records)), ['late', 'new', 'r010', 'r020', 'r045']);
      // It really re-read the lookback window: the first filter starts 10 s before the cursor.
      assert.equal(firstOfNextRun(api, before).searchParams.get('updatedAt>='), at(39_000));

      const run3 = await read(client, def, 'INCREMENTAL', run2.states.at(-1)!);
      assert.deepEqual(ids(run3.records), []);
    });
  });

  test('a checkpoint follows every page, after its records', async () => {
    await withApi(makeRows(35), async (api) => {
      const out = await read(testClient(api.url), ticketsStream(), 'INCREMENTAL');
      const kinds = out.messages.map((m) => m.type);
      assert.equal(kinds[0], 'records');
      for (let i = 0; i < kinds.length; i++) if (kinds[i] === 'records') assert.equal(kinds[i + 1], 'state', kinds.join(','));
      assert.ok(out.states.length >= 4, `only ${out.states.length} checkpoints`);
      // Cursors only move forward.
      const cursors = out.states.map((s) => Date.parse(String(s.cursor)));
      assert.deepEqual(cursors, [...cursors].sort((a, b) => a - b));
    });
  });

  test('resume after a failure mid-stream: no row lost, none emitted twice', async () => {
    await withApi(makeRows(60), async (api) => {
      const def = ticketsStream({ incremental: { filterParam: operatorFilter('updatedAt'), sort: [['sort', 'updatedAt']], lookbackMs: 5000 } });
      const client = testClient(api.url, 1);
      api.failWith = (n) => (n === 3 ? 500 : undefined);
      const run1 = await read(client, def, 'INCREMENTAL');
      assert.ok(run1.error instanceof HttpError, String(run1.error));
      const saved = committed(run1);
      assert.ok(saved.state, 'no checkpoint before the failure');
      assert.equal(saved.records.length, run1.records.length, 'records after the last checkpoint');
      assert.ok(saved.records.length >= 19 && saved.records.length < 60, `${saved.records.length} rows before the failure`);

      api.failWith = undefined;
      const before = api.requests.length;
      const run2 = await read(client, def, 'INCREMENTAL', saved.state);
      assert.equal(run2.error, undefined);
      const all = [...ids(saved.records), ...ids(run2.records)];
      noDuplicates(all);
      assert.deepEqual(sorted(all), api.rows.map((r) => r.id));
      // Resumed near where it stopped (5 s lookback), not from the start date.
      const resumedAt = firstOfNextRun(api, before).searchParams.get('updatedAt>=')!;
      assert.equal(Date.parse(resumedAt), Date.parse(String(saved.state.cursor)) - 5000);
    });
  });

  test('more rows share one timestamp than a page holds: all read once, no endless loop', async () => {
    const rows: Row[] = [
      ...makeRows(3, { prefix: 'a' }),
      ...makeRows(25, { prefix: 't', stepMs: 0, offsetMs: 10_000 }),
      ...makeRows(5, { prefix: 'z', offsetMs: 20_000 }),
    ];
    await withApi(rows, async (api) => {
      const client = testClient(api.url);
      const out = await read(client, ticketsStream(), 'INCREMENTAL');
      assert.equal(out.error, undefined);
      noDuplicates(ids(out.records));
      assert.deepEqual(sorted(ids(out.records)), sorted(rows.map((r) => r.id)));
      assert.ok(api.requests.length <= 10, `${api.requests.length} requests`);
      assert.ok(out.warnings.some((w) => /shares updatedAt/.test(w)), out.warnings.join('\n'));

      // The same block at the very end of the data: the state has to hold all 25 ids.
      api.rows.splice(api.rows.length - 5, 5);
      const fresh = await read(client, ticketsStream(), 'INCREMENTAL');
      const state = fresh.states.at(-1)!;
      assert.equal((state.idsAtCursor as string[]).length, 25);
      const again = await read(client, ticketsStream(), 'INCREMENTAL', state);
      assert.deepEqual(ids(again.records), []);
    });
  });

  test('a failure inside a block of equal timestamps resumes without loss or duplicates', async () => {
    const rows = [...makeRows(2, { prefix: 'a' }), ...makeRows(35, { prefix: 't', stepMs: 0, offsetMs: 10_000 }), ...makeRows(4, { prefix: 'z', offsetMs: 20_000 })];
    await withApi(rows, async (api) => {
      const client = testClient(api.url, 1);
      api.failWith = (n) => (n === 4 ? 503 : undefined);
      const run1 = await read(client, ticketsStream(), 'INCREMENTAL');
      assert.ok(run1.error instanceof HttpError, String(run1.error));
      const saved = committed(run1);
      assert.equal(saved.state?.cursor, at(10_000));
      api.failWith = undefined;
      const run2 = await read(client, ticketsStream(), 'INCREMENTAL', saved.state);
      const all = [...ids(saved.records), ...ids(run2.records)];
      noDuplicates(all);
      assert.deepEqual(sorted(all), sorted(rows.map((r) => r.id)));
    });
  });

  test('rows edited during the read move behind the offsets; restarting the filter still reads every row', async () => {
    await withApi(makeRows(40), async (api) => {
      // After the first page, rows already read are edited: each moves to the end and, with
      // plain skip/limit paging, would shift an unread row into the skipped range.
      api.beforeServe = (n) => {
        if (n === 2) for (const id of ['r001', 'r002', 'r003']) update(api, id, at(500_000 + Number(id.slice(1))));
      };
      const out = await read(testClient(api.url), ticketsStream(), 'INCREMENTAL');
      assert.equal(out.error, undefined);
      const got = new Set(ids(out.records));
      for (const r of api.rows) assert.ok(got.has(r.id), `lost ${r.id}`);
      // The edited rows come twice: old version, then new. The merge keeps the newest.
      assert.equal(out.records.length, 43);
      assert.equal(out.states.at(-1)!.cursor, at(500_003));
    });
  });

  test('an API that ignores the sort is refused: a checkpoint could skip rows', async () => {
    await withApi(makeRows(30), async (api) => {
      api.quirks.ignoreSort = true;
      const out = await read(testClient(api.url), ticketsStream(), 'INCREMENTAL');
      assert.ok(out.error instanceof SupportSyncError, String(out.error));
      assert.equal(out.error.code, 'SOURCE_UNSORTED');
      assert.match(out.error.message, /sort=updatedAt/);
      assert.equal(out.records.length, 0);
    });
  });

  test("unsorted streams are read whole and checkpoint once, at the end", async () => {
    await withApi(makeRows(30), async (api) => {
      api.quirks.ignoreSort = true;
      const def = ticketsStream({ incremental: { filterParam: operatorFilter('updatedAt'), order: 'unsorted' } });
      const client = testClient(api.url);
      const out = await read(client, def, 'INCREMENTAL');
      assert.equal(out.error, undefined);
      assert.equal(out.records.length, 30);
      assert.equal(out.states.length, 1);
      assert.equal(out.states[0].cursor, at(29_000));
      const again = await read(client, def, 'INCREMENTAL', out.states[0]);
      assert.deepEqual(ids(again.records), []);
    });
  });

  test('a saved state it cannot use is reported and the stream is read from the start date', async () => {
    await withApi(makeRows(5), async (api) => {
      const out = await read(testClient(api.url), ticketsStream(), 'INCREMENTAL', { cursor: 42 } as StreamState);
      assert.equal(out.records.length, 5);
      assert.ok(out.warnings.some((w) => /not a timestamp/.test(w)), out.warnings.join('\n'));
    });
  });
});

/** Polls until `ready()` holds or `ms` pass; says which. */
async function waitFor(ready: () => boolean, ms = 5000): Promise<boolean> {
  for (const deadline = Date.now() + ms; !ready(); ) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

describe('reading one page ahead', () => {
  const startRead = (api: ListApi) => {
    const def = ticketsStream();
    return readHttpStream(testClient(api.url), def, { stream: def, syncType: 'INCREMENTAL' }, makeCtx(), { startDate: '2025-01-01T00:00:00Z' })[Symbol.asyncIterator]();
  };

  test('the next page is requested while the caller still holds the current one', async () => {
    await withApi(makeRows(30), async (api) => {
      const it = startRead(api);
      const first = await it.next();
      assert.equal(first.value?.type, 'records');
      // The caller has not asked for more, yet the next query is already at the API.
      assert.ok(await waitFor(() => api.requests.length === 2), `requests made while the caller held page 1: ${api.requests.length}`);
      assert.equal(api.requests[1]!.searchParams.get('updatedAt>='), at(9_000), 'the read-ahead query restarts from the page\'s highest cursor');
      await it.return(undefined);
      assert.equal(api.requests.length, 2, 'nothing requested after the read ended');
    });
  });

  test('aborting the run stops the read, the page being read ahead included', async () => {
    await withApi(makeRows(50), async (api) => {
      const controller = new AbortController();
      const def = ticketsStream();
      const ctx = { ...makeCtx(), signal: controller.signal };
      const it = readHttpStream(testClient(api.url), def, { stream: def, syncType: 'INCREMENTAL' }, ctx, { startDate: '2025-01-01T00:00:00Z' })[Symbol.asyncIterator]();
      assert.equal((await it.next()).value?.type, 'records');
      const stop = new Error('run cancelled');
      controller.abort(stop);
      let error: unknown;
      let pagesAfter = 0;
      try {
        for (let m = await it.next(); !m.done; m = await it.next()) if (m.value.type === 'records') pagesAfter++;
      } catch (err) {
        error = err;
      }
      assert.equal(error, stop, `the read fails with the run's reason: ${String(error)}`);
      assert.ok(pagesAfter <= 1, `at most the page already received is handed out after the abort: ${pagesAfter}`);
      assert.ok(api.requests.length <= 2, `nothing requested after the abort (5 pages exist): ${api.requests.length} requests`);
    });
  });

  test('a page that fails while read ahead fails the read after the page before it is handed out, never as an unhandled rejection', async () => {
    await withApi(makeRows(30), async (api) => {
      api.failWith = (n) => (n === 2 ? 401 : undefined);
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const it = startRead(api);
        const types: string[] = [];
        const first = await it.next();
        types.push(first.value!.type);
        // Let the read-ahead fail while nobody awaits it.
        assert.ok(await waitFor(() => api.requests.length === 2), 'the second page was requested');
        await new Promise((r) => setTimeout(r, 50));
        let error: unknown;
        try {
          for (let m = await it.next(); !m.done; m = await it.next()) types.push(m.value.type);
        } catch (err) {
          error = err;
        }
        assert.deepEqual(types, ['records', 'state'], 'page 1 and its checkpoint come out before the failure');
        assert.ok(error instanceof SupportSyncError && /HTTP 401/.test(error.message), `the read fails with the 401: ${String(error)}`);
        await new Promise((r) => setImmediate(r));
        assert.deepEqual(unhandled, [], 'no unhandled rejection');
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });
  });
});

describe('child streams', () => {
  const surveys = defineHttpStream({
    name: 'surveys',
    columns: { id: 'string' },
    primaryKey: ['id'],
    syncTypes: ['FULL_TABLE'],
    defaultSyncType: 'FULL_TABLE',
    path: '/surveys',
    paginator: { type: 'none' },
    transform: (r) => ({ ...r, id: r._id }),
  });
  const responses: HttpStreamDef = ticketsStream({
    name: 'survey_responses',
    columns: { id: 'string', updatedAt: 'timestamp', survey: 'string' },
    path: '/surveys/{id}/responses',
    recordsPath: 'responses',
    paginator: { type: 'offset', limitParam: 'limit', offsetParam: 'skip', pageSize: 4 },
    forEachParent: async function* (client, ctx) {
      for await (const s of readRecords(client, surveys, ctx)) yield { vars: { id: String(s.id) }, record: s };
    },
    transform: (r, parent) => ({ ...r, survey: parent?.record?.id }),
  });

  test('one read per parent, one cursor per parent; the next run reads only what changed', async () => {
    const rows: Row[] = ['s1', 's/2', 's3'].flatMap((survey, k) => makeRows(6, { prefix: `${k}-`, extra: () => ({ survey }) }));
    await withApi(rows, async (api) => {
      const client = testClient(api.url);
      const ctx = makeCtx();
      const run1 = await read(client, responses, 'INCREMENTAL', undefined, { startDate: '2025-01-01T00:00:00Z' }, ctx);
      assert.equal(run1.error, undefined);
      assert.deepEqual(sorted(ids(run1.records)), sorted(rows.map((r) => r.id)));
      const surveyOf = new Map(rows.map((r) => [r.id, r.survey]));
      for (const r of run1.records) assert.equal(r.survey, surveyOf.get(String(r.id)), 'transform received the parent');
      assert.ok(api.requests.some((u) => u.pathname === '/surveys/s%2F2/responses'), 'the parent id is URL-encoded in the path');
      const state = run1.states.at(-1) as { parents: Record<string, { cursor: string }> };
      assert.deepEqual(Object.keys(state.parents).sort(), ['s/2', 's1', 's3']);
      assert.equal(state.parents.s1.cursor, at(5000));
      assert.equal(ctx.counts.survey_responses + ctx.counts.surveys, api.requests.length);

      api.rows.push({ id: 'x', updatedAt: at(1000), survey: 's4' }); // a new parent, older than the others' cursors
      update(api, '1-002', at(60_000));
      const run2 = await read(client, responses, 'INCREMENTAL', state);
      assert.deepEqual(sorted(ids(run2.records)), ['1-002', 'x']);
    });
  });

  test("the next parents' first pages are on their way while one parent is read; a failing one fails the read after those before it", async () => {
    const rows: Row[] = ['s1', 's2', 's3', 's4'].flatMap((survey, k) => makeRows(6, { prefix: `${k}-`, extra: () => ({ survey }) }));
    await withApi(rows, async (api) => {
      const it = readHttpStream(testClient(api.url), responses, { stream: responses, syncType: 'INCREMENTAL' }, makeCtx(), { startDate: '2025-01-01T00:00:00Z' })[Symbol.asyncIterator]();
      const first = await it.next();
      assert.equal(first.value?.type, 'records');
      const asked = () => new Set(api.requests.map((u) => u.pathname).filter((p) => p.endsWith('/responses')));
      assert.ok(await waitFor(() => asked().size === 4), `parents asked for while the caller held the first page: ${[...asked()].join(', ')}`);
      await it.return(undefined);
    });
    await withApi(rows, async (api) => {
      api.failWith = (_n, url) => (url.pathname === '/surveys/s3/responses' ? 401 : undefined);
      const out = await read(testClient(api.url), responses, 'INCREMENTAL');
      assert.ok(out.error instanceof SupportSyncError && /HTTP 401/.test(out.error.message), String(out.error));
      const saved = committed(out);
      assert.deepEqual(sorted(ids(saved.records)), sorted(rows.filter((r) => r.survey === 's1' || r.survey === 's2').map((r) => r.id)));
      assert.deepEqual(Object.keys((saved.state as { parents: object }).parents).sort(), ['s1', 's2']);
    });
  });
});

describe('reading several pages ahead (step 7)', () => {
  const totalCount = (b: unknown) => (b as { totalCount: number }).totalCount;
  const aheadStream = (counted: boolean) =>
    ticketsStream({ paginator: { type: 'offset', limitParam: 'limit', offsetParam: 'skip', pageSize: 10, pagesAhead: 4, ...(counted ? { totalCount } : {}) } });
  // Pages asked for at once may reach the server in any order: compare them sorted.
  const skips = (urls: URL[]) => urls.map((u) => Number(u.searchParams.get('skip'))).sort((a, b) => a - b);

  test('four pages are on their way while the caller holds one; each starts at the last row of the page before', async () => {
    await withApi(makeRows(95), async (api) => {
      const def = aheadStream(true);
      const it = readHttpStream(testClient(api.url), def, { stream: def, syncType: 'INCREMENTAL' }, makeCtx(), { startDate: '2025-01-01T00:00:00Z' })[Symbol.asyncIterator]();
      const first = await it.next();
      assert.equal(first.value?.type, 'records');
      assert.ok(await waitFor(() => api.requests.length === 5), `requests while the caller held page 1: ${api.requests.length}`);
      const rest: string[] = [];
      for (let m = await it.next(); !m.done; m = await it.next()) if (m.value.type === 'records') rest.push(...ids(m.value.records));
      const all = [...(first.value?.type === 'records' ? ids(first.value.records) : []), ...rest];
      assert.deepEqual(all, api.rows.map((r) => r.id), 'every row once, in order');
      // One query, pages by position overlapping by a row; the total count stops it exactly at the end.
      assert.deepEqual(skips(api.requests), [0, 9, 18, 27, 36, 45, 54, 63, 72, 81, 90]);
      assert.ok(api.requests.every((u) => u.searchParams.get('updatedAt>=') === '2025-01-01T00:00:00.000Z'));
    });
  });

  test('without a total count a small read is one request, and a large one asks for at most three pages past its end', async () => {
    await withApi(makeRows(7), async (api) => {
      const out = await read(testClient(api.url), aheadStream(false), 'INCREMENTAL');
      assert.equal(out.records.length, 7);
      assert.equal(api.requests.length, 1);
    });
    await withApi(makeRows(95), async (api) => {
      const out = await read(testClient(api.url), aheadStream(false), 'INCREMENTAL');
      assert.deepEqual(ids(out.records), api.rows.map((r) => r.id));
      await new Promise((r) => setTimeout(r, 50)); // pages asked for past the end may arrive late
      const needed = 11; // skip 0, 9, ..., 90
      assert.ok(api.requests.length >= needed && api.requests.length <= needed + 3, `${api.requests.length} requests`);
      // The pages ahead grow with the pages read: 1 after the first page, then 2, 3, 4.
      assert.deepEqual(skips(api.requests.slice(0, 2)), [0, 9]);
      assert.deepEqual(skips(api.requests.slice(2, 4)), [18, 27]);
    });
  });

  test('a short page ends the read even when the total count says there is more', async () => {
    await withApi(makeRows(25), async (api) => {
      // A count of the whole collection instead of the query's rows.
      const def = ticketsStream({ paginator: { type: 'offset', limitParam: 'limit', offsetParam: 'skip', pageSize: 10, pagesAhead: 4, totalCount: () => 1_000_000 } });
      const out = await read(testClient(api.url), def, 'INCREMENTAL');
      assert.deepEqual(ids(out.records), api.rows.map((r) => r.id));
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(skips(api.requests).slice(0, 3), [0, 9, 18]); // and the rest past the end
      assert.ok(api.requests.length <= 3 + 3, `${api.requests.length} requests: at most three past the end`);
    });
  });

  test('a row that leaves before the next page is noticed by the overlapping row; the query restarts after the last page read and loses nothing', async () => {
    await withApi(makeRows(40), async (api) => {
      // Served just before the page at skip 9: r001 is edited and moves to the end, so every
      // later row moves up one place and plain offsets would skip r010.
      api.beforeServe = (_n, url) => {
        if (url.searchParams.get('skip') === '9' && url.searchParams.get('updatedAt>=') === '2025-01-01T00:00:00.000Z') update(api, 'r001', at(500_000));
      };
      const out = await read(testClient(api.url), aheadStream(true), 'INCREMENTAL');
      assert.equal(out.error, undefined);
      const got = ids(out.records);
      noDuplicates(got.filter((id) => id !== 'r001'));
      assert.deepEqual(sorted([...new Set(got)]), sorted(api.rows.map((r) => r.id)), 'no row lost');
      assert.equal(got.filter((id) => id === 'r001').length, 2, 'r001 before and after its edit');
      // The restart: from the highest cursor of the first page (r009), at the first position.
      const restart = api.requests.find((u) => u.searchParams.get('updatedAt>=') === at(9_000));
      assert.ok(restart, api.requests.map((u) => u.search).join('\n'));
      assert.equal(restart.searchParams.get('skip'), '0');
      assert.equal(out.states.at(-1)!.cursor, at(500_000));
    });
  });

  test('an API that ignores skip is caught instead of read forever', async () => {
    await withApi(makeRows(50), async (api) => {
      api.quirks.ignoreSkip = true;
      const out = await read(testClient(api.url), aheadStream(false), 'INCREMENTAL');
      assert.ok(out.error instanceof SupportSyncError, String(out.error));
      assert.equal(out.error.code, 'PAGINATION_LOOP');
      assert.deepEqual(ids(out.records), api.rows.slice(0, 10).map((r) => r.id));
    });
  });

  test('a page asked for ahead that fails fails the read after the pages before it are handed out and checkpointed', async () => {
    await withApi(makeRows(95), async (api) => {
      api.failWith = (_n, url) => (url.searchParams.get('skip') === '27' ? 401 : undefined);
      const out = await read(testClient(api.url), aheadStream(true), 'INCREMENTAL');
      assert.ok(out.error instanceof SupportSyncError && /HTTP 401/.test(out.error.message), String(out.error));
      const saved = committed(out);
      assert.deepEqual(ids(saved.records), api.rows.slice(0, 28).map((r) => r.id)); // pages at skip 0, 9 and 18 hold r000-r027
      assert.equal(saved.state?.cursor, at(27_000));
    });
  });
});
