/**
 * Gladly's export jobs: listing them, reading their fields defensively, and putting them in
 * the order they must be applied. `updatedAt` carries 0 to 9 fractional digits
 * (`...19.07272933Z` is later than `...19.072Z` but sorts first as text), so jobs are
 * ordered by the parsed instant at nanosecond precision, never by string.
 */
import { HttpError, SupportSyncError } from '../../core/errors.ts';
import type { HttpClient } from '../../core/http/http-client.ts';
import { cursorKey, keyToIso, keyMinusMs, type CursorKey } from '../http-stream/cursor-values.ts';

export type JobStatus = 'PENDING' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface ExportJob {
  id: string;
  status: JobStatus | string;
  /** As Gladly gave it: saved in the state and in `_job_updated_at`. */
  updatedAt: string;
  /** The instant of `updatedAt`, as a key that compares correctly as a string. */
  key: CursorKey;
  /** The export window (`parameters.startAt` / `endAt`), when given. */
  windowStart?: string;
  windowEnd?: string;
  windowEndKey?: CursorKey;
  files: string[];
}

/** Gladly keeps jobs and files for 14 days; `startAt` may not reach further back. */
export const RETENTION_MS = 14 * 86_400_000;
/** Listing starts this far before the cursor: cheap (one request either way) and safe against coarse server-side filtering. */
export const LIST_OVERLAP_MS = 3_600_000;
/** Kept clear of the 14-day limit so a small clock difference with Gladly does not turn `startAt` into a 400. */
const RETENTION_MARGIN_MS = 15 * 60_000;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** One job from the list; throws when a field the order depends on is unusable. */
export function parseExportJob(raw: unknown): ExportJob {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const id = str(o.id);
  const updatedAt = str(o.updatedAt);
  const key = updatedAt === undefined ? undefined : cursorKey(updatedAt);
  if (id === undefined || updatedAt === undefined || key === undefined) {
    throw new SupportSyncError(
      `Gladly listed an export job without a usable id and updatedAt (${JSON.stringify(raw).slice(0, 200)}); jobs cannot be put in order without them.`,
      { code: 'GLADLY_BAD_JOB', phase: 'source' },
    );
  }
  const params = (o.parameters && typeof o.parameters === 'object' ? o.parameters : {}) as Record<string, unknown>;
  const windowEnd = str(params.endAt);
  return {
    id,
    status: str(o.status) ?? 'UNKNOWN',
    updatedAt,
    key,
    windowStart: str(params.startAt),
    windowEnd,
    windowEndKey: windowEnd === undefined ? undefined : cursorKey(windowEnd),
    files: Array.isArray(o.files) ? o.files.filter((f): f is string => typeof f === 'string') : [],
  };
}

/**
 * Oldest first by the instant of `updatedAt`. Jobs of the same instant are applied in the
 * order of their export windows (the later window's records win), then by id, so the
 * order never depends on how the API happened to list them.
 */
export function compareJobs(a: ExportJob, b: ExportJob): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  const wa = a.windowEndKey ?? '';
  const wb = b.windowEndKey ?? '';
  if (wa !== wb) return wa < wb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface JobListing {
  /** Every job listed (any status), oldest first. */
  jobs: ExportJob[];
  /** The `startAt` sent; undefined when the whole 14-day window was listed. */
  startAt?: string;
}

export interface ListOptions {
  /** The saved cursor's key: listing starts an overlap before it. */
  after?: CursorKey;
  label?: string;
  signal?: AbortSignal;
  onRequest?: () => void;
  now?: number;
}

/**
 * Lists the jobs of every status (one request; the list is a bare array, at most 14 days).
 * Statuses other than COMPLETED are never read but are worth reporting (FAILED windows hold
 * no data). `startAt` is sent only when it lies inside the retention window; if Gladly still
 * rejects it (its clock differs from ours), the whole window is listed instead.
 */
export async function listExportJobs(client: HttpClient, opts: ListOptions = {}): Promise<JobListing> {
  const now = opts.now ?? Date.now();
  let startAt: string | undefined;
  if (opts.after !== undefined) {
    const from = keyToIso(keyMinusMs(opts.after, LIST_OVERLAP_MS));
    if (Date.parse(from) > now - RETENTION_MS + RETENTION_MARGIN_MS) startAt = from;
  }
  const get = (query: [string, string][]) =>
    client.get<unknown>('/export/jobs', { query, label: opts.label, signal: opts.signal, onRequest: opts.onRequest });
  let body: unknown;
  try {
    body = await get(startAt ? [['startAt', startAt]] : []);
  } catch (err) {
    if (!(startAt && err instanceof HttpError && err.status === 400)) throw err;
    startAt = undefined;
    body = await get([]);
  }
  if (!Array.isArray(body)) {
    throw new SupportSyncError(
      `GET /export/jobs answered ${JSON.stringify(body).slice(0, 200)} instead of a list of jobs; check baseUrl (it must end in /api/v1).`,
      { code: 'GLADLY_BAD_JOB_LIST', phase: 'source' },
    );
  }
  return { jobs: body.map(parseExportJob).sort(compareJobs), startAt };
}
