/**
 * Accepting events: validate each one, drop the duplicates, route the rest, and store the
 * result in one durable step. A bad event is reported with its index and reason and does
 * not sink the others. Shared by the HTTP intake and `supportsync events send`.
 */
import { randomUUID } from 'node:crypto';
import type { Counts, EventQueue } from '../queue/event-queue.ts';
import type { RoutableEvent, Router } from '../router.ts';
import { DELETE_TYPE } from '../segment-event.ts';
import { validateEvent, type EventDefaults } from './event-validation.ts';

export interface Rejected {
  index: number;
  reason: string;
}

export interface AcceptResult {
  accepted: number;
  duplicates: number;
  rejected: Rejected[];
}

export interface EventIntake {
  /** Resolves once the accepted events are on disk. */
  acceptEvents(raw: readonly unknown[], defaults: EventDefaults): Promise<AcceptResult>;
  /** Queues user deletions; they reach each destination that can delete. Returns how many. */
  acceptDeletions(userIds: readonly string[], receivedAtMs?: number): Promise<number>;
}

const INTAKE = '@intake';

export function createEventIntake(queue: EventQueue, router: Router): EventIntake {
  /** Routes the new events and stores them with the intake counters (`acceptedAs`, duplicates, `extra`). */
  async function accept(events: RoutableEvent[], ids: string[], acceptedAs: string, extra: Record<string, number> = {}): Promise<number> {
    const { duplicates } = await queue.accept(ids, (fresh) => {
      const all = fresh.every(Boolean);
      const acceptance = router.route(all ? events : events.filter((_, i) => fresh[i]));
      const counts: Counts = acceptance.counts;
      const intake = (counts[INTAKE] ??= {});
      const accepted = all ? events.length : fresh.filter(Boolean).length;
      intake[acceptedAs] = (intake[acceptedAs] ?? 0) + accepted;
      if (accepted < events.length) intake.duplicates = (intake.duplicates ?? 0) + events.length - accepted;
      for (const [name, n] of Object.entries(extra)) if (n) intake[name] = (intake[name] ?? 0) + n;
      return acceptance;
    });
    return duplicates.length;
  }

  return {
    async acceptEvents(raw, defaults) {
      const events: RoutableEvent[] = [];
      const ids: string[] = [];
      const rejected: Rejected[] = [];
      for (let i = 0; i < raw.length; i++) {
        const checked = validateEvent(raw[i], defaults);
        if (checked.ok) {
          events.push({ event: raw[i] as Record<string, unknown>, json: checked.json });
          ids.push(checked.messageId);
        } else rejected.push({ index: i, reason: checked.reason });
      }
      if (events.length === 0) {
        if (rejected.length) await queue.addCounts({ [INTAKE]: { rejected: rejected.length } });
        return { accepted: 0, duplicates: 0, rejected };
      }
      const duplicates = await accept(events, ids, 'accepted', { rejected: rejected.length });
      return { accepted: events.length - duplicates, duplicates, rejected };
    },

    async acceptDeletions(userIds, receivedAtMs = Date.now()) {
      const at = new Date(receivedAtMs).toISOString();
      const events: RoutableEvent[] = [];
      const ids: string[] = [];
      for (const userId of userIds) {
        const messageId = `delete-${randomUUID()}`;
        const event = { type: DELETE_TYPE, userId, messageId, timestamp: at, receivedAt: at };
        events.push({ event, json: JSON.stringify(event) });
        ids.push(messageId);
      }
      await accept(events, ids, 'deletions');
      return events.length;
    },
  };
}
