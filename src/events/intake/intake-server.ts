/**
 * The event intake: Segment's HTTP tracking API, so `@segment/analytics-node` (and any
 * Segment library pointed at it) works unchanged.
 *
 *   POST /v1/track|identify|page|screen|group|alias   one event      (32 KB)
 *   POST /v1/batch (also /v1/import)                 { batch: [...], context?, integrations?, sentAt? } (500 KB)
 *   POST /v1/delete                                  { userId } or { userIds: [...] }: delete users at the destinations
 *   GET  /health                                     200 when serving (no auth)
 *
 * Auth: HTTP Basic with the write key as user name (or `writeKey` in the body), else 401.
 * A 200 means every accepted event is on disk. Bad input gets a 400 with the reason and
 * nothing of it is queued; in a batch, bad events are listed (`rejected`) and the good ones
 * kept. If the queue cannot write, 503 with Retry-After: the client keeps its events.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SupportSyncError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { silentLogger } from '../../core/logger.ts';
import { redactError } from '../../core/redact.ts';
import type { EventQueue } from '../queue/event-queue.ts';
import type { EventType } from '../segment-event.ts';
import type { AcceptResult, EventIntake } from './accept-events.ts';
import { MAX_BATCH_BYTES, MAX_EVENT_BYTES } from './event-validation.ts';
import { readBody } from './read-body.ts';
import { createWriteKeyCheck } from './write-key-auth.ts';

export interface IntakeServerOptions {
  /** Validates, routes and stores; resolves when on disk. */
  intake: EventIntake;
  /** For counters of refused requests. */
  queue: EventQueue;
  writeKeys: readonly string[];
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  log?: Logger;
  /** Called after events were stored (wakes the delivery workers). */
  onAccepted?: () => void;
}

export interface IntakeServer {
  /** `http://HOST:PORT`: the `host` to give analytics-node. */
  url: string;
  port: number;
  close(): Promise<void>;
}

type Route = { kind: 'event'; type: EventType } | { kind: 'batch' } | { kind: 'delete' };

const ROUTES = new Map<string, Route>();
for (const type of ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const) {
  ROUTES.set(`/v1/${type}`, { kind: 'event', type });
  ROUTES.set(`/v1/${type[0]}`, { kind: 'event', type }); // analytics.js short forms
}
for (const path of ['/v1/batch', '/v1/b', '/v1/import']) ROUTES.set(path, { kind: 'batch' });
ROUTES.set('/v1/delete', { kind: 'delete' });

