/** Small helpers for answering with node:http. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Sends JSON with a Content-Length. With `truncate`, only the first half is sent and the
 * connection is dropped: the client sees a premature end of body, as on a real cut.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, opts: { truncate?: boolean } = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  if (status === 204) {
    res.writeHead(204).end();
    return;
  }
  const bytes = Buffer.from(text);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length });
  if (opts.truncate) {
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
    return;
  }
  res.end(bytes);
}

/** Reads a JSON request body (empty body = `{}`); throws on invalid JSON or more than 1 MB. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1_000_000) throw new Error('request body larger than 1 MB');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  return text === '' ? {} : JSON.parse(text);
}
