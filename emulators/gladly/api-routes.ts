/**
 * The Gladly export API, as published: schedules, jobs (list with filters, get, delete)
 * and job files. Each route is data: method, path template, handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DataModel } from './data-model.ts';
import { exportFileLines } from './export-file-lines.ts';
import type { ExportSchedule } from './export-schedule.ts';
import type { FaultDraw, FaultSpec } from './faults.ts';
import { NOT_FOUND, gladlyErrors } from './gladly-error.ts';
import type { GladlyErrorItem } from './gladly-error.ts';
import { sendJson } from './http-io.ts';
import type { ExportFile } from './job-plan.ts';
import { EXPORT_FILES, filesOf, recordCount } from './job-plan.ts';
import type { ExportJob, JobStatus, JobStore } from './job-store.ts';
import { JOB_STATUSES, RETENTION_MS } from './job-store.ts';
import { NS_PER_MS, formatSeconds, parseRfc3339 } from './rfc3339.ts';
import { streamExportFile } from './stream-export-file.ts';

export interface ApiContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  store: JobStore;
  model: DataModel;
  schedule: ExportSchedule;
  nowNs: bigint;
  faults: FaultSpec;
  draw: FaultDraw;
  /** Records a fault that was actually applied, for `/__emulator/stats`. */
  applied(fault: string): void;
}

export interface ApiRoute {
  method: 'GET' | 'DELETE';
  /** Template, used as the key in `/__emulator/stats`. */
  path: string;
  handle(ctx: ApiContext): void | Promise<void>;
}

/** The job as Gladly serves it. */
export function jobBody(job: ExportJob, scheduleId: string): Record<string, unknown> {
  return {
    id: job.id,
    scheduleId,
    status: job.status,
    updatedAt: job.updatedAt,
    parameters: { type: 'CONVERSATIONS', startAt: formatSeconds(job.windowStartMs), endAt: formatSeconds(job.windowEndMs) },
    files: job.status === 'COMPLETED' ? filesOf(job.plan) : [],
  };
}

const json = (ctx: ApiContext, status: number, body: unknown) => {
  const truncate = ctx.draw.fault === 'truncate' && status !== 204;
  if (truncate) ctx.applied('truncate');
  sendJson(ctx.res, status, body, { truncate });
};

const TIME_HINT = 'must be an ISO 8601 date-time such as 2024-09-15T00:00:00.000Z';

/** Reads status/startAt/endAt the way Gladly validates them: all problems in one 400. */
function jobFilter(ctx: ApiContext): { errors: GladlyErrorItem[]; status?: JobStatus; fromNs: bigint; toNs?: bigint } {
  const q = ctx.url.searchParams;
  const errors: GladlyErrorItem[] = [];
  const oldestNs = ctx.nowNs - BigInt(RETENTION_MS) * NS_PER_MS;
  const status = q.get('status');
  if (status !== null && !JOB_STATUSES.includes(status as JobStatus)) {
    errors.push({ attr: 'status', code: 'invalid', detail: `status must be one of ${JOB_STATUSES.join(', ')}` });
  }
  const time = (name: 'startAt' | 'endAt'): bigint | undefined => {
    const raw = q.get(name);
    if (raw === null) return undefined;
    const ns = parseRfc3339(raw);
    if (ns === null) errors.push({ attr: name, code: 'invalid', detail: `${name} ${TIME_HINT}, got "${raw}"` });
    return ns ?? undefined;
  };
  const fromNs = time('startAt');
  const toNs = time('endAt');
  if (fromNs !== undefined && fromNs < oldestNs) errors.push({ attr: 'startAt', code: 'invalid', detail: 'startAt cannot be more than 14 days ago' });
  if (toNs !== undefined && toNs > ctx.nowNs) errors.push({ attr: 'endAt', code: 'invalid', detail: 'endAt cannot be in the future' });
  if (fromNs !== undefined && toNs !== undefined && toNs < fromNs) errors.push({ attr: 'endAt', code: 'invalid', detail: 'endAt cannot be before startAt' });
  // Without endAt there is no upper bound: "now" on our side is never earlier than a job.
  return { errors, status: (status as JobStatus | null) ?? undefined, fromNs: fromNs ?? oldestNs, toNs };
}

