/**
 * The durable queue between intake and delivery. Intake validates and routes each event
 * (cheap, pure), then hands the result over in one durable step: a delivery per
 * subscription that takes the event, the de-duplication entry, the counters. Two areas:
 *
 *   deliveries  accepted, routed to one subscription, not yet sent (intake adds, delivery settles)
 *   dead        given up on, kept with the reason                  (delivery adds, replay moves back)
 *
 * plus counters per subscription and a small state per destination (e.g. "token refused"),
 * written in the same transactions as the data they count, so status never disagrees
 * with the queue. Delivery is at-least-once: a delivery leaves the queue only after the
 * destination accepted it. The interface is async and key-agnostic so that a PostgreSQL
 * queue (a deliveries table, `INSERT ... ON CONFLICT` for de-duplication in the accepting
 * transaction, `FOR UPDATE SKIP LOCKED` leases) can serve several worker processes; the
 * embedded LMDB queue serves one.
 */

/** Counters by scope (a subscription id, or `@intake`) and name. */
export type Counts = Record<string, Record<string, number>>;

/** What intake makes of the events that are not duplicates; stored in one durable step. */
export interface Acceptance {
  deliveries: NewDelivery[];
  counts: Counts;
  /** User deletions: the users' queued deliveries go (before this acceptance's own are added). */
  purges?: UserPurge[];
}

export interface AcceptResult {
  /** messageIds already seen within the de-duplication window: not routed or stored again. */
  duplicates: string[];
}

/**
 * What the router hands to one subscription: the prepared request item, ready to send
 * without parsing anything again, and the event it came from (for dead letters, and for
 * replays, which prepare it again with the mapping as configured then).
 */
export interface NewDelivery {
  subscription: string;
  /** The event, as JSON. */
  event: string;
  /** The request item the action's pipeline prepared. */
  body: unknown;
  /** The user it concerns: a user deletion purges their pending deliveries. */
  userId?: string;
  receivedAt: number;
}

export interface Delivery extends NewDelivery {
  /** Unique and stable for the delivery's lifetime (retries keep it). */
  id: string;
  readonly key: unknown;
  dueAt: number;
  /** Failed attempts so far (scheduled retries, not the HTTP client's quick ones). */
  attempts: number;
  /** When the first attempt failed: the retry age is measured from here. */
  firstFailureAt?: number;
  lastError?: string;
}

export interface DeadLetter extends Delivery {
  reason: string;
  /** HTTP status of the final answer; 0 for network errors, absent when not HTTP. */
  status?: number;
  deadAt: number;
}

/** How a batch of leased deliveries ended; applied atomically. */
export interface DeliveryOutcome {
  delivered?: Delivery[];
  retry?: { delivery: Delivery; dueAt: number; error: string }[];
  dead?: { delivery: Delivery; reason: string; status?: number }[];
  counts?: Counts;
}

/** A user deletion: the user's deliveries still queued or dead in these subscriptions go. */
export interface UserPurge {
  userId: string;
  subscriptions: string[];
  /** Counter scope credited with the number purged. */
  scope: string;
}

export interface DestinationState {
  status: 'paused';
  reason: string;
  since: number;
}

export interface QueueSizes {
  pending: Record<string, number>;
  dead: Record<string, number>;
}

export interface EventQueue {
  /**
   * Intake: finds which `messageIds` were seen within the de-duplication window (or are being
   * accepted right now), calls `route` with a flag per id (true = new), and stores what it
   * returns in one step. Resolves once that is on disk (fsync'd).
   */
  accept(messageIds: readonly string[], route: (fresh: readonly boolean[]) => Acceptance): Promise<AcceptResult>;
  /** Adds to counters that come with no data (e.g. refused requests). */
  addCounts(counts: Counts): Promise<void>;
  /** Delivery: up to `limit` deliveries due by `now`, leased to the caller until settled or released. */
  lease(subscription: string, limit: number, now: number): Promise<Delivery[]>;
  /** When the next delivery of `subscription` that is not leased is due. */
  nextDue(subscription: string): Promise<number | undefined>;
  /** How many deliveries of `subscription` not leased are due by `now`, counting up to `max` (cheap: no values read). */
  countDue(subscription: string, now: number, max: number): Promise<number>;
  settle(outcome: DeliveryOutcome): Promise<void>;
  /** Gives leased deliveries back unchanged (shutdown, paused destination). */
  release(deliveries: Delivery[]): void;
  deadLetters(filter?: { subscriptions?: string[]; limit?: number }): Promise<DeadLetter[]>;
  /** Moves dead letters back to the deliveries, due now, each with a freshly prepared body. */
  requeue(items: { deadLetter: DeadLetter; body: unknown }[], counts?: Counts): Promise<number>;
  counts(): Promise<Counts>;
  sizes(): Promise<QueueSizes>;
  setState(destination: string, state: DestinationState | undefined): Promise<void>;
  states(): Promise<Record<string, DestinationState>>;
  /** Housekeeping (expired de-duplication entries); cheap, call now and then. */
  maintain(now: number): Promise<void>;
  close(): Promise<void>;
}

/** Adds `by` to `counts[scope][name]`. */
export function addCount(counts: Counts, scope: string, name: string, by = 1): void {
  if (by === 0) return;
  const s = (counts[scope] ??= {});
  s[name] = (s[name] ?? 0) + by;
}
