/**
 * Reads a request body up to a byte limit (after gzip/deflate decoding, which Segment's API
 * accepts), so an oversized or endless body costs at most `limit` bytes of memory.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

export type BodyResult = { ok: true; text: string } | { ok: false; status: number; reason: string };

/** `shown` is the limit named in messages when `limit` includes room for an envelope. */
export function readBody(req: IncomingMessage, limit: number, what: string, shown = limit): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity' && Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve({ ok: false, status: 400, reason: `${what} is ${declared} bytes; at most ${shown} (${Math.round(shown / 1024)} KB) are accepted` });
  }
  let source: Readable = req;
  if (encoding === 'gzip' || encoding === 'x-gzip') source = req.pipe(createGunzip());
  else if (encoding === 'deflate') source = req.pipe(createInflate());
  else if (encoding !== 'identity') {
    req.resume();
    return Promise.resolve({ ok: false, status: 415, reason: `unsupported content-encoding "${encoding}"; send identity, gzip or deflate` });
  }

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    source.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        finish({ ok: false, status: 400, reason: `${what} is larger than ${shown} bytes (${Math.round(shown / 1024)} KB), the most accepted` });
        // Keep reading (and dropping) so the answer can be sent on a healthy connection.
        req.unpipe?.();
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    source.on('end', () => finish({ ok: true, text: Buffer.concat(chunks, size).toString('utf8') }));
    source.on('error', (err) => finish({ ok: false, status: 400, reason: `cannot read the body: ${err.message}` }));
    req.on('aborted', () => finish({ ok: false, status: 400, reason: 'the client aborted the request' }));
  });
}