const MAX_DELETE_IDS = 100;
/** Room for the envelope around a single event (writeKey, sentAt). */
const SINGLE_BODY_SLACK = 1024;

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, GET, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, content-encoding',
  'access-control-max-age': '86400',
};

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...CORS, ...headers });
  res.end(text);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function startIntakeServer(options: IntakeServerOptions): Promise<IntakeServer> {
  const { queue, intake } = options;
  const log = options.log ?? silentLogger;
  const keys = createWriteKeyCheck(options.writeKeys);

  const unauthorized = (res: ServerResponse) => {
    queue.addCounts({ '@intake': { unauthorized: 1 } }).catch(() => {});
    send(res, 401, { success: false, error: 'invalid write key: send it as the Basic auth user name (analytics-node does this with writeKey)' }, { 'www-authenticate': 'Basic realm="supportsync"' });
  };

  async function store(res: ServerResponse, run: () => Promise<AcceptResult>, single: boolean): Promise<void> {
    let result: AcceptResult;
    try {
      result = await run();
    } catch (err) {
      log.error('event intake: the queue refused a write; answering 503 so the client retries', { error: redactError(err) });
      send(res, 503, { success: false, error: 'the event queue cannot store events right now; retry later' }, { 'retry-after': '5' });
      return;
    }
    if (result.accepted > 0) options.onAccepted?.();
    if (single) {
      if (result.rejected.length) send(res, 400, { success: false, error: result.rejected[0]!.reason });
      else send(res, 200, { success: true });
      return;
    }
    if (result.rejected.length && result.accepted + result.duplicates === 0) {
      send(res, 400, { success: false, error: `no valid event in the batch (${result.rejected.length} rejected)`, rejected: result.rejected });
      return;
    }
    send(res, 200, { success: true, accepted: result.accepted, duplicates: result.duplicates, ...(result.rejected.length ? { rejected: result.rejected } : {}) });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '') || '/';
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS);
      res.end();
      return;
    }
    if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) return send(res, 200, { ok: true });
    const route = ROUTES.get(path);
    if (!route) {
      req.resume();
      return send(res, 404, { success: false, error: `no such endpoint ${path}; expected POST /v1/track, /v1/identify, /v1/page, /v1/screen, /v1/group, /v1/alias, /v1/batch or /v1/delete` });
    }
    if (req.method !== 'POST') {
      req.resume();
      return send(res, 405, { success: false, error: `${path} takes POST` }, { allow: 'POST, OPTIONS' });
    }
    const headerKey = keys.fromHeader(req.headers);
    if (headerKey === null || (headerKey !== undefined && !keys.isValid(headerKey))) {
      req.resume();
      return unauthorized(res);
    }

    const limit = route.kind === 'batch' ? MAX_BATCH_BYTES : route.kind === 'event' ? MAX_EVENT_BYTES + SINGLE_BODY_SLACK : 64 * 1024;
    const what = route.kind === 'batch' ? 'the batch' : route.kind === 'event' ? 'the event' : 'the request';
    const body = await readBody(req, limit, what, route.kind === 'event' ? MAX_EVENT_BYTES : limit);
    if (!body.ok) return send(res, body.status, { success: false, error: body.reason });
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.text);
    } catch (err) {
      return send(res, 400, { success: false, error: `malformed JSON: ${(err as Error).message}` });
    }
    if (!isObject(parsed)) return send(res, 400, { success: false, error: 'the body must be a JSON object' });
    if (headerKey === undefined && !keys.isValid(parsed.writeKey)) return unauthorized(res);

    const receivedAtMs = Date.now();
    if (route.kind === 'event') {
      delete parsed.writeKey;
      return store(res, () => intake.acceptEvents([parsed], { type: route.type, receivedAtMs }), true);
    }
    if (route.kind === 'batch') {
      if (!Array.isArray(parsed.batch)) return send(res, 400, { success: false, error: 'batch must be an array of events' });
      const envelope = { receivedAtMs, sentAt: parsed.sentAt, context: parsed.context, integrations: parsed.integrations };
      return store(res, () => intake.acceptEvents(parsed.batch as unknown[], envelope), false);
    }
    const ids = parsed.userIds ?? (parsed.userId === undefined ? undefined : [parsed.userId]);
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_DELETE_IDS || !ids.every((id) => (typeof id === 'string' && id.trim() !== '') || typeof id === 'number')) {
      return send(res, 400, { success: false, error: `expected { "userId": "..." } or { "userIds": [...] } with 1 to ${MAX_DELETE_IDS} non-empty ids` });
    }
    try {
      const queued = await intake.acceptDeletions(ids.map(String), receivedAtMs);
      options.onAccepted?.();
      log.info('user deletion queued', { users: queued });
      send(res, 200, { success: true, queued });
    } catch (err) {
      log.error('event intake: the queue refused a deletion', { error: redactError(err) });
      send(res, 503, { success: false, error: 'the event queue cannot store the request right now; retry later' }, { 'retry-after': '5' });
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log.error('event intake: request failed', { error: redactError(err) });
      if (!res.headersSent) send(res, 500, { success: false, error: 'internal error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new SupportSyncError(
          `the event intake cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 8787}: ${err.code === 'EADDRINUSE' ? 'the port is in use' : err.message}; change intake.port (or intake.host) in the config`,
          { code: 'INTAKE_LISTEN', phase: 'config', cause: err },
        ),
      ),
    );
    server.listen(options.port ?? 8787, options.host ?? '127.0.0.1', () => {
      server.removeAllListeners('error');
      const { port, address } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      resolve({
        url: `http://${host}:${port}`,
        port,
        // Requests in progress finish (their events get stored and acknowledged); idle keep-alive connections go now.
        close: () =>
          new Promise<void>((done) => {
            const force = setTimeout(() => server.closeAllConnections(), 5_000);
            server.close(() => {
              clearTimeout(force);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
