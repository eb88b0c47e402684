/**
 * The request pipeline of the Gleap emulator, in the order a request meets it:
 *   test hooks (/__emulator/*: served directly, never counted, limited or faulted)
 *   -> statistics -> injected faults (latency, reset, hang, 5xx, 429)
 *   -> authentication (v3: Bearer key + Project header; /admin: Api-Token)
 *   -> rate limit (per project, shared by v3 and /admin) -> route -> response
 *   (-> truncated body, when that fault was drawn).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonBody, BodyError } from '../../shared/read-json-body.ts';
import { encodeReply } from '../../shared/reply.ts';
import type { Reply } from '../../shared/reply.ts';
import { createRouter } from '../../shared/router.ts';
import type { RouteResult } from '../../shared/router.ts';
import type { FaultKind } from '../../shared/faults.ts';
import { QueryError } from '../query/parse-list-query.ts';
import { registerAdminRoutes } from '../routes/admin-routes.ts';
import { registerHookRoutes } from '../routes/hook-routes.ts';
import { registerReadRoutes } from '../routes/read-routes.ts';
import { fail } from '../routes/route-context.ts';
import type { Handler, RouteContext } from '../routes/route-context.ts';
import { registerSessionRoutes } from '../routes/session-routes.ts';
import { registerStatisticsRoutes } from '../routes/statistics-routes.ts';
import { registerTemplateRoutes } from '../routes/template-routes.ts';
import type { GleapStore } from '../store/gleap-store.ts';
import type { EmulatorState } from './emulator-state.ts';

const FAULT_REPLIES: Partial<Record<FaultKind, Reply>> = {
  status500: { status: 500, body: { message: 'Internal server error' } },
  status502: { status: 502, body: { message: 'Bad gateway' } },
  status503: { status: 503, body: { message: 'Service unavailable' } },
};

export function createGleapHandler(store: GleapStore, state: EmulatorState) {
  const api = createRouter<Handler>();
  registerReadRoutes(api);
  registerSessionRoutes(api);
  registerTemplateRoutes(api);
  registerStatisticsRoutes(api);
  registerAdminRoutes(api);
  const hooks = createRouter<Handler>();
  registerHookRoutes(hooks);

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    const base = { store, state, method, rawPath, rawQuery, params: {}, body: undefined as unknown };

    if (rawPath.startsWith('/__emulator/')) {
      const reply = await bodyOr(req, async (body) => dispatch(hooks.match(method, rawPath), { ...base, body }));
      send(res, reply, false);
      return;
    }

    const isV3 = rawPath.startsWith('/v3/') || rawPath === '/v3';
    const isAdmin = rawPath.startsWith('/admin/');
    const match = api.match(method, rawPath);
    const routeKey = match.kind === 'found' ? match.route : `${method} (unmatched)`;
    state.stats.requests++;
    state.stats.byRoute[routeKey] = (state.stats.byRoute[routeKey] ?? 0) + 1;

    const decision = state.faults.decide();
    if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
    const fault = decision.fault;
    if (fault) state.stats.faults[fault] = (state.stats.faults[fault] ?? 0) + 1;
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'timeout') {
      req.resume(); // hang: read the body, never answer; close() or the client ends it
      return;
    }
    const injected = fault ? FAULT_REPLIES[fault] ?? (fault === 'status429' ? tooMany(state) : undefined) : undefined;
    if (injected) {
      req.resume();
      answer(res, state, injected, false);
      return;
    }

    const reply = await bodyOr(req, async (body) => {
      if (!isV3 && !isAdmin) return fail(404, 'Not found');
      const denied = isV3 ? checkApiKey(req, state) : checkSecretToken(req, state);
      if (denied) return denied;
      if (state.limiter && !state.limiter.tryTake(state.project, Date.now())) return tooMany(state);
      return dispatch(match, { ...base, body });
    });
    answer(res, state, reply, fault === 'truncate');
  };
}

/** Sends an API answer; every 429 (rate limit or injected) counts as throttled. */
function answer(res: ServerResponse, state: EmulatorState, reply: Reply, truncate: boolean): void {
  if (reply.status === 429) state.stats.throttled++;
  send(res, reply, truncate);
}

function dispatch(match: RouteResult<Handler>, ctx: RouteContext): Reply {
  switch (match.kind) {
    case 'not-found':
      return fail(404, 'Not found');
    case 'bad-path':
      return fail(400, 'Malformed percent-encoding in the path');
    case 'method-not-allowed':
      return { ...fail(405, 'Method not allowed'), headers: { allow: match.allowed.join(', ') } };
    case 'found':
      try {
        return match.handler({ ...ctx, params: match.params });
      } catch (err) {
        if (err instanceof QueryError) return fail(400, err.message);
        throw err;
      }
  }
}

/** Reads the JSON body and runs `fn`, or answers the body's error (400, 413). */
async function bodyOr(req: IncomingMessage, fn: (body: unknown) => Promise<Reply>): Promise<Reply> {
  let body: unknown;
  try {
    body = await readJsonBody(req);
  } catch (err) {
    if (err instanceof BodyError) return fail(err.status, err.message);
    throw err;
  }
  return fn(body);
}

function checkApiKey(req: IncomingMessage, state: EmulatorState): Reply | null {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!m || m[1].trim() !== state.apiKey) return fail(401, 'Unauthorized');
  const project = req.headers.project;
  if (typeof project !== 'string' || project.trim() !== state.project) return fail(403, 'Forbidden');
  return null;
}

function checkSecretToken(req: IncomingMessage, state: EmulatorState): Reply | null {
  const token = req.headers['api-token'];
  return typeof token === 'string' && token.trim() === state.secretToken ? null : fail(401, 'Unauthorized');
}

function tooMany(state: EmulatorState): Reply {
  const reply = fail(429, 'Too many requests');
  if (!state.retryAfter) return reply;
  const waitMs = state.limiter?.waitMs(state.project, Date.now()) ?? 1000;
  return { ...reply, headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) } };
}

function send(res: ServerResponse, reply: Reply, truncate: boolean): void {
  const { status, headers, payload } = encodeReply(reply);
  res.writeHead(status, headers);
  if (!truncate || !payload || payload.length < 2) {
    res.end(payload ?? undefined);
    return;
  }
  // Declared length, half the bytes, then the connection drops.
  res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.destroy());
}
