/**
 * The state of the event pipeline as one document, for `supportsync events status`: intake
 * counts, and per destination and mapping the counters kept in the queue (received,
 * filtered, delivered, retried, dead-lettered, keys dropped) with the deliveries pending and
 * dead now, and why events were filtered or keys dropped.
 */
import type { ResolvedDestination } from '../destinations/resolve-destinations.ts';
import type { Counts, EventQueue } from './queue/event-queue.ts';
import { deletionsId } from './router.ts';

export interface MappingStatus {
  /** `<destination>/<mapping>` */
  id: string;
  mapping: string;
  action: string;
  received: number;
  filtered: number;
  delivered: number;
  retried: number;
  deadLettered: number;
  keysDropped: number;
  /** Waiting to be sent (including scheduled retries). */
  pending: number;
  /** In the dead-letter store now. */
  dead: number;
  replayed: number;
  purged: number;
  filteredBecause: Record<string, number>;
  droppedKeys: Record<string, number>;
}

export interface DestinationStatus {
  name: string;
  type: string;
  state: 'ok' | 'paused';
  reason?: string;
  since?: string;
  mappings: MappingStatus[];
}

export interface EventStatus {
  dataDir: string;
  /** pid of the process delivering from this data directory, if one runs. */
  workerPid?: number;
  intake: { accepted: number; duplicates: number; rejected: number; unauthorized: number; deletions: number };
  destinations: DestinationStatus[];
  /** Deliveries queued for mappings that are no longer configured. */
  unconfigured: MappingStatus[];
}

function mappingStatus(id: string, mapping: string, action: string, counts: Counts, pending: number, dead: number): MappingStatus {
  const c = counts[id] ?? {};
  const n = (name: string) => c[name] ?? 0;
  const prefixed = (prefix: string) =>
    Object.fromEntries(Object.entries(c).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
  return {
    id,
    mapping,
    action,
    received: n('received'),
    filtered: n('filtered'),
    delivered: n('delivered'),
    retried: n('retried'),
    deadLettered: n('deadLettered'),
    keysDropped: n('keysDropped'),
    pending,
    dead,
    replayed: n('replayed'),
    purged: n('purged'),
    filteredBecause: prefixed('filtered:'),
    droppedKeys: prefixed('dropped:'),
  };
}

export async function readEventStatus(queue: EventQueue, destinations: readonly ResolvedDestination[], dataDir: string, workerPid?: number): Promise<EventStatus> {
  const [counts, sizes, states] = await Promise.all([queue.counts(), queue.sizes(), queue.states()]);
  const intake = counts['@intake'] ?? {};
  const known = new Set<string>();
  const status = (id: string, mapping: string, action: string) => {
    known.add(id);
    return mappingStatus(id, mapping, action, counts, sizes.pending[id] ?? 0, sizes.dead[id] ?? 0);
  };
  const out: DestinationStatus[] = destinations.map((d) => {
    const mappings = d.subscriptions.map((s) => status(s.id, s.mapping, s.actionName));
    if (d.definition.onDelete) {
      const del = status(deletionsId(d.name), '@delete', 'deleteUser');
      if (del.received || del.pending || del.dead) mappings.push(del);
    }
    const state = states[d.name];
    return {
      name: d.name,
      type: d.type,
      state: state ? 'paused' : 'ok',
      ...(state ? { reason: state.reason, since: new Date(state.since).toISOString() } : {}),
      mappings,
    };
  });
  const leftover = new Set([...Object.keys(sizes.pending), ...Object.keys(sizes.dead)].filter((id) => !known.has(id)));
  return {
    dataDir,
    ...(workerPid !== undefined ? { workerPid } : {}),
    intake: { accepted: intake.accepted ?? 0, duplicates: intake.duplicates ?? 0, rejected: intake.rejected ?? 0, unauthorized: intake.unauthorized ?? 0, deletions: intake.deletions ?? 0 },
    destinations: out,
    unconfigured: [...leftover].map((id) => mappingStatus(id, id.slice(id.indexOf('/') + 1), '?', counts, sizes.pending[id] ?? 0, sizes.dead[id] ?? 0)),
  };
}
