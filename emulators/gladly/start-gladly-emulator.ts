/**
 * A Gladly export API on node:http, for tests, benchmarks and `supportsync demo`. Clients
 * talk to it exactly as to `https://{org}.gladly.com`; only the base URL differs
 * (`${url}/api/v1`). Every API request goes through the same steps: stats, rate limit,
 * faults, authentication, route. Test hooks live under `/__emulator/`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHttpServer } from '../shared/http-server.ts';
import { API_ROUTES, matchRoute } from './api-routes.ts';
import type { ApiUser } from './basic-auth.ts';
import { authenticate } from './basic-auth.ts';
import { createDataModel } from './data-model.ts';
import { createEmulatorClock } from './emulator-clock.ts';
import type { ScheduleFrequency } from './export-schedule.ts';
import { createExportSchedule } from './export-schedule.ts';
import type { FaultSpec } from './faults.ts';
import { createFaultDice, validateFaults } from './faults.ts';
import { NOT_FOUND, gladlyErrors } from './gladly-error.ts';
import { sendJson } from './http-io.ts';
import type { JobCounts } from './job-store.ts';
import { createJobStore } from './job-store.ts';
import type { MutateResult } from './mutate.ts';
import { mutate } from './mutate.ts';
import type { RateLimit } from './rate-limiter.ts';
import { DEFAULT_RATE_LIMIT, createRateLimiter } from './rate-limiter.ts';
import type { EmulatorStats } from './test-hooks.ts';
import { TOO_MANY_REQUESTS, answerRequestFault } from './request-faults.ts';
import { handleHook } from './test-hooks.ts';

export interface GladlyEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  seed?: number;
  /** Data volume: ~30 conversation items and ~4 new customers per hour of window per unit (default 1). */
  scale?: number;
  /** Default 10 requests per 1000 ms; `false` or `null` (shared `parseRateLimit('off')`) disables. */
  rateLimit?: RateLimit | false | null;
  faults?: FaultSpec;
  email?: string;
  token?: string;
  /** More accounts; `apiUser: false` ones get 403. */
  extraUsers?: ApiUser[];
  /** Emulator time at start (default: real time); it then runs at the real pace. */
  now?: Date;
  schedule?: ScheduleFrequency;
  /** Length of each automatic step PENDING → IN_PROGRESS → COMPLETED (default 300000). */
  completeAfterMs?: number;
  /** Makes the newest completed job's conversation_items.jsonl about this many bytes. */
  bigFileBytes?: number;
}

export interface GladlyEmulator {
  /** Server origin, e.g. `http://127.0.0.1:4020`. */
  url: string;
  /** `${url}/api/v1`: what a client's `baseUrl` should be. */
  apiBase: string;
  port: number;
  email: string;
  token: string;
  /** Set when `bigFileBytes` was given. */
  bigFileJobId?: string;
  stats(): EmulatorStats;
  counts(): JobCounts;
  mutate(body: unknown): MutateResult;
  setFaults(spec: FaultSpec): void;
  now(): Date;
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function startGladlyEmulator(opts: GladlyEmulatorOptions = {}): Promise<GladlyEmulator> {
  const scale = opts.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`scale must be a positive number, got ${scale}`);
  const email = opts.email ?? 'agent@example.com';
  const token = opts.token ?? 'test-token';
  const users: ApiUser[] = [{ email, token }, ...(opts.extraUsers ?? [])];
  const model = createDataModel(opts.seed ?? 1, scale);
  const clock = createEmulatorClock(opts.now);
  const schedule = createExportSchedule(opts.schedule ?? 'hourly', model.seed);
  const store = createJobStore({ model, schedule, clock, completeAfterMs: opts.completeAfterMs ?? 300_000, bigFileBytes: opts.bigFileBytes });
  let faults = validateFaults(opts.faults ?? {}, 'faults');
  const roll = createFaultDice(model.seed);
  const takeRate = createRateLimiter(opts.rateLimit === undefined ? DEFAULT_RATE_LIMIT : opts.rateLimit);
  const stats: EmulatorStats = { requests: 0, throttled: 0, byRoute: {}, byStatus: {}, faults: {} };
  let mutations = 0;
  const bump = (table: Record<string, number>, key: string) => (table[key] = (table[key] ?? 0) + 1);

