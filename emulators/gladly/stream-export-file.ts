/**
 * Writes an export file as NDJSON in ~64 KB chunks, waiting for the socket to drain, so a
 * file of any size streams in constant memory. Line faults (garbage and blank lines) are
 * inserted between records; a cut drops the connection at a chosen line, either on a line
 * boundary or in the middle of the line.
 */
import type { ServerResponse } from 'node:http';
import type { Rng } from './prng.ts';

const CHUNK = 64 * 1024;
const GARBAGE = [
  '{"id":"',
  'not json at all',
  '{"id": "x", "content": {"type": "EMAIL"',
  '<html><body>502 Bad Gateway</body></html>',
  '}{',
  '\u0000\u0000\u0000',
];
const BLANKS = ['', '   ', '\t'];

export interface FileFaults {
  rng: Rng;
  malformedLines: number;
  blankLines: number;
  /** Drop the connection before line `atLine`, or inside it when `midLine`. */
  cut?: { atLine: number; midLine: boolean };
}

export async function streamExportFile(res: ServerResponse, lines: Iterable<string>, faults: FileFaults): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
  let closed = false;
  res.once('close', () => (closed = true));
  const flush = async (chunk: string) => {
    if (closed || chunk === '') return;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  };
  const cutHere = async (buffer: string) => {
    await flush(buffer);
    res.destroy();
  };

  const { rng, malformedLines, blankLines, cut } = faults;
  let buffer = '';
  let index = 0;
  for (const line of lines) {
    if (closed) return;
    if (cut && index === cut.atLine) {
      return cutHere(cut.midLine ? buffer + line.slice(0, Math.max(1, Math.floor(line.length / 2))) : buffer);
    }
    if (malformedLines > 0 && rng.chance(malformedLines)) buffer += rng.pick(GARBAGE) + '\n';
    if (blankLines > 0 && rng.chance(blankLines)) buffer += rng.pick(BLANKS) + '\n';
    buffer += line + '\n';
    index++;
    if (buffer.length >= CHUNK) {
      await flush(buffer);
      buffer = '';
    }
  }
  if (cut) return cutHere(buffer); // a file too short to cut inside: drop the end instead
  if (!closed) res.end(buffer);
}
