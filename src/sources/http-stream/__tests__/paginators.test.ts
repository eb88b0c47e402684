import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SupportSyncError } from '../../../core/errors.ts';
import { cursorKey, keyMinusMs, keyToIso } from '../cursor-values.ts';
import { defineHttpStream, recordsFrom } from '../define-http-stream.ts';
import { ids, makeCtx, read, testClient, ticketsStream } from './helpers.ts';
import { makeRows, startListApi } from './list-api.ts';

async function withApi(rows: ReturnType<typeof makeRows>, fn: (api: Awaited<ReturnType<typeof startListApi>>) => Promise<void>) {
  const api = await startListApi(rows);
  try {
    await fn(api);
  } finally {
    await api.close();
  }
}

describe('paginators', () => {
  test('offset: keyset reading with the Gleap filter, every row once, requests counted per stream', async () => {
    await withApi(makeRows(95), async (api) => {
      const ctx = makeCtx();
      const def = ticketsStream();
      const out = await read(testClient(api.url), def, 'FULL_TABLE', undefined, { startDate: '2025-01-01T00:00:00Z' }, ctx);
      assert.equal(out.error, undefined);
      assert.deepEqual(ids(out.records), api.rows.map((r) => r.id));
      const first = api.requests[0];
      assert.equal(first.searchParams.get('updatedAt>='), '2025-01-01T00:00:00.000Z');
      assert.equal(first.searchParams.get('sort'), 'updatedAt');
      assert.equal(first.searchParams.get('limit'), '10');
      assert.equal(ctx.counts.tickets, api.requests.length);
      // FULL_TABLE: one state, at the end, with the max cursor for a later INCREMENTAL run.
      assert.equal(out.states.length, 1);
      assert.equal(out.states[0].cursor, api.rows[94].updatedAt);
      assert.deepEqual(out.states[0].idsAtCursor, ['r094']);
    });
  });

  test('offset without a cursor filter: plain paging ends on the short page', async () => {
    await withApi(makeRows(25), async (api) => {
      const def = ticketsStream({ path: '/bare', recordsPath: undefined, incremental: undefined, syncTypes: ['FULL_TABLE'], defaultSyncType: 'FULL_TABLE' });
      const out = await read(testClient(api.url), def, 'FULL_TABLE');
      assert.deepEqual(ids(out.records), api.rows.map((r) => r.id));
      assert.deepEqual(api.requests.map((u) => u.searchParams.get('skip')), ['0', '10', '20']);
    });
  });

  test('offset with totalCount stops without fetching an empty page', async () => {
    await withApi(makeRows(30), async (api) => {
      const def = ticketsStream({
        incremental: undefined,
        syncTypes: ['FULL_TABLE'],
        defaultSyncType: 'FULL_TABLE',
        paginator: { type: 'offset', limitParam: 'limit', offsetParam: 'skip', pageSize: 10, totalCount: (b) => (b as { totalCount: number }).totalCount },
      });
      const out = await read(testClient(api.url), def, 'FULL_TABLE');
      assert.equal(out.records.length, 30);
      assert.equal(api.requests.length, 3);
    });
  });

  for (const firstPage of [0, 1] as const) {
    test(`page numbers starting at ${firstPage}`, async () => {
      await withApi(makeRows(25), async (api) => {
        const def = ticketsStream({
          path: '/pages',
          params: [['first', firstPage]],
          recordsPath: undefined,
          incremental: undefined,
          syncTypes: ['FULL_TABLE'],
          defaultSyncType: 'FULL_TABLE',
          paginator: { type: 'page', pageParam: 'page', sizeParam: 'size', firstPage, pageSize: 10 },
        });
        const out = await read(testClient(api.url), def, 'FULL_TABLE');
        assert.deepEqual(ids(out.records), api.rows.map((r) => r.id));
        assert.deepEqual(api.requests.map((u) => Number(u.searchParams.get('page'))), [firstPage, firstPage + 1, firstPage + 2]);
      });
    });
  }

  const messagesDef = () =>
    ticketsStream({
      name: 'messages',
      path: '/messages',
      recordsPath: recordsFrom('items'),
      incremental: undefined,
      syncTypes: ['FULL_TABLE'],
      defaultSyncType: 'FULL_TABLE',
      paginator: {
        type: 'cursor',
        cursorParam: 'before',
        params: [['paginated', 'true']],
        limitParam: 'limit',
        pageSize: 10,
        nextCursor: (b) => (b as { nextBefore?: string }).nextBefore,
        hasMore: (b) => (b as { hasMore?: boolean }).hasMore,
      },
    });

  test('cursor: follows the server token until hasMore is false', async () => {
    await withApi(makeRows(25), async (api) => {
      const out = await read(testClient(api.url), messagesDef(), 'FULL_TABLE');
      assert.equal(out.error, undefined);
      assert.deepEqual(ids(out.records), api.rows.map((r) => r.id));
      assert.equal(api.requests.length, 3);
      assert.equal(api.requests[0].searchParams.get('paginated'), 'true');
      assert.equal(api.requests[0].searchParams.get('before'), null);
      assert.ok(api.requests[1].searchParams.get('before'), 'api.requests[1].searchParams.get(\'before\')');
    });
  });

  test('cursor: a repeated token is refused instead of looping', async () => {
    await withApi(makeRows(50), async (api) => {
      api.quirks.repeatToken = true;
      const out = await read(testClient(api.url), messagesDef(), 'FULL_TABLE');
      assert.ok(out.error instanceof SupportSyncError, String(out.error));
      assert.equal(out.error.code, 'PAGINATION_LOOP');
      assert.match(out.error.message, /page cursor before=\S+ a second time/);
      assert.equal(api.requests.length, 2);
    });
  });

  test('none: a single request', async () => {
    await withApi(makeRows(15), async (api) => {
      const def = ticketsStream({ path: '/bare', recordsPath: undefined, incremental: undefined, syncTypes: ['FULL_TABLE'], defaultSyncType: 'FULL_TABLE', paginator: { type: 'none' } });
      const out = await read(testClient(api.url), def, 'FULL_TABLE');
      assert.equal(out.records.length, 15);
      assert.equal(api.requests.length, 1);
      assert.equal(api.requests[0].search, '');
    });
  });

  test('an API that ignores skip is caught instead of read forever', async () => {
    await withApi(makeRows(50), async (api) => {
      api.quirks.ignoreSkip = true;
      const def = ticketsStream({ incremental: undefined, syncTypes: ['FULL_TABLE'], defaultSyncType: 'FULL_TABLE' });
      const out = await read(testClient(api.url), def, 'FULL_TABLE');
      assert.ok(out.error instanceof SupportSyncError, String(out.error));
      assert.equal(out.error.code, 'PAGINATION_LOOP');
      assert.equal(api.requests.length, 2);
    });
  });
});

