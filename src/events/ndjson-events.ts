/**
 * Reads Segment-spec events from NDJSON (one JSON object per line; blank lines and lines
 * starting with `//` are skipped), from a file or `-` for stdin, in chunks so a large file
 * never sits in memory whole.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export type NdjsonItem = { line: number; value: unknown } | { line: number; error: string };

export async function* readNdjson(source: string | Readable, chunkSize = 500): AsyncGenerator<NdjsonItem[]> {
  const input = typeof source === 'string' ? (source === '-' ? process.stdin : createReadStream(source)) : source;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let chunk: NdjsonItem[] = [];
  let n = 0;
  for await (const text of lines) {
    n++;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('//')) continue;
    try {
      chunk.push({ line: n, value: JSON.parse(trimmed) });
    } catch (err) {
      chunk.push({ line: n, error: `malformed JSON: ${(err as Error).message}` });
    }
    if (chunk.length >= chunkSize) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}