export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/export/schedules',
    handle: (ctx) =>
      json(ctx, 200, [
        {
          id: ctx.store.scheduleId,
          frequency: ctx.schedule.frequency,
          type: 'CONVERSATIONS',
          nextStartAt: ctx.store.nextStartAt(),
          updatedAt: ctx.store.scheduleUpdatedAt,
        },
      ]),
  },
  {
    method: 'GET',
    path: '/api/v1/export/jobs',
    handle(ctx) {
      const f = jobFilter(ctx);
      if (f.errors.length) return json(ctx, 400, gladlyErrors(...f.errors));
      const jobs = ctx.store
        .visible()
        .filter((j) => (!f.status || j.status === f.status) && j.updatedNs >= f.fromNs && (f.toNs === undefined || j.updatedNs <= f.toNs));
      json(ctx, 200, jobs.map((j) => jobBody(j, ctx.store.scheduleId)));
    },
  },
  {
    method: 'GET',
    path: '/api/v1/export/jobs/{jobId}',
    handle(ctx) {
      const job = ctx.store.find(ctx.params.jobId);
      json(ctx, job ? 200 : 404, job ? jobBody(job, ctx.store.scheduleId) : NOT_FOUND);
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/export/jobs/{jobId}',
    handle(ctx) {
      const result = ctx.store.remove(ctx.params.jobId);
      if (result.ok) return json(ctx, 204, undefined);
      if (result.reason === 'not_found') return json(ctx, 404, NOT_FOUND);
      json(ctx, 400, gladlyErrors({ attr: 'status', code: 'temporary_failure', detail: `unable to delete job with status [${result.status}]. Please try again after it has finished` }));
    },
  },
  {
    method: 'GET',
    path: '/api/v1/export/jobs/{jobId}/files/{filename}',
    handle(ctx) {
      const job = ctx.store.find(ctx.params.jobId);
      const file = ctx.params.filename as ExportFile;
      const listed = job?.status === 'COMPLETED' && EXPORT_FILES.includes(file) && filesOf(job.plan).includes(file);
      if (!job || !listed) return json(ctx, 404, NOT_FOUND);
      const { fault, rng } = ctx.draw;
      if (fault === 'missingFile') {
        ctx.applied(fault);
        return sendJson(ctx.res, 404, NOT_FOUND);
      }
      const total = recordCount(job.plan, file);
      const cuts = fault === 'cutFileMidLine' || fault === 'truncate';
      if (cuts) ctx.applied(fault);
      const cut = cuts ? { atLine: rng.int(0, Math.max(1, total) - 1), midLine: fault === 'cutFileMidLine' } : undefined;
      return streamExportFile(ctx.res, exportFileLines(ctx.model, job, file, ctx.store.bySeq), {
        rng,
        malformedLines: ctx.faults.malformedLines ?? 0,
        blankLines: ctx.faults.blankLines ?? 0,
        cut,
      });
    },
  },
];

/** Finds the route for a path: the match, a 405 (path known, method not), or nothing. */
export function matchRoute(method: string, pathname: string): { route: ApiRoute; params: Record<string, string> } | { allowed: string[] } | undefined {
  const allowed: string[] = [];
  for (const route of API_ROUTES) {
    const params = matchPath(route.path, pathname);
    if (!params) continue;
    if (route.method === method) return { route, params };
    allowed.push(route.method);
  }
  return allowed.length ? { allowed } : undefined;
}

function matchPath(template: string, pathname: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    if (w.startsWith('{')) {
      if (!got[i]) return undefined;
      try {
        params[w.slice(1, -1)] = decodeURIComponent(got[i]);
      } catch {
        return undefined;
      }
    } else if (w !== got[i]) return undefined;
  }
  return params;
}
