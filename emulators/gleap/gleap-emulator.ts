/**
 * The Gleap API emulator: a real HTTP server with Gleap's REST API (`/v3`), its server API
 * for events (`/admin`), deterministic synthetic data, Gleap's rate limit, fault
 * injection and test hooks (`/__emulator`). Clients point their base URL at it and run
 * unchanged. See README.md in this folder for the behaviour and the choices made.
 */
import { createFaultInjector } from '../shared/faults.ts';
import type { FaultSpec } from '../shared/faults.ts';
import { startHttpServer } from '../shared/http-server.ts';
import { createRateLimiter } from '../shared/rate-limiter.ts';
import type { RateLimit } from '../shared/rate-limiter.ts';
import { emptyStats } from './http/emulator-state.ts';
import type { EmulatorState } from './http/emulator-state.ts';
import { createGleapHandler } from './http/gleap-handler.ts';
import { createGleapStore } from './store/gleap-store.ts';
import type { GleapStore } from './store/gleap-store.ts';

export { parseFaultSpec } from '../shared/faults.ts';
export type { FaultSpec } from '../shared/faults.ts';
export { parseRateLimit } from '../shared/parse-rate-limit.ts';
export type { RateLimit } from '../shared/rate-limiter.ts';
export type { GleapStore } from './store/gleap-store.ts';
export type { EmulatorState, EmulatorStats, ReceivedRequest } from './http/emulator-state.ts';

export interface GleapEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Data seed (default 1): same seed + scale + now, same data (see `now`). */
  seed?: number;
  /** Number of tickets (default 1000); other collections are sized from it. */
  scale?: number;
  /** Default 1000 requests per 60 s per project; null disables limiting. */
  rateLimit?: RateLimit | null;
  /** Add a Retry-After header (seconds) to 429 answers. Default false: Gleap documents none. */
  retryAfter?: boolean;
  /** Faults to inject from the start (see emulators/shared/faults.ts). */
  faults?: FaultSpec;
  /** Accepted `Authorization: Bearer` key (default test-api-key). */
  apiKey?: string;
  /** Accepted `Project` header (default test-project). */
  project?: string;
  /** Accepted `Api-Token` for /admin (default test-secret-token). */
  secretToken?: string;
  /**
   * Where the generated history ends and the emulator's clock starts, for data and a
   * timeline reproducible on any day. Default: the history ends at the start of the
   * current UTC day (the same data all day) and the clock is the real time.
   */
  now?: Date;
  /** How many /admin requests the received log keeps (default 100000). */
  receivedLimit?: number;
}

export interface GleapEmulator {
  /** `http://127.0.0.1:PORT`; the REST API is at `${url}/v3`, the server API at `${url}/admin`. */
  url: string;
  port: number;
  store: GleapStore;
  state: EmulatorState;
  close(): Promise<void>;
}

export const GLEAP_EMULATOR_DEFAULTS = {
  apiKey: 'test-api-key',
  project: 'test-project',
  secretToken: 'test-secret-token',
  seed: 1,
  scale: 1000,
  rateLimit: { requests: 1000, perMs: 60_000 } as RateLimit,
} as const;

export async function startGleapEmulator(opts: GleapEmulatorOptions = {}): Promise<GleapEmulator> {
  const d = GLEAP_EMULATOR_DEFAULTS;
  const seed = opts.seed ?? d.seed;
  const project = opts.project ?? d.project;
  const wall = Date.now();
  const now = opts.now?.getTime() ?? startOfUtcDay(wall);
  if (!Number.isFinite(now)) throw new RangeError(`now must be a valid Date, got ${String(opts.now)}`);
  const clockStart = opts.now ? now : wall;
  const store = createGleapStore({ seed, scale: opts.scale ?? d.scale, now, clockStart, project });
  const rateLimit = opts.rateLimit === undefined ? d.rateLimit : opts.rateLimit;
  const state: EmulatorState = {
    apiKey: opts.apiKey ?? d.apiKey,
    project,
    secretToken: opts.secretToken ?? d.secretToken,
    stats: emptyStats(),
    limiter: rateLimit ? createRateLimiter(rateLimit) : null,
    retryAfter: opts.retryAfter ?? false,
    faults: createFaultInjector(opts.faults ?? {}, seed),
    received: [],
    receivedLimit: opts.receivedLimit ?? 100_000,
  };
  const server = await startHttpServer(createGleapHandler(store, state), { port: opts.port, host: opts.host });
  return { url: server.url, port: server.port, store, state, close: server.close };
}

/** Midnight UTC of the day `ms` falls in (epoch ms). */
export function startOfUtcDay(ms: number): number {
  return ms - (((ms % 86_400_000) + 86_400_000) % 86_400_000);
}
