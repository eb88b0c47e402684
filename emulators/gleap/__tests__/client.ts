/** A few fetch helpers for the Gleap emulator tests (real HTTP, no mocks). */
import { request } from 'node:http';
import type { GleapEmulator } from '../gleap-emulator.ts';

export const AUTH = { Authorization: 'Bearer test-api-key', Project: 'test-project' };
export const ADMIN = { 'Api-Token': 'test-secret-token' };
export const NOW = new Date('2025-06-01T12:00:00.000Z');

export type Json = Record<string, any>;

export async function call(
  e: GleapEmulator,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(e.url + path, {
    method,
    headers: { ...(opts.headers ?? AUTH), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: type.includes('json') && text ? JSON.parse(text) : text, headers: res.headers };
}

export async function get(e: GleapEmulator, path: string, headers?: Record<string, string>) {
  return call(e, 'GET', path, { headers });
}

/** GET that must answer 200; returns the body. */
export async function ok(e: GleapEmulator, path: string): Promise<any> {
  const r = await get(e, path);
  if (r.status !== 200) throw new Error(`GET ${path} -> ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Reads a whole list with limit/skip; `key` picks the array out of an object body. */
export async function readAll(e: GleapEmulator, path: string, pageSize: number, key?: string): Promise<Json[]> {
  const out: Json[] = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let skip = 0; ; skip += pageSize) {
    const body = await ok(e, `${path}${sep}limit=${pageSize}&skip=${skip}`);
    const items: Json[] = key ? body[key] : body;
    out.push(...items);
    if (items.length < pageSize) return out;
  }
}

export async function hook(e: GleapEmulator, method: string, path: string, body?: unknown): Promise<any> {
  const r = await call(e, method, `/__emulator/${path}`, { headers: {}, body });
  if (r.status !== 200) throw new Error(`${method} /__emulator/${path} -> ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/**
 * GET with the path sent byte for byte. fetch (WHATWG URL) percent-encodes `<` and `>` in
 * a query but not `=`, so only a raw request can send a literal `updatedAt>=...`.
 */
export function rawGet(e: GleapEmulator, pathAndQuery: string, headers: Record<string, string> = AUTH): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${e.url}/`, { method: 'GET', path: pathAndQuery, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}
