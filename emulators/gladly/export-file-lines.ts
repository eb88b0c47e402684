/**
 * The lines of one export file, generated lazily from the job's plan. Customers, agents
 * and topics carry the job's sequence number as their version, so a later job exports
 * newer values for the same ids. Re-exported items come first: they are older.
 */
import type { ItemSource } from './conversation-item.ts';
import { conversationItem } from './conversation-item.ts';
import type { DataModel } from './data-model.ts';
import type { ExportFile, PlannedJob } from './job-plan.ts';
import { agentRecord, customerRecord, topicRecord } from './records.ts';

export const itemSourceOf = (job: PlannedJob): ItemSource => ({
  seq: job.seq,
  windowStartMs: job.windowStartMs,
  windowEndMs: job.windowEndMs,
  itemCount: job.plan.items,
  customers: job.plan.customers,
});

export function* exportFileLines(
  m: DataModel,
  job: PlannedJob,
  file: ExportFile,
  jobBySeq: (seq: number) => PlannedJob,
): Generator<string> {
  const { plan, seq } = job;
  switch (file) {
    case 'customers.jsonl':
      for (const c of plan.customers) yield JSON.stringify(customerRecord(m, c, seq));
      return;
    case 'agents.jsonl':
      for (const a of plan.agents) yield JSON.stringify(agentRecord(m, a, seq));
      return;
    case 'topics.jsonl':
      for (const t of plan.topics) yield JSON.stringify(topicRecord(m, t, seq));
      return;
    case 'conversation_items.jsonl': {
      if (plan.repeat) {
        const from = itemSourceOf(jobBySeq(plan.repeat.fromSeq));
        for (let i = 0; i < plan.repeat.count; i++) yield JSON.stringify(conversationItem(m, from, i));
      }
      const src = itemSourceOf(job);
      for (let i = 0; i < plan.items; i++) yield JSON.stringify(conversationItem(m, src, i));
      return;
    }
  }
}

/** How many items make a conversation_items file of about `bytes` bytes (measured on a sample). */
export function itemsForBytes(m: DataModel, job: PlannedJob, bytes: number): number {
  const sampleSize = 3_000;
  const src = { ...itemSourceOf(job), itemCount: Math.max(sampleSize, job.plan.items) };
  let total = 0;
  for (let i = 0; i < sampleSize; i++) total += Buffer.byteLength(JSON.stringify(conversationItem(m, src, i))) + 1;
  return Math.max(1, Math.round(bytes / (total / sampleSize)));
}
