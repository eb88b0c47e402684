/**
 * Test hooks under /__emulator (never authenticated, rate limited, counted or faulted).
 *   GET    /__emulator/stats        { requests, throttled, byRoute, faults }   (DELETE resets)
 *   GET    /__emulator/counts       live objects per stream
 *   POST   /__emulator/mutate       { resource, count, create? } -> { updated: [ids], created: [ids] }
 *   GET    /__emulator/received     what /admin accepted, in arrival order     (DELETE clears)
 *   GET    /__emulator/faults       the active fault spec; POST replaces it
 *   POST   /__emulator/rate-limit   { requests, perMs } | { rateLimit: "1000/60s" | "off" }
 */
import { parseFaultSpec } from '../../shared/faults.ts';
import { parseRateLimit } from '../../shared/parse-rate-limit.ts';
import { createRateLimiter } from '../../shared/rate-limiter.ts';
import type { RateLimit } from '../../shared/rate-limiter.ts';
import type { Reply } from '../../shared/reply.ts';
import { SupportSyncError } from '../../../src/core/errors.ts';
import { emptyStats } from '../http/emulator-state.ts';
import { RESOURCES } from '../resources/resources.ts';
import type { GleapStore } from '../store/gleap-store.ts';
import { TABLE_NAMES } from '../store/table.ts';
import type { TableName } from '../store/table.ts';
import { fail, objectBody, ok } from './route-context.ts';
import type { GleapRouter, RouteContext } from './route-context.ts';

const ALIASES: Record<string, TableName> = { templates: 'message_templates', users: 'agents', responses: 'survey_responses' };

export function counts(store: GleapStore): Record<TableName, number> {
  return Object.fromEntries(TABLE_NAMES.map((n) => [n, store.table(n).aliveCount])) as Record<TableName, number>;
}

/** Bumps updatedAt of `count` random live objects and creates `create` new ones. */
export function mutate(store: GleapStore, name: TableName, count: number, create: number): { updated: string[]; created: string[] } {
  const table = store.table(name);
  const rng = store.rng;
  const picked = new Set<number>();
  const want = Math.min(count, table.aliveCount);
  if (want === table.aliveCount) {
    for (let i = 0; i < table.size; i++) if (table.alive[i]) picked.add(i);
  } else {
    while (picked.size < want) {
      const i = rng.int(0, table.size - 1);
      if (table.alive[i]) picked.add(i);
    }
  }
  const rows = [...picked];
  if (rows.length) table.touch(rows, rows.map(() => store.clock.stamp()));
  const created = create > 0 ? RESOURCES[name].create(store, rng, create) : [];
  return { updated: rows.map((i) => table.idOf(i)), created: created.map((i) => table.idOf(i)) };
}

function count(value: unknown, key: string): number | string {
  if (value === undefined) return 0;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : `"${key}" must be a non-negative integer`;
}

function mutateRoute(ctx: RouteContext): Reply {
  const body = objectBody(ctx.body);
  const name = typeof body?.resource === 'string' ? (ALIASES[body.resource] ?? body.resource) : '';
  if (!(TABLE_NAMES as readonly string[]).includes(name)) {
    return fail(400, `"resource" must be one of ${TABLE_NAMES.join(', ')}`);
  }
  const n = count(body!.count, 'count');
  const m = count(body!.create, 'create');
  if (typeof n === 'string') return fail(400, n);
  if (typeof m === 'string') return fail(400, m);
  return ok(mutate(ctx.store, name as TableName, n, m));
}

function configError(err: unknown): Reply {
  if (err instanceof SupportSyncError) return fail(400, err.message);
  throw err;
}

export function registerHookRoutes(router: GleapRouter): void {
  router
    .add('GET', '/__emulator/stats', (ctx) => ok(ctx.state.stats))
    .add('DELETE', '/__emulator/stats', (ctx) => {
      ctx.state.stats = emptyStats();
      return ok(ctx.state.stats);
    })
    .add('GET', '/__emulator/counts', (ctx) => ok(counts(ctx.store)))
    .add('POST', '/__emulator/mutate', mutateRoute)
    .add('GET', '/__emulator/received', (ctx) => ok(ctx.state.received))
    .add('DELETE', '/__emulator/received', (ctx) => {
      ctx.state.received.length = 0;
      return ok([]);
    })
    .add('GET', '/__emulator/faults', (ctx) => ok(ctx.state.faults.spec))
    .add('POST', '/__emulator/faults', (ctx) => {
      const body = ctx.body === undefined || ctx.body === null ? {} : ctx.body;
      if (typeof body !== 'string' && objectBody(body) === null) return fail(400, 'Expected a fault spec object');
      try {
        ctx.state.faults.set(parseFaultSpec(body as string | Record<string, unknown>, 'faults'));
      } catch (err) {
        return configError(err);
      }
      return ok(ctx.state.faults.spec);
    })
    .add('POST', '/__emulator/rate-limit', (ctx) => {
      const body = objectBody(ctx.body);
      let limit: RateLimit | null;
      try {
        if (ctx.body === null) limit = null;
        else if (typeof body?.rateLimit === 'string') limit = parseRateLimit(body.rateLimit, 'rateLimit');
        else if (body && typeof body.requests === 'number' && typeof body.perMs === 'number') limit = { requests: body.requests, perMs: body.perMs };
        else return fail(400, 'Expected { "requests": n, "perMs": ms }, { "rateLimit": "1000/60s" | "off" } or null');
        ctx.state.limiter = limit ? createRateLimiter(limit) : null;
      } catch (err) {
        if (err instanceof RangeError) return fail(400, err.message);
        return configError(err);
      }
      if (typeof body?.retryAfter === 'boolean') ctx.state.retryAfter = body.retryAfter;
      return ok({ rateLimit: limit, retryAfter: ctx.state.retryAfter });
    });
}