  // What the test hooks and the returned handle offer. Time-dependent ones tick first.
  const hooks = {
    stats: (): EmulatorStats => structuredClone(stats),
    counts(): JobCounts {
      store.tick();
      return store.counts();
    },
    mutate(body: unknown): MutateResult {
      store.tick();
      return mutate(store, model, body, ++mutations);
    },
    faults: (): FaultSpec => ({ ...faults }),
    setFaults(spec: FaultSpec): void {
      faults = validateFaults(spec, 'faults');
    },
    now: (): Date => new Date(clock.nowMs()),
    advance(ms: number): void {
      clock.advance(ms);
      store.tick();
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    // Dates on our answers follow emulator time, so a client can read the server's "now".
    res.setHeader('Date', new Date(clock.nowMs()).toUTCString());
    if (url.pathname.startsWith('/__emulator/')) {
      store.tick();
      return handleHook(req, res, url.pathname, hooks);
    }

    stats.requests++;
    const match = matchRoute(method, url.pathname);
    bump(stats.byRoute, match && 'route' in match ? `${method} ${match.route.path}` : `${method} (unknown path)`);
    res.once('close', () => bump(stats.byStatus, String(res.statusCode)));

    const rate = takeRate();
    if (Number.isFinite(rate.limit)) {
      res.setHeader('Ratelimit-Limit-Second', rate.limit);
      res.setHeader('Ratelimit-Remaining-Second', rate.remaining);
    }
    if (!rate.allowed) {
      stats.throttled++;
      return sendJson(res, 429, TOO_MANY_REQUESTS);
    }
    const spec = faults;
    const draw = roll(spec);
    const applied = (fault: string) => bump(stats.faults, fault);
    if (spec.latencyMs) await sleep(spec.latencyMs);
    if (answerRequestFault(draw.fault, req, res)) {
      applied(draw.fault!);
      if (draw.fault === 'status429') stats.throttled++;
      return;
    }

    const auth = authenticate(req.headers.authorization, users);
    if (auth !== 'ok') {
      if (auth === 'forbidden') return sendJson(res, 403, gladlyErrors({ code: 'forbidden', detail: 'user does not have the API User permission' }));
      res.setHeader('WWW-Authenticate', 'Basic realm="Gladly"');
      return sendJson(res, 401, gladlyErrors(
        auth === 'missing'
          ? { attr: 'Authorization', code: 'blank', detail: 'authentication not provided: use HTTP Basic with the agent email and an API token' }
          : { attr: 'Authorization', code: 'invalid', detail: 'invalid agent email or API token' },
      ));
    }
    if (!match) return sendJson(res, 404, NOT_FOUND);
    if ('allowed' in match) {
      res.setHeader('Allow', match.allowed.join(', '));
      return sendJson(res, 405, gladlyErrors({ code: 'method_not_allowed', detail: `use ${match.allowed.join(' or ')}` }));
    }
    store.tick();
    await match.route.handle({ req, res, url, params: match.params, store, model, schedule, nowNs: clock.nowNs(), faults: spec, draw, applied });
  }

  const server = await startHttpServer(
    (req, res) =>
      handle(req, res).catch((err: Error) => {
        // A bug must not take the emulator down: answer once in Gladly's shape, keep serving.
        if (!res.headersSent) sendJson(res, 500, gladlyErrors({ code: 'internal_error', detail: err.message }));
        else res.destroy();
      }),
    { port: opts.port, host: opts.host },
  );
  return {
    url: server.url,
    apiBase: `${server.url}/api/v1`,
    port: server.port,
    email,
    token,
    bigFileJobId: store.bigFileJobId,
    ...hooks,
    close: () => server.close(), // also ends keep-alive sockets and downloads in flight
  };
}

/** The routes this emulator serves, for `--help` texts and docs. */
export const GLADLY_ROUTES = API_ROUTES.map((r) => `${r.method} ${r.path}`);
