/**
 * Routing: which subscriptions take each event. Runs in the intake step, on the events
 * intake has just validated (already parsed), so what gets stored durably is the routed
 * result: a delivery per subscription that takes the event. Pure apart from a small memory
 * of dropped key names.
 *
 * Per event and subscription: honour Segment's `integrations` switches, match the trigger,
 * run the action pipeline (map -> drop empty -> validate -> prepare). A match that the
 * action cannot use (e.g. no userId) is counted as filtered with the reason; the others are
 * queued with the prepared request item, so delivery sends without parsing anything. A
 * user deletion purges the user's queued deliveries at each destination that can delete,
 * then queues the deletion itself.
 */
import type { ResolvedDestination, Subscription } from '../destinations/resolve-destinations.ts';
import { addCount, type Acceptance, type Counts, type NewDelivery, type UserPurge } from './queue/event-queue.ts';
import { DELETE_TYPE } from './segment-event.ts';

export interface RoutableDestination {
  name: string;
  /** The display name Segment libraries use in `integrations` (e.g. "Gleap (Actions)"). */
  title: string;
  subscriptions: readonly Subscription[];
  /** Subscription id of the destination's deletions, when it can delete users. */
  deletions?: string;
}

/** An accepted event: the normalized object and its JSON text (what is stored). */
export interface RoutableEvent {
  event: Record<string, unknown>;
  json: string;
}

export interface Router {
  route(events: readonly RoutableEvent[]): Acceptance;
}

/** Subscription id of a destination's user deletions (not a valid mapping name, so no clash). */
export const deletionsId = (destination: string) => `${destination}/@delete`;

/** Distinct dropped key names counted by name per subscription; beyond, only the total. */
const NAMED_DROPS = 20;

/** Segment's rule: `integrations.<name>` decides, else `integrations.All`, else yes. */
function allowedBy(integrations: unknown, names: readonly string[]): boolean {
  if (integrations === null || typeof integrations !== 'object') return true;
  const map = integrations as Record<string, unknown>;
  for (const name of names) if (Object.hasOwn(map, name)) return map[name] !== false;
  return map.All !== false;
}

/** The routing view of resolved destinations. */
export function routableDestinations(destinations: readonly ResolvedDestination[]): RoutableDestination[] {
  return destinations.map((d) => ({
    name: d.name,
    title: d.definition.title,
    subscriptions: d.subscriptions,
    deletions: d.definition.onDelete ? deletionsId(d.name) : undefined,
  }));
}

export function createRouter(destinations: readonly RoutableDestination[], now: () => number = Date.now): Router {
  const namedDrops = new Map<string, Set<string>>();

  const countDrops = (counts: Counts, sub: string, keys: readonly string[]) => {
    addCount(counts, sub, 'keysDropped', keys.length);
    let names = namedDrops.get(sub);
    if (!names) namedDrops.set(sub, (names = new Set()));
    for (const key of keys) {
      const name = key.replace(/ \(.*$/, '');
      if (names.has(name) || names.size < NAMED_DROPS) {
        names.add(name);
        addCount(counts, sub, `dropped:${name}`);
      }
    }
  };

  const routeDeletion = (userId: string, json: string, receivedAt: number, out: Acceptance) => {
    for (const d of destinations) {
      if (!d.deletions) continue;
      const subs = d.subscriptions.map((s) => s.id);
      // Deliveries of this same acceptance are not stored yet: drop them here.
      for (let i = out.deliveries.length - 1; i >= 0; i--) {
        const x = out.deliveries[i]!;
        if (x.userId === userId && subs.includes(x.subscription)) {
          out.deliveries.splice(i, 1);
          addCount(out.counts, d.deletions, 'purged');
        }
      }
      (out.purges as UserPurge[]).push({ userId, subscriptions: subs, scope: d.deletions });
      addCount(out.counts, d.deletions, 'received');
      out.deliveries.push({ subscription: d.deletions, event: json, body: { userId }, userId, receivedAt });
    }
  };

  return {
    route(events) {
      const out: Acceptance = { deliveries: [] as NewDelivery[], counts: {}, purges: [] };
      for (const { event, json } of events) {
        const receivedAt = Date.parse(event.receivedAt as string) || now();
        if (event.type === DELETE_TYPE) {
          routeDeletion(String(event.userId), json, receivedAt, out);
          continue;
        }
        const userId = event.userId as string | undefined;
        for (const d of destinations) {
          if (!allowedBy(event.integrations, [d.name, d.title])) continue;
          for (const sub of d.subscriptions) {
            if (!sub.trigger.matches(event)) continue;
            addCount(out.counts, sub.id, 'received');
            const result = sub.pipeline.run(event);
            if (!result.ok) {
              addCount(out.counts, sub.id, 'filtered');
              addCount(out.counts, sub.id, `filtered:${result.filteredBecause}`);
              continue;
            }
            if (result.droppedKeys.length) countDrops(out.counts, sub.id, result.droppedKeys);
            out.deliveries.push({ subscription: sub.id, event: json, body: result.body, userId, receivedAt });
          }
        }
      }
      return out;
    },
  };
}
