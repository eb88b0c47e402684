/**
 * The organization's export jobs and their life: the last 14 days of an hourly or daily
 * schedule, built at start-up from the seed; later windows appear on the emulator clock;
 * PENDING → IN_PROGRESS → COMPLETED (or FAILED) on a timer or on demand; jobs older than
 * 14 days disappear. Each job keeps only its plan (index lists and counts): files are
 * generated when downloaded and the test-hook counts are computed from the plans.
 */
import type { DataModel } from './data-model.ts';
import type { EmulatorClock } from './emulator-clock.ts';
import { itemsForBytes } from './export-file-lines.ts';
import type { ExportSchedule } from './export-schedule.ts';
import { IdKind, gladlyId } from './gladly-id.ts';
import type { JobPlan, PlannedJob } from './job-plan.ts';
import { planJob } from './job-plan.ts';
import { createRng, hash } from './prng.ts';
import { NS_PER_MS, formatNs, formatSeconds, msToNs } from './rfc3339.ts';
import { createUpdateStamper } from './update-stamper.ts';

export type JobStatus = 'PENDING' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
export const JOB_STATUSES: readonly JobStatus[] = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED'];
export const isFinal = (s: JobStatus): boolean => s === 'COMPLETED' || s === 'FAILED';

export const RETENTION_MS = 14 * 86_400_000;
const RETENTION_NS = BigInt(RETENTION_MS) * NS_PER_MS;

export interface ExportJob extends PlannedJob {
  id: string;
  status: JobStatus;
  updatedNs: bigint;
  /** As served: RFC 3339 with 0 to 9 fractional digits. */
  updatedAt: string;
  deleted: boolean;
  /** Status changes still to come, in time order (emulator clock). */
  transitions: Array<{ atMs: number; status: JobStatus }>;
}

export interface JobCounts {
  customers: number;
  conversation_items: number;
  agents: number;
  topics: number;
  /** Every job `/export/jobs` lists, whatever its status (the records above come from COMPLETED ones only). */
  jobs: number;
  jobsByStatus: Record<string, number>;
}

export interface JobStoreOptions {
  model: DataModel;
  schedule: ExportSchedule;
  clock: EmulatorClock;
  /** Length of each automatic step PENDING → IN_PROGRESS → COMPLETED. */
  completeAfterMs: number;
  /** Inflate the newest completed job's conversation_items.jsonl to about this size. */
  bigFileBytes?: number;
}

export type RemoveResult = { ok: true } | { ok: false; reason: 'not_found' } | { ok: false; reason: 'not_final'; status: JobStatus };

export interface JobStore {
  scheduleId: string;
  scheduleUpdatedAt: string;
  /** The job whose conversation_items.jsonl was inflated by `bigFileBytes`. */
  bigFileJobId?: string;
  /** Applies what is due by now (new scheduled jobs, status changes). Call before each answer. */
  tick(): void;
  /** Jobs a client can see (not deleted, not expired), newest window first. */
  visible(): ExportJob[];
  find(id: string): ExportJob | undefined;
  bySeq(seq: number): ExportJob;
  remove(id: string): RemoveResult;
  /** New COMPLETED jobs for the next windows of the schedule, with new and recurring records. */
  create(count: number, opts?: { items?: number; bytes?: number }): ExportJob[];
  /** A COMPLETED job for the next window holding exactly these records (no item re-export). */
  createWithRecords(records: { customers?: number[]; agents?: number[]; topics?: number[]; items?: number; repeat?: JobPlan['repeat'] }): ExportJob;
  /** Never-used customer indices, reserved. */
  newCustomers(count: number): number[];
  /** Distinct record indices of one kind across visible COMPLETED jobs: what a client holds. */
  completedIndices(kind: 'customers' | 'agents' | 'topics'): number[];
  /** Ends one job (by id) or the n oldest unfinished ones; throws JobStoreError on a bad id. */
  finish(ref: string | number, status: 'COMPLETED' | 'FAILED'): ExportJob[];
  counts(): JobCounts;
  nextStartAt(): string;
}

export class JobStoreError extends Error {
  constructor(message: string, readonly status: 404 | 409) {
    super(message);
  }
}

/**
 * Fractions given to jobs that completed in the same second (after an incident). In
 * instant order; as text `.07272933` < `.0728` < `.072` < `.5`, so string order differs.
 */
const SAME_SECOND_FRACTIONS_NS = [72_000_000n, 72_729_330n, 72_800_000n, 500_000_000n];

