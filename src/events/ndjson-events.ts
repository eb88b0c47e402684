/**
 * Reads Segment-spec events from NDJSON (one JSON object per line; blank lines and lines
 * starting with `//` are skipped), from a file or `-` for stdin, in chunks so a large file
 * never sits in memory whole.
 */
import { closeSync, createReadStream, fstatSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { UsageError } from '../core/errors.ts';
import { describeFsError } from '../core/describe-fs-error.ts';

/**
 * Opens the events file (`-` is stdin) at once, so that a missing or unreadable file is a
 * usage error found before anything is queued or sent. The caller reads it with readNdjson
 * and destroys it if it never does.
 */
export function openNdjsonInput(path: string): Readable {
  if (path === '-') return process.stdin;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    throw new UsageError(`cannot read events file "${path}": ${describeFsError(err)} (expected an NDJSON file, or - for stdin)`);
  }
  return createReadStream(path, { fd });
}

export type NdjsonItem = { line: number; value: unknown } | { line: number; error: string };

export async function* readNdjson(source: string | Readable, chunkSize = 500): AsyncGenerator<NdjsonItem[]> {
  const input = typeof source === 'string' ? openNdjsonInput(source) : source;
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
