/**
 * `POST /__emulator/mutate`: make the organization change, the way Gladly would show it:
 * through new export jobs.
 *   {"resource":"jobs","create":n[,"items":k|"bytes":b]}  n new COMPLETED jobs (new + recurring records)
 *   {"resource":"jobs","complete":"<id>"|n}             finish a PENDING/IN_PROGRESS job (or the n oldest)
 *   {"resource":"jobs","fail":"<id>"|n}                 the same, ending FAILED
 *   {"resource":"customers"|"agents"|"topics","count":n,"create":m}
 *       one new COMPLETED job re-exporting n known records (newer versions) and m new ones
 *   {"resource":"conversation_items","count":n,"create":m}
 *       one new COMPLETED job exporting n known items again (same ids) and m new ones
 * The answer lists the affected ids (records, or jobs for "jobs") and the jobs it touched.
 */
import { conversationItem } from './conversation-item.ts';
import type { DataModel } from './data-model.ts';
import { itemSourceOf } from './export-file-lines.ts';
import type { ExportJob, JobStore } from './job-store.ts';
import { createRng, hash, sample } from './prng.ts';

export interface MutateRequest {
  resource: string;
  create?: number;
  count?: number;
  complete?: string | number;
  fail?: string | number;
  items?: number;
  bytes?: number;
}

export interface MutateResult {
  ids: string[];
  jobs: Array<{ id: string; status: string; updatedAt: string }>;
}

export const MUTABLE_RESOURCES = ['jobs', 'customers', 'agents', 'topics', 'conversation_items'] as const;

export class MutateError extends Error {
  constructor(message: string, readonly status: 400 | 404 | 409 = 400) {
    super(message);
  }
}

const count = (body: Record<string, unknown>, key: string, max = 100_000): number | undefined => {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new MutateError(`"${key}" must be an integer between 0 and ${max}`);
  return v;
};

const ref = (body: Record<string, unknown>, key: string): string | number | undefined => {
  const v = body[key];
  if (v === undefined || typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  throw new MutateError(`"${key}" must be a job id or a number of jobs`);
};

export function mutate(store: JobStore, m: DataModel, raw: unknown, salt: number): MutateResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new MutateError('body must be a JSON object');
  const body = raw as Record<string, unknown>;
  const resource = body.resource;
  if (!MUTABLE_RESOURCES.includes(resource as never)) throw new MutateError(`"resource" must be one of ${MUTABLE_RESOURCES.join(', ')}`);
  const summary = (jobs: ExportJob[]) => jobs.map((j) => ({ id: j.id, status: j.status, updatedAt: j.updatedAt }));

  if (resource === 'jobs') {
    const touched: ExportJob[] = [];
    const create = count(body, 'create', 10_000);
    const items = count(body, 'items', 100_000_000);
    const bytes = count(body, 'bytes', 100 * 2 ** 30);
    const complete = ref(body, 'complete');
    const fail = ref(body, 'fail');
    if (create === undefined && complete === undefined && fail === undefined) throw new MutateError('give "create", "complete" or "fail"');
    try {
      if (complete !== undefined) touched.push(...store.finish(complete, 'COMPLETED'));
      if (fail !== undefined) touched.push(...store.finish(fail, 'FAILED'));
    } catch (err) {
      const status = (err as { status?: number }).status;
      throw new MutateError((err as Error).message, status === 404 || status === 409 ? status : 400);
    }
    if (create) touched.push(...store.create(create, { items, bytes }));
    return { ids: touched.map((j) => j.id), jobs: summary(touched) };
  }

  const updates = count(body, 'count') ?? 0;
  const creates = count(body, 'create') ?? 0;
  if (updates + creates === 0) throw new MutateError('give "count" (records to update) and/or "create" (new records)');
  const rng = createRng(hash(m.seed, 71, salt));
  if (resource === 'conversation_items') {
    // Items never change; "updating" one means a later job exports it again (same id).
    const source = store.visible().find((j) => j.status === 'COMPLETED' && j.plan.items > 0);
    const repeat = updates && source ? { fromSeq: source.seq, count: Math.min(updates, source.plan.items) } : null;
    const job = store.createWithRecords({ items: creates, repeat });
    const again = repeat ? Array.from({ length: repeat.count }, (_, i) => conversationItem(m, itemSourceOf(source!), i).id as string) : [];
    const src = itemSourceOf(job);
    return { ids: [...again, ...Array.from({ length: creates }, (_, i) => conversationItem(m, src, i).id as string)], jobs: summary([job]) };
  }
  const kind = resource as 'customers' | 'agents' | 'topics';
  const known = store.completedIndices(kind);
  const updated = sample(rng, known.length, updates).map((i) => known[i]);
  let fresh: number[];
  if (kind === 'customers') fresh = store.newCustomers(creates);
  else {
    // Pools grow: later conversation items may name the new agents and topics too.
    const key = kind === 'agents' ? 'agentPool' : 'topicPool';
    fresh = Array.from({ length: creates }, (_, i) => m[key] + i);
    m[key] += creates;
  }
  const indices = [...updated, ...fresh];
  const job = store.createWithRecords({ [kind]: indices });
  const idOf = kind === 'customers' ? m.customerId : kind === 'agents' ? m.agentId : m.topicId;
  return { ids: indices.map((i) => idOf(i)), jobs: summary([job]) };
}
