/** The NDJSON line splitter: any chunking of the bytes gives the same lines. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ndjsonLines, OVERLONG_LINE } from '../ndjson-lines.ts';

async function* chunked(bytes: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let start = 0;
  for (const cut of [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b)) {
    yield bytes.subarray(start, cut);
    start = cut;
  }
  yield bytes.subarray(start);
}

async function lines(bytes: Buffer, cuts: number[] = [], maxLineBytes?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of ndjsonLines(chunked(bytes, cuts), { maxLineBytes })) out.push(...batch);
  return out;
}

describe('ndjsonLines', () => {
  test('splits on \\n only: CRLF keeps its \\r (JSON whitespace), U+2028 stays inside its line, a last line without newline counts', async () => {
    const text = '{"a":1}\r\n{"b":"x\u2028y\u2029z"}\n\n{"c":3}';
    assert.deepEqual(await lines(Buffer.from(text)), ['{"a":1}\r', '{"b":"x\u2028y\u2029z"}', '', '{"c":3}']);
  });

  test('a byte order mark is dropped, even when split across chunks', async () => {
    const bytes = Buffer.from('\uFEFF{"a":1}\n');
    assert.deepEqual(await lines(bytes, [1, 2]), ['{"a":1}']);
  });

  test('multi-byte characters cut between chunks stay whole, at every cut position', async () => {
    const text = '{"name":"Zo\u00eb \u00c5s \u{1F600} \u4e2d\u6587"}\n{"n":2}\n';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      assert.deepEqual(await lines(bytes, [cut]), text.split('\n').slice(0, -1), `cut at byte ${cut}`);
    }
  });

  test('any chunking gives the lines of the text (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: fc.constantFrom('a', '\u00e9', '\u{1F600}', ' ', '"', '\r', '\u2028', '{', '}') }), { maxLength: 12 }),
        fc.array(fc.nat({ max: 400 }), { maxLength: 8 }),
        async (parts, cuts) => {
          const text = parts.join('\n');
          const expected = text.split('\n');
          if (expected.at(-1) === '') expected.pop(); // a final newline ends the last line, it starts none
          assert.deepEqual(await lines(Buffer.from(text), cuts), expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a line beyond the limit becomes one OVERLONG_LINE marker; the next lines are intact', async () => {
    const long = 'x'.repeat(1000);
    assert.deepEqual(await lines(Buffer.from(`{"a":1}\n${long}\n{"b":2}\n`), [10, 300, 700], 100), ['{"a":1}', OVERLONG_LINE, '{"b":2}']);
    assert.deepEqual(await lines(Buffer.from(`{"a":1}\n${long}`), [10, 300], 100), ['{"a":1}', OVERLONG_LINE]);
  });
});
