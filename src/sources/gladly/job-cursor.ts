/**
 * The state of one Gladly stream, and which jobs a run reads from it. Saved with the data
 * it covers (the engine commits both in one transaction):
 *
 *   { cursor: "<updatedAt of the newest job fully read, as given>",
 *     jobId: "<that job>",
 *     jobsAtCursor: ["<ids of every job fully read whose updatedAt is exactly cursor>"],
 *     inJob?: { jobId, updatedAt, records, lastId } }   the job being read: its first
 *                                                       `records` records are committed
 *
 * Jobs strictly older than the cursor are skipped (their records would overwrite newer
 * ones). Jobs at exactly the cursor instant are read again unless `jobsAtCursor` names
 * them: two jobs can share an instant and a run may have stopped between them.
 */
import { cursorKey, type CursorKey } from '../http-stream/cursor-values.ts';
import type { ExportJob } from './export-jobs.ts';

/** Where a file is picked up again: after its first `records` records, the last of which has id `lastId`. */
export type ResumePoint = { records: number; lastId: string | null };

// Type aliases, not interfaces, so that they are assignable to the engine's StreamState record.
export type GladlyState = {
  cursor?: string;
  jobId?: string;
  jobsAtCursor?: string[];
  inJob?: { jobId: string; updatedAt: string } & ResumePoint;
};

export interface ParsedState {
  state: GladlyState;
  key?: CursorKey;
  /** Why a saved state could not be used (the stream then starts over; merging on id loses nothing). */
  problem?: string;
}

export function parseGladlyState(raw: unknown): ParsedState {
  if (raw === undefined || raw === null) return { state: {} };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { state: {}, problem: `the saved state ${JSON.stringify(raw).slice(0, 120)} is not an object` };
  const s = raw as Record<string, unknown>;
  const state: GladlyState = {};
  let key: CursorKey | undefined;
  if (s.cursor !== undefined) {
    key = typeof s.cursor === 'string' ? cursorKey(s.cursor) : undefined;
    if (key === undefined) return { state: {}, problem: `the saved cursor ${JSON.stringify(s.cursor).slice(0, 60)} is not a timestamp` };
    state.cursor = s.cursor as string;
    if (typeof s.jobId === 'string') state.jobId = s.jobId;
    state.jobsAtCursor = Array.isArray(s.jobsAtCursor) ? s.jobsAtCursor.filter((x): x is string => typeof x === 'string') : [];
  }
  const j = s.inJob as Record<string, unknown> | undefined;
  if (j && typeof j.jobId === 'string' && typeof j.updatedAt === 'string' && Number.isSafeInteger(j.records) && (j.records as number) > 0) {
    state.inJob = { jobId: j.jobId, updatedAt: j.updatedAt, records: j.records as number, lastId: typeof j.lastId === 'string' ? j.lastId : null };
  }
  return { state, key };
}

export interface ReadPlan {
  /** COMPLETED jobs to read, oldest first. */
  jobs: ExportJob[];
  /** Where to pick up the first of them, when a run stopped inside it. */
  resume?: ResumePoint;
}

/** Which of the listed jobs (oldest first) this run reads. */
export function planReads(listed: readonly ExportJob[], parsed: ParsedState): ReadPlan {
  const done = new Set(parsed.state.jobsAtCursor ?? []);
  const jobs = listed.filter((job) => {
    if (job.status !== 'COMPLETED') return false;
    if (parsed.key === undefined || job.key > parsed.key) return true;
    return job.key === parsed.key && !done.has(job.id);
  });
  const inJob = parsed.state.inJob;
  // Resuming inside a job is only right if it is still the next one to apply; otherwise it is read whole.
  const resume = inJob && jobs[0]?.id === inJob.jobId && jobs[0].key === cursorKey(inJob.updatedAt)
    ? { records: inJob.records, lastId: inJob.lastId }
    : undefined;
  return { jobs, resume };
}

/** The state once `job` is fully read. */
export function stateAfterJob(prior: GladlyState, priorKey: CursorKey | undefined, job: ExportJob): GladlyState {
  const tie = priorKey === job.key;
  return { cursor: job.updatedAt, jobId: job.id, jobsAtCursor: tie ? [...(prior.jobsAtCursor ?? []), job.id] : [job.id] };
}

/** The state while inside `job`: the jobs before it, plus its first records. */
export function stateInJob(prior: GladlyState, job: ExportJob, at: ResumePoint): GladlyState {
  const { inJob: _drop, ...rest } = prior;
  return { ...rest, inJob: { jobId: job.id, updatedAt: job.updatedAt, ...at } };
}
