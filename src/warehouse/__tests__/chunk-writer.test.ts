/**
 * The chunk writer stages strings by writing DuckDB's `duckdb_string_t` entries itself (see
 * writeStrings). These tests hold it to what DuckDB makes of the same strings bound as plain
 * parameters: same text, same byte length, equal under `=` (which compares the inline bytes
 * and the 4-byte prefix) and under `hash`, at every boundary the encoding has.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CHUNK_ROWS, createChunkWriter } from '../duckdb/chunk-writer.ts';
import type { Row } from '../warehouse.ts';

/** What a JavaScript string becomes in UTF-8 (a lone surrogate turns into U+FFFD). */
const asStored = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

const AWKWARD = [
  '', 'a', 'é', '😀',
  'x'.repeat(11), 'x'.repeat(12), 'x'.repeat(13), // inline up to 12 bytes, out of line from 13
  'ééééé' + 'xx', 'éééééé', 'éééééé' + 'x', // 12 and 13 bytes from fewer characters
  'x'.repeat(80), 'x'.repeat(81), 'é'.repeat(80), 'é'.repeat(81), // encoded together up to 80 units, alone beyond
  'lone high \ud83d', '\ude00 lone low', '\ud83d', '\ude00', // halves of a pair, alone and side by side below
  'nul \u0000 inside', 'line\nbreak\ttab', 'quote \' and "double"',
  '{"type":"CHAT_MESSAGE","content":"Thanks! It should show within 3–5 business days."}',
  'long '.repeat(2000),
];

async function stage(conn: DuckDBConnection, values: (string | null)[]): Promise<void> {
  await conn.run('CREATE OR REPLACE TABLE staged (i INTEGER, s VARCHAR)');
  await conn.run('CREATE OR REPLACE TABLE bound (i INTEGER, s VARCHAR)');
  const writer = createChunkWriter([{ name: 'i', type: 'integer' }, { name: 's', type: 'string' }], ['i']);
  const rows: Row[] = values.map((s, i) => [i, s]);
  writer.validate(rows);
  const appender = await conn.createAppender('staged');
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    appender.appendDataChunk(writer.fill(rows, start, Math.min(CHUNK_ROWS, rows.length - start)));
  }
  appender.flushSync();
  appender.closeSync();
  const insert = await conn.prepare('INSERT INTO bound VALUES ($1, $2)');
  for (const [i, s] of values.entries()) {
    insert.bindInteger(1, i);
    if (s === null) insert.bindNull(2);
    else insert.bindVarchar(2, asStored(s));
    await insert.run();
  }
}

async function mismatches(conn: DuckDBConnection): Promise<unknown[]> {
  const reader = await conn.runAndReadAll(`
    SELECT i, staged.s AS staged, bound.s AS bound FROM staged JOIN bound USING (i)
    WHERE staged.s IS DISTINCT FROM bound.s OR hash(staged.s) <> hash(bound.s) OR strlen(staged.s) <> strlen(bound.s)
       OR (staged.s IS NULL) <> (bound.s IS NULL) OR NOT (staged.s = bound.s) IS NOT FALSE`);
  return reader.getRowObjectsJson();
}

async function withConnection(fn: (conn: DuckDBConnection) => Promise<void>): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await fn(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

test('strings staged by the chunk writer are the strings DuckDB stores from bound parameters', async () => {
  await withConnection(async (conn) => {
    // Every value next to every other (a surrogate half next to its other half included),
    // over several chunks, with NULLs in between and in first place.
    const values: (string | null)[] = [null];
    for (let i = 0; values.length < 3 * CHUNK_ROWS; i++) {
      values.push(AWKWARD[i % AWKWARD.length]!, AWKWARD[(i * 7 + 3) % AWKWARD.length]!);
      if (i % 5 === 0) values.push(null);
    }
    await stage(conn, values);
    assert.deepEqual(await mismatches(conn), []);
    const back = (await conn.runAndReadAll('SELECT s FROM staged ORDER BY i')).getRows().map((r) => r[0]);
    assert.deepEqual(back, values.map((s) => (s === null ? null : asStored(s))));
  });
});

test('columns of a few bytes in all, of NULLs only, and of one huge value stage intact', async () => {
  await withConnection(async (conn) => {
    // Each few-byte column follows one that leaves multi-byte UTF-8 in the writer's scratch.
    const multiByte = ['é'.repeat(40)];
    for (const values of [multiByte, ['a'], multiByte, ['', 'b', ''], multiByte, [null, 'tiny', null], [null, null], ['é'], ['big '.repeat(300_000), 'x']]) {
      await stage(conn, values);
      assert.deepEqual(await mismatches(conn), [], JSON.stringify(values).slice(0, 60));
      assert.equal(Number((await conn.runAndReadAll('SELECT count(*) FROM staged')).getRows()[0]![0]), values.length);
    }
  });
});