describe('records', () => {
  test('transform sets id from _id; non-object items are reported, not silently dropped', async () => {
    const rows = makeRows(3).map(({ id, ...rest }) => ({ _id: id, ...rest, id: undefined as unknown as string }));
    await withApi(rows, async (api) => {
      const def = ticketsStream({
        path: '/bare',
        recordsPath: recordsFrom('items'),
        incremental: undefined,
        syncTypes: ['FULL_TABLE'],
        defaultSyncType: 'FULL_TABLE',
        paginator: { type: 'none' },
        transform: (r) => ({ ...r, id: r._id }),
      });
      api.rows.push('garbage' as never);
      const out = await read(testClient(api.url), def, 'FULL_TABLE');
      assert.equal(out.error, undefined);
      assert.deepEqual(ids(out.records), ['r000', 'r001', 'r002']);
      assert.ok(out.warnings.some((w) => /1 item\(s\) .* not JSON objects/.test(w)), out.warnings.join('\n'));
    });
  });

  test('an unexpected body shape fails with a message naming what was expected', async () => {
    await withApi(makeRows(3), async (api) => {
      const def = ticketsStream({ recordsPath: 'data.items', incremental: undefined, syncTypes: ['FULL_TABLE'], defaultSyncType: 'FULL_TABLE' });
      const out = await read(testClient(api.url), def, 'FULL_TABLE');
      assert.ok(out.error instanceof SupportSyncError, String(out.error));
      assert.match(out.error.message, /expected an array at "data.items"/);
    });
  });
});

