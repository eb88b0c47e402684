/**
 * `/__emulator/*`: what tests and benchmarks use to look inside and to steer. Never rate
 * limited, authenticated or faulted.
 *   GET  stats    {requests, throttled, byRoute, byStatus, faults}
 *   GET  counts   {customers, conversation_items, agents, topics}: distinct ids in the
 *                 visible COMPLETED jobs (what a client merging on id ends with); `jobs`:
 *                 every job /export/jobs lists, and `jobsByStatus`
 *   POST mutate   see mutate.ts
 *   GET|POST faults   the fault spec in force (POST replaces it)
 *   GET|POST clock    {"now"}; POST {"advanceMs": n} moves emulator time forward
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultSpec } from './faults.ts';
import { validateFaults } from './faults.ts';
import { readJson, sendJson } from './http-io.ts';
import type { JobCounts } from './job-store.ts';
import type { MutateResult } from './mutate.ts';
import { MutateError } from './mutate.ts';

export interface EmulatorStats {
  requests: number;
  throttled: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  /** Faults applied, by kind. */
  faults: Record<string, number>;
}

export interface HookTarget {
  stats(): EmulatorStats;
  counts(): JobCounts;
  mutate(body: unknown): MutateResult;
  faults(): FaultSpec;
  setFaults(spec: FaultSpec): void;
  now(): Date;
  /** Moves emulator time forward and applies what became due. */
  advance(ms: number): void;
}

export async function handleHook(req: IncomingMessage, res: ServerResponse, pathname: string, t: HookTarget): Promise<void> {
  const route = `${req.method} ${pathname.slice('/__emulator/'.length)}`;
  const fail = (status: number, message: string) => sendJson(res, status, { error: message });
  try {
    switch (route) {
      case 'GET stats':
        return sendJson(res, 200, t.stats());
      case 'GET counts':
        return sendJson(res, 200, t.counts());
      case 'POST mutate':
        return sendJson(res, 200, t.mutate(await readJson(req)));
      case 'GET faults':
        return sendJson(res, 200, t.faults());
      case 'POST faults':
        t.setFaults(validateFaults(await readJson(req), 'faults'));
        return sendJson(res, 200, t.faults());
      case 'GET clock':
        return sendJson(res, 200, { now: t.now().toISOString() });
      case 'POST clock': {
        const body = (await readJson(req)) as { advanceMs?: unknown };
        const ms = body.advanceMs;
        if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return fail(400, '"advanceMs" must be a non-negative number');
        t.advance(ms);
        return sendJson(res, 200, { now: t.now().toISOString() });
      }
      default:
        return fail(404, `no test hook ${route}; hooks: GET stats, GET counts, POST mutate, GET|POST faults, GET|POST clock`);
    }
  } catch (err) {
    if (err instanceof MutateError) return fail(err.status, err.message);
    if (err instanceof SyntaxError) return fail(400, `invalid JSON body: ${err.message}`);
    const e = err as { code?: string; message?: string };
    return fail(e.code === 'CONFIG_INVALID' || e.code === 'USAGE' ? 400 : 500, e.message ?? String(err));
  }
}
