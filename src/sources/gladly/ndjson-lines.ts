/**
 * Splits a byte stream of NDJSON into lines without ever holding more than one chunk and
 * one partial line: export files can be gigabytes. Lines are handed out per chunk (an
 * array), because an async step per line would cost more than parsing it.
 *
 * Only `\n` ends a line. A raw U+2028 or U+2029 inside a JSON string is valid JSON, and
 * splitters that treat it as a line break (some readline-style ones) corrupt the record; a
 * trailing `\r` is JSON whitespace and needs no stripping.
 *
 * Lines are split on the bytes and each is decoded on its own (no UTF-8 sequence contains the
 * newline byte, and a character cut across two chunks is decoded once its line is whole). Why
 * not decode each chunk and split the text: one non-ASCII character makes V8 hold the whole
 * chunk, and every line sliced from it, as two-byte text, which parses and encodes slower. In
 * Gladly's data about one line in eight has one, which put nearly every line in a two-byte
 * chunk: splitting and parsing 32 MB of items took 138-166 ms this way against 178-225 ms.
 */
import { Buffer } from 'node:buffer';

/** Stands in for a line longer than the limit: it never parses, so it is counted as malformed. */
export const OVERLONG_LINE = '\u0000<line longer than the limit>';

/** A line this long is not a record but a broken file (or no newlines at all): stop buffering it. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

const NEWLINE = 0x0a;

export interface NdjsonLinesOptions {
  maxLineBytes?: number;
  /** Set to true when the last line ended without a newline (a cut download looks like that). */
  tail?: { unterminated: boolean };
}

export async function* ndjsonLines(chunks: AsyncIterable<Uint8Array>, opts: NdjsonLinesOptions = {}): AsyncGenerator<string[], void, undefined> {
  const max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  /** The bytes of a line begun in earlier chunks (copies: a producer may reuse its chunks). */
  let carry: Buffer[] = [];
  let carried = 0;
  /** Inside an over-long line: drop bytes until its end. */
  let discarding = false;
  let first = true;
  const decode = (bytes: Buffer, start: number, end: number): string => {
    const line = bytes.toString('utf8', start, end);
    if (!first) return line;
    first = false;
    return line.charCodeAt(0) === 0xfeff ? line.slice(1) : line; // a byte order mark is not data
  };

  for await (const chunk of chunks) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lines: string[] = [];
    let start = 0;
    let nl = bytes.indexOf(NEWLINE);
    if (nl !== -1 && (discarding || carried > 0)) {
      if (discarding) {
        lines.push(OVERLONG_LINE);
        discarding = false;
        first = false;
      } else {
        // Finish the line begun in earlier chunks.
        carry.push(bytes.subarray(0, nl));
        lines.push(decode(Buffer.concat(carry, carried + nl), 0, carried + nl));
        carry = [];
        carried = 0;
      }
      start = nl + 1;
      nl = bytes.indexOf(NEWLINE, start);
    }
    for (; nl !== -1; nl = bytes.indexOf(NEWLINE, start)) {
      lines.push(decode(bytes, start, nl));
      start = nl + 1;
    }
    if (start < bytes.length && !discarding) {
      carry.push(Buffer.from(bytes.subarray(start)));
      carried += bytes.length - start;
      if (carried > max) {
        carry = [];
        carried = 0;
        discarding = true;
      }
    }
    if (lines.length > 0) yield lines;
  }
  if (opts.tail) opts.tail.unterminated = discarding || carried > 0;
  if (discarding) yield [OVERLONG_LINE];
  else if (carried > 0) yield [decode(Buffer.concat(carry, carried), 0, carried)]; // the last line may lack its newline
}
