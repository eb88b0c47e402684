/**
 * A handler's answer as plain data, and its encoding into status, headers and bytes.
 * Encoding is separate from sending so that fault injection can tamper with the bytes.
 */
import type { ServerResponse } from 'node:http';

export interface Reply {
  status: number;
  /** Serialized as JSON unless `text` is given. */
  body?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Serializes a reply into bytes and headers, without sending (so faults can tamper). */
export function encodeReply(reply: Reply): { status: number; headers: Record<string, string>; payload: Buffer | null } {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: Buffer | null = null;
  if (reply.text !== undefined) {
    payload = Buffer.from(reply.text, 'utf8');
    headers['content-type'] = reply.contentType ?? 'text/plain; charset=utf-8';
  } else if (reply.body !== undefined) {
    payload = Buffer.from(JSON.stringify(reply.body), 'utf8');
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(payload?.length ?? 0);
  return { status: reply.status, headers, payload };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const encoded = encodeReply({ status, body, headers });
  res.writeHead(encoded.status, encoded.headers);
  res.end(encoded.payload ?? undefined);
}
