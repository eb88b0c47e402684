/**
 * Splits a byte stream of NDJSON into lines without ever holding more than one chunk and
 * one partial line: export files can be gigabytes. Lines are handed out per chunk (an
 * array), because an async step per line would cost more than parsing it.
 *
 * Only `\n` ends a line. A raw U+2028 or U+2029 inside a JSON string is valid JSON, and
 * splitters that treat it as a line break (some readline-style ones) corrupt the record; a
 * trailing `\r` is JSON whitespace and needs no stripping. Bytes are decoded with a
 * streaming decoder, so a multi-byte character cut across two chunks stays whole.
 */
import { StringDecoder } from 'node:string_decoder';

/** Stands in for a line longer than the limit: it never parses, so it is counted as malformed. */
export const OVERLONG_LINE = '\u0000<line longer than the limit>';

/** A line this long is not a record but a broken file (or no newlines at all): stop buffering it. */
export const DEFAULT_MAX_LINE_CHARS = 64 * 1024 * 1024;

export interface NdjsonLinesOptions {
  maxLineChars?: number;
  /** Set to true when the last line ended without a newline (a cut download looks like that). */
  tail?: { unterminated: boolean };
}

export async function* ndjsonLines(chunks: AsyncIterable<Uint8Array>, opts: NdjsonLinesOptions = {}): AsyncGenerator<string[], void, undefined> {
  const max = opts.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  const decoder = new StringDecoder('utf8');
  let carry = '';
  /** Inside an over-long line: drop text until its end. */
  let discarding = false;
  let first = true;

  for await (const chunk of chunks) {
    let text = decoder.write(chunk as Buffer);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a byte order mark is not data
      first = false;
    }
    const lines: string[] = [];
    let start = 0;
    let nl = text.indexOf('\n');
    if (discarding) {
      if (nl === -1) continue;
      discarding = false;
      lines.push(OVERLONG_LINE);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    } else if (carry !== '' && nl !== -1) {
      // Finish the line begun in earlier chunks without copying the rest of this one.
      lines.push(carry + text.slice(0, nl));
      carry = '';
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    for (; nl !== -1; nl = text.indexOf('\n', start)) {
      lines.push(text.slice(start, nl));
      start = nl + 1;
    }
    if (start < text.length) {
      carry = carry === '' ? text.slice(start) : carry + text.slice(start);
      if (carry.length > max) {
        carry = '';
        discarding = true;
      }
    }
    if (lines.length > 0) yield lines;
  }
  const tail = carry + decoder.end();
  if (opts.tail) opts.tail.unterminated = discarding || tail !== '';
  if (discarding) yield [OVERLONG_LINE];
  else if (tail !== '') yield [tail]; // the last line may lack its newline
}