describe('declarations', () => {
  test('mistakes are reported when the stream is defined, all at once', () => {
    assert.throws(
      () =>
        defineHttpStream({
          name: 'tickets',
          columns: { id: 'string' },
          primaryKey: ['id'],
          syncTypes: ['INCREMENTAL'],
          defaultSyncType: 'FULL_TABLE',
          path: '/surveys/{id}/responses',
          paginator: { type: 'offset', limitParam: 'limit', offsetParam: 'skip', pageSize: 0 },
        }),
      (err: unknown) => {
        assert.ok(err instanceof SupportSyncError, String(err));
        for (const part of ['defaultSyncType FULL_TABLE', 'INCREMENTAL needs a cursorField', 'pageSize must be a positive integer', 'no forEachParent']) {
          assert.ok(err.message.includes(part), `missing "${part}" in ${err.message}`);
        }
        return true;
      },
    );
  });

  test('pages ahead: a positive integer, and pages of at least two rows to overlap', () => {
    const declare = (pagesAhead: number, pageSize: number) => () => ticketsStream({ paginator: { type: 'offset', limitParam: 'limit', offsetParam: 'skip', pageSize, pagesAhead } });
    assert.throws(declare(0, 10), /pagesAhead must be a positive integer, got 0/);
    assert.throws(declare(2.5, 10), /pagesAhead must be a positive integer/);
    assert.throws(declare(4, 1), /pageSize of at least 2/);
    assert.doesNotThrow(declare(1, 1));
    assert.doesNotThrow(declare(4, 2));
  });

  test('a sync type the stream does not offer is a config error', async () => {
    const def = ticketsStream({ incremental: undefined, syncTypes: ['FULL_TABLE'], defaultSyncType: 'FULL_TABLE' });
    const out = await read(testClient('http://127.0.0.1:9'), def, 'INCREMENTAL');
    assert.ok(out.error instanceof SupportSyncError, String(out.error));
    assert.equal(out.error.phase, 'config');
    assert.match(out.error.message, /use one of FULL_TABLE/);
  });
});

describe('cursor values', () => {
  test("toISOString's shape (read by a fast path) gives the same keys as every other spelling of the instant", () => {
    const instants = [0, 1, 999, 1000, -1, -86_400_001, Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(2025, 8, 1, 10, 0, 19, 72), Date.UTC(9999, 11, 31, 23, 59, 59, 999)];
    for (let i = 0; i < 200; i++) instants.push(Math.floor(((i * 7919) % 1000) * 1e10 + i * 12_345_678));
    for (const ms of instants) {
      const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
      const general = iso.replace('Z', '+00:00'); // the same instant, read by the general path
      assert.equal(cursorKey(iso), cursorKey(general), iso);
      assert.equal(cursorKey(iso), cursorKey(ms), iso);
      assert.equal(keyToIso(cursorKey(iso)!), iso);
    }
    // Shapes the fast path refuses still parse, as before: a day that does not exist rolls over.
    assert.equal(cursorKey('2025-02-30T00:00:00.000Z'), cursorKey('2025-03-02T00:00:00.000Z'));
    assert.equal(cursorKey('2025-09-01t10:00:00.000z'), cursorKey('2025-09-01T10:00:00.000Z'));
  });

  test('timestamps compare as instants, nanoseconds and offsets included', () => {
    // As text the first sorts before the second although it is later.
    assert.ok(cursorKey('2025-09-01T10:00:19.07272933Z')! > cursorKey('2025-09-01T10:00:19.072Z')!, 'nanoseconds compared as an instant');
    assert.equal(cursorKey('2025-09-01T12:00:00+02:00'), cursorKey('2025-09-01T10:00:00.000Z'));
    assert.equal(cursorKey(Date.parse('2025-09-01T10:00:00.000Z')), cursorKey(new Date('2025-09-01T10:00:00Z')));
    assert.equal(cursorKey('not a date'), undefined);
    assert.equal(cursorKey(null), undefined);
    assert.equal(keyToIso(cursorKey('2025-09-01T10:00:19.07272933Z')!), '2025-09-01T10:00:19.072Z');
    assert.equal(keyToIso(keyMinusMs(cursorKey('2025-09-01T00:00:00.5Z')!, 1000)), '2025-08-31T23:59:59.500Z');
  });
});
