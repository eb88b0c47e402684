/**
 * Dead letters: deliveries given up on, kept with the event and the reason. A replay
 * prepares each event again with its mapping as configured now (so a fixed mapping takes
 * effect) and queues the result. Letters whose mapping is gone, or whose event the mapping
 * now filters, stay where they are, with the reason.
 */
import type { ResolvedDestination, Subscription } from '../destinations/resolve-destinations.ts';
import type { DeadLetter, EventQueue } from './queue/event-queue.ts';
import { deletionsId } from './router.ts';

export interface DeadLetterFilter {
  destination?: string;
  mapping?: string;
  limit?: number;
}

export interface ReplayPlan {
  replay: { deadLetter: DeadLetter; body: unknown }[];
  kept: { deadLetter: DeadLetter; why: string }[];
}

export function subscriptionIds(destinations: readonly ResolvedDestination[], filter: DeadLetterFilter = {}): string[] {
  const ids: string[] = [];
  for (const d of destinations) {
    if (filter.destination !== undefined && d.name !== filter.destination) continue;
    for (const s of d.subscriptions) if (filter.mapping === undefined || s.mapping === filter.mapping) ids.push(s.id);
    if (d.definition.onDelete && (filter.mapping === undefined || filter.mapping === '@delete')) ids.push(deletionsId(d.name));
  }
  return ids;
}

export async function listDeadLetters(queue: EventQueue, destinations: readonly ResolvedDestination[], filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
  const all = filter.destination === undefined && filter.mapping === undefined;
  return queue.deadLetters({ subscriptions: all ? undefined : subscriptionIds(destinations, filter), limit: filter.limit });
}

/** Which dead letters a replay moves (those of configured mappings that still take the event) and which stay. */
export async function planReplay(queue: EventQueue, destinations: readonly ResolvedDestination[], filter: DeadLetterFilter = {}): Promise<ReplayPlan> {
  const subs = new Map<string, Subscription>();
  const deletions = new Set<string>();
  for (const d of destinations) {
    for (const s of d.subscriptions) subs.set(s.id, s);
    if (d.definition.onDelete) deletions.add(deletionsId(d.name));
  }
  const plan: ReplayPlan = { replay: [], kept: [] };
  for (const deadLetter of await listDeadLetters(queue, destinations, filter)) {
    if (deletions.has(deadLetter.subscription)) {
      plan.replay.push({ deadLetter, body: deadLetter.body });
      continue;
    }
    const sub = subs.get(deadLetter.subscription);
    if (!sub) {
      plan.kept.push({ deadLetter, why: `mapping ${deadLetter.subscription} is not configured (any more)` });
      continue;
    }
    let event: unknown;
    try {
      event = JSON.parse(deadLetter.event);
    } catch {
      plan.kept.push({ deadLetter, why: 'the stored event is unreadable' });
      continue;
    }
    const result = sub.pipeline.run(event);
    if (result.ok) plan.replay.push({ deadLetter, body: result.body });
    else plan.kept.push({ deadLetter, why: `the mapping now filters it: ${result.filteredBecause}` });
  }
  return plan;
}

/** Moves the planned letters back to the queue, due now, with their new bodies. Returns how many moved. */
export function replayDeadLetters(queue: EventQueue, plan: ReplayPlan): Promise<number> {
  return plan.replay.length ? queue.requeue(plan.replay) : Promise.resolve(0);
}