export function createJobStore(o: JobStoreOptions): JobStore {
  const { model: m, schedule, clock } = o;
  const rng = createRng(hash(m.seed, 41));
  const hours = schedule.periodMs / 3_600_000;
  const jobs: ExportJob[] = [];
  const byId = new Map<string, ExportJob>();
  const active = new Set<ExportJob>();
  const cursor = { next: m.baseCustomers };
  const stamp = createUpdateStamper(clock, rng);

  const setUpdated = (job: ExportJob, ns: bigint) => {
    stamp.observe(ns);
    job.updatedNs = ns;
    job.updatedAt = formatNs(ns);
  };

  function spawn(k: number, items?: number, fixedPlan?: JobPlan): ExportJob {
    const seq = jobs.length;
    const prev = jobs[seq - 1];
    const plan: JobPlan = fixedPlan ?? planJob(m, createRng(hash(m.seed, 42, seq)), {
      hours,
      customerCursor: cursor,
      previous: prev && { seq: prev.seq, items: prev.plan.items },
      allowEmpty: items === undefined,
      items,
    });
    const job: ExportJob = {
      seq, id: gladlyId(m.seed, IdKind.job, seq), windowStartMs: schedule.windowStartMs(k),
      windowEndMs: schedule.windowStartMs(k + 1), plan, status: 'PENDING', updatedNs: 0n, updatedAt: '',
      deleted: false, transitions: [],
    };
    jobs.push(job);
    byId.set(job.id, job);
    return job;
  }
  /** About one window in fifty fails. */
  const failsAtRandom = (k: number) => hash(m.seed, 43, k) % 50 === 0;
  const schedulePipeline = (job: ExportJob, fromMs: number, steps: JobStatus[]) => {
    job.transitions = steps.map((status, i) => ({ atMs: fromMs + (i + 1) * o.completeAfterMs, status }));
    if (job.transitions.length) active.add(job);
  };

  // ---- the 14 days before start ----
  const startMs = clock.nowMs();
  const horizonMs = startMs - RETENTION_MS;
  let nextWindow = schedule.windowAt(horizonMs) - Math.ceil((6 * 3_600_000) / schedule.periodMs);
  const windows: number[] = [];
  for (; schedule.createdAtMs(nextWindow) <= startMs; nextWindow++) {
    if (schedule.createdAtMs(nextWindow) + schedule.runMs(nextWindow) >= horizonMs) windows.push(nextWindow);
  }
  const n = windows.length;
  const hourly = schedule.frequency === 'HOURLY';
  const clusters = (hourly ? [n - 30, n - 120, n - 250].map((s) => [s, s + 1, s + 2]) : [[n - 8, n - 7]]).filter((c) => c[0] >= 0 && c[c.length - 1] < n - 2);
  const inCluster = new Set(clusters.flat());
  const forcedFailure = hourly ? n - 60 : n - 4;
  const finalMs = (k: number) => Math.min(startMs - 1, schedule.createdAtMs(k) + schedule.runMs(k));
  windows.forEach((k, i) => {
    const job = spawn(k);
    if (i === n - 1) {
      setUpdated(job, stamp.historic(schedule.createdAtMs(k)));
      schedulePipeline(job, startMs, ['IN_PROGRESS', 'COMPLETED']);
    } else if (i === n - 2) {
      job.status = 'IN_PROGRESS';
      setUpdated(job, stamp.historic(Math.min(startMs - 1, schedule.createdAtMs(k) + 60_000)));
      schedulePipeline(job, startMs, ['COMPLETED']);
    } else {
      const fails = !inCluster.has(i) && (i === forcedFailure || (hourly && failsAtRandom(k)));
      job.status = fails ? 'FAILED' : 'COMPLETED';
      setUpdated(job, stamp.historic(finalMs(k)));
    }
  });
  for (const cluster of clusters) {
    const secondNs = msToNs(Math.floor(finalMs(windows[cluster[cluster.length - 1]]) / 1000) * 1000);
    cluster.forEach((i, j) => setUpdated(jobs[i], secondNs + SAME_SECOND_FRACTIONS_NS[j]));
  }
  let bigFileJobId: string | undefined;
  if (o.bigFileBytes) {
    const target = [...jobs].reverse().find((j) => j.status === 'COMPLETED');
    if (target) {
      target.plan.items = itemsForBytes(m, target, o.bigFileBytes);
      bigFileJobId = target.id;
    }
  }

  // ---- the running schedule ----
  function tick(): void {
    const now = clock.nowMs();
    for (;;) {
      let due: ExportJob | undefined;
      for (const job of active) if (job.transitions[0].atMs <= now && (!due || job.transitions[0].atMs < due.transitions[0].atMs)) due = job;
      const createdAt = schedule.createdAtMs(nextWindow);
      if (createdAt <= now && (!due || createdAt <= due.transitions[0].atMs)) {
        const k = nextWindow++;
        const job = spawn(k);
        setUpdated(job, stamp.due(createdAt));
        schedulePipeline(job, createdAt, ['IN_PROGRESS', failsAtRandom(k) ? 'FAILED' : 'COMPLETED']);
        continue;
      }
      if (!due) return;
      const step = due.transitions.shift()!;
      due.status = step.status;
      setUpdated(due, stamp.due(step.atMs));
      if (!due.transitions.length) active.delete(due);
    }
  }

  const isVisible = (job: ExportJob, nowNs: bigint) => !job.deleted && job.updatedNs >= nowNs - RETENTION_NS;
  const visible = (): ExportJob[] => {
    const nowNs = clock.nowNs();
    return jobs.filter((j) => isVisible(j, nowNs)).reverse();
  };
  const find = (id: string): ExportJob | undefined => {
    const job = byId.get(id);
    return job && isVisible(job, clock.nowNs()) ? job : undefined;
  };
  const end = (job: ExportJob, status: 'COMPLETED' | 'FAILED') => {
    job.status = status;
    job.transitions = [];
    active.delete(job);
    setUpdated(job, stamp.now());
  };

  return {
    scheduleId: gladlyId(m.seed, IdKind.schedule, 0),
    scheduleUpdatedAt: formatNs(msToNs(schedule.windowStartMs(windows[0] ?? nextWindow) - 3 * 86_400_000) + 72_729_330n),
    bigFileJobId,
    tick,
    visible,
    find,
    bySeq: (seq) => jobs[seq],
    remove(id) {
      const job = find(id);
      if (!job) return { ok: false, reason: 'not_found' };
      if (!isFinal(job.status)) return { ok: false, reason: 'not_final', status: job.status };
      job.deleted = true;
      return { ok: true };
    },
    create(count, opts = {}) {
      return Array.from({ length: count }, () => {
        const job = spawn(nextWindow++, opts.items ?? (opts.bytes ? 1 : undefined));
        if (opts.bytes) job.plan.items = itemsForBytes(m, job, opts.bytes);
        end(job, 'COMPLETED');
        return job;
      });
    },
    createWithRecords(r) {
      const items = r.items ?? 0;
      // Items need customers to belong to: reuse the job's, or pick known ones.
      const customers = r.customers ?? [];
      const itemCustomers = customers.length || !items ? customers : [rng.int(0, cursor.next - 1)];
      const plan: JobPlan = { customers: itemCustomers, agents: r.agents ?? [], topics: r.topics ?? [], items, repeat: r.repeat ?? null, emptyListed: [] };
      const job = spawn(nextWindow++, undefined, plan);
      end(job, 'COMPLETED');
      return job;
    },
    newCustomers(count) {
      const first = cursor.next;
      cursor.next += count;
      return Array.from({ length: count }, (_, i) => first + i);
    },
    completedIndices(kind) {
      const all = new Set<number>();
      for (const j of visible()) if (j.status === 'COMPLETED') j.plan[kind].forEach((x) => all.add(x));
      return [...all].sort((a, b) => a - b);
    },
    finish(ref, status) {
      if (typeof ref === 'number') {
        const open = visible().filter((j) => !isFinal(j.status)).reverse().slice(0, ref);
        open.forEach((j) => end(j, status));
        return open;
      }
      const job = find(ref);
      if (!job) throw new JobStoreError(`no visible job with id ${ref}`, 404);
      if (isFinal(job.status)) throw new JobStoreError(`job ${ref} is already ${job.status}`, 409);
      end(job, status);
      return [job];
    },
    counts() {
      const done = visible().filter((j) => j.status === 'COMPLETED');
      const doneSeqs = new Set(done.map((j) => j.seq));
      const customers = new Set<number>();
      const agents = new Set<number>();
      const topics = new Set<number>();
      let items = 0;
      for (const { plan } of done) {
        plan.customers.forEach((c) => customers.add(c));
        plan.agents.forEach((a) => agents.add(a));
        plan.topics.forEach((t) => topics.add(t));
        items += plan.items;
        // Re-exported items are new ids only when their first job is not itself counted.
        if (plan.repeat && !doneSeqs.has(plan.repeat.fromSeq)) items += plan.repeat.count;
      }
      const jobsByStatus: Record<string, number> = {};
      for (const j of visible()) jobsByStatus[j.status] = (jobsByStatus[j.status] ?? 0) + 1;
      return { customers: customers.size, conversation_items: items, agents: agents.size, topics: topics.size, jobs: visible().length, jobsByStatus };
    },
    nextStartAt: () => formatSeconds(schedule.windowStartMs(nextWindow)),
  };
}
