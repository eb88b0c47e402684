/**
 * What one export job contains, decided when the job is created and kept as a few index
 * lists and counts. Files are generated from the plan when they are downloaded, and
 * `/__emulator/counts` is computed from the plans without reading any file.
 */
import type { DataModel } from './data-model.ts';
import type { Rng } from './prng.ts';
import { sample } from './prng.ts';

export const EXPORT_FILES = ['agents.jsonl', 'conversation_items.jsonl', 'customers.jsonl', 'topics.jsonl'] as const;
export type ExportFile = (typeof EXPORT_FILES)[number];

export interface JobPlan {
  /** Customer indices: customers created or updated in the window. */
  customers: number[];
  agents: number[];
  topics: number[];
  /** Conversation items of this window. */
  items: number;
  /** The first `count` items of job `fromSeq` exported again (late arrivals): same ids. */
  repeat: { fromSeq: number; count: number } | null;
  /** Files listed although they hold no record. */
  emptyListed: ExportFile[];
}

export interface PlanOptions {
  hours: number;
  /** Next never-used customer index; advanced by the customers this job creates. */
  customerCursor: { next: number };
  previous?: { seq: number; items: number };
  /** A quiet window may export nothing at all. */
  allowEmpty: boolean;
  items?: number;
}

export function planJob(m: DataModel, rng: Rng, opts: PlanOptions): JobPlan {
  if (opts.allowEmpty && opts.items === undefined && rng.chance(0.02)) {
    return { customers: [], agents: [], topics: [], items: 0, repeat: null, emptyListed: [] };
  }
  const activity = 0.5 + rng.next();
  const items = opts.items ?? Math.max(1, Math.round(m.itemsPerHour * opts.hours * activity));
  const known = opts.customerCursor.next;
  const fresh = Math.max(1, Math.round(m.newCustomersPerHour * opts.hours * activity));
  opts.customerCursor.next += fresh;
  const customers = [
    ...sample(rng, known, Math.ceil(fresh / 2)),
    ...Array.from({ length: fresh }, (_, i) => known + i),
  ];
  const agents = rng.chance(0.8) ? sample(rng, m.agentPool, rng.int(1, 2 + Math.ceil(opts.hours / 4))) : [];
  const topics = rng.chance(0.6) ? sample(rng, m.topicPool, rng.int(1, 2 + Math.ceil(opts.hours / 8))) : [];
  const emptyListed: ExportFile[] = topics.length === 0 && rng.chance(0.15) ? ['topics.jsonl'] : [];
  const prev = opts.previous;
  const repeat = prev && prev.items > 0 && rng.chance(0.2) ? { fromSeq: prev.seq, count: rng.int(1, Math.min(3, prev.items)) } : null;
  return { customers, agents, topics, items, repeat, emptyListed };
}

/** Number of lines a file of this plan holds. */
export function recordCount(plan: JobPlan, file: ExportFile): number {
  switch (file) {
    case 'agents.jsonl':
      return plan.agents.length;
    case 'customers.jsonl':
      return plan.customers.length;
    case 'topics.jsonl':
      return plan.topics.length;
    case 'conversation_items.jsonl':
      return plan.items + (plan.repeat?.count ?? 0);
  }
}

/** The `files` of a completed job: streams with records, plus files listed empty. */
export const filesOf = (plan: JobPlan): ExportFile[] =>
  EXPORT_FILES.filter((f) => recordCount(plan, f) > 0 || plan.emptyListed.includes(f));

/** The parts of a job that its files are generated from. */
export interface PlannedJob {
  seq: number;
  windowStartMs: number;
  windowEndMs: number;
  plan: JobPlan;
}
