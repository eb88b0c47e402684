/**
 * The embedded EventQueue, on LMDB (the `lmdb` package).
 *
 * Why LMDB: an ACID B-tree in one memory-mapped file; a commit returns only after fsync
 * (we turn lmdb-js's `overlappingSync` off so the promise of a write means "on disk", not
 * merely "visible"); lmdb-js collects every write of an event turn into one transaction on
 * a worker thread, so concurrent intake requests share one fsync (group commit) and the
 * event loop never blocks on the disk; keys are ordered, which makes each area a FIFO and
 * "due by now" one range scan; one transaction spans all areas, so a hand-over between
 * stages (remove here, add there, count) is atomic; readers never block the writer, so
 * `events status` can read while `serve` writes, from another process. It ships prebuilt
 * binaries and is maintained (used by Parcel and Gatsby).
 *
 * Atomic steps without blocking: each step issues all of its writes in one synchronous
 * block (one event turn), which lmdb-js commits as one transaction. Hot paths never use
 * transaction callbacks, which would make the writer thread wait for the event loop. That
 * is why counters are delta records, added by plain writes in the same transaction as the
 * data they count, summed on read and folded together by `maintain`.
 *
 * De-duplication lives in memory (dedupe-index.ts); each acceptance appends the hashes of
 * its new messageIds as one record, replayed at start and picked up from other processes.
 *
 * Layout (named databases in `<dir>`):
 *   outbox    [subscription, dueAtMs, id]        -> stored delivery
 *   dead      [subscription, deadAtMs, id]       -> stored delivery + reason
 *   seen      [acceptedAtMs, tag, seq]           -> messageId hashes (pairs of uint32)
 *   counters  [scope, name] (total) or [scope, name, tag, seq] (a delta) -> number
 *   states    destination                        -> DestinationState
 *
 * One process consumes the queue at a time (see worker-lock.ts); leases are therefore kept
 * in memory. Other processes may accept events (`events send`) and read (`events status`).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, type Database, type RootDatabase } from 'lmdb';
import { SupportSyncError } from '../../core/errors.ts';
import { createDedupeIndex, hashId } from './dedupe-index.ts';
import type {
  AcceptResult,
  Counts,
  DeadLetter,
  Delivery,
  DeliveryOutcome,
  DestinationState,
  EventQueue,
  NewDelivery,
  QueueSizes,
  UserPurge,
} from './event-queue.ts';

export interface LmdbQueueOptions {
  /** messageIds seen within this window (or up to 1/24 longer) are dropped as duplicates; 0 turns de-duplication off. Default 24 h. */
  dedupeWindowMs?: number;
  /** messageIds remembered at most (memory: ~16 bytes each); default 8 million. */
  dedupeMaxIds?: number;
  /** For tests: the clock. */
  now?: () => number;
}

export const DEFAULT_DEDUPE_WINDOW_MS = 24 * 3_600_000;

type Key = (string | number)[];

/** A delivery as stored: short names, the subscription and due time live in the key. */
interface StoredDelivery {
  e: string;
  b: unknown;
  u?: string;
  r: number;
  a: number;
  f?: number;
  x?: string;
  /** Dead letters only: reason, status, deadAt. */
  reason?: string;
  status?: number;
  d?: number;
}

/** Upper bound for the numeric part of keys (due and dead times are epoch milliseconds). */
const MAX = Number.MAX_SAFE_INTEGER;
/**
 * All [subscription, ...] keys, and only those: the databases with shared structures also
 * hold msgpackr's structure record under a symbol key, which scans must not meet.
 */
const ALL_SUBSCRIPTIONS = { start: [''], end: ['\uffff'] } as const;
/** How often an acceptance first picks up what other processes accepted. */
const SEEN_SYNC_MS = 1000;

export function openLmdbQueue(dir: string, options: LmdbQueueOptions = {}): EventQueue {
  const windowMs = options.dedupeWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS;
  const now = options.now ?? Date.now;
  let root: RootDatabase;
  try {
    mkdirSync(dir, { recursive: true });
    root = open({ path: dir, compression: false, overlappingSync: false, maxDbs: 12 });
  } catch (err) {
    throw new SupportSyncError(`cannot open the event queue in ${dir}: ${(err as Error).message}. Check dataDir in the config and that the directory is writable.`, {
      code: 'QUEUE_OPEN',
      phase: 'load',
      cause: err,
    });
  }
  // Shared record structures: stored deliveries all look alike, and msgpackr then writes and
  // reads them as compact records (measured: leasing 3x faster than self-describing maps).
  const structures = Symbol.for('structures');
  const outbox: Database<StoredDelivery, Key> = root.openDB({ name: 'outbox', sharedStructuresKey: structures });
  const dead: Database<StoredDelivery, Key> = root.openDB({ name: 'dead', sharedStructuresKey: structures });
  const seenLog: Database<Buffer, Key> = root.openDB({ name: 'seen', encoding: 'binary' });
  const counters: Database<number, Key> = root.openDB({ name: 'counters' });
  const states: Database<DestinationState, string> = root.openDB({ name: 'states' });

  // Unique across processes sharing the directory: pid plus randomness, then a counter.
  const tag = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
  let seq = 0;
  const nextId = () => `${tag}.${(seq++).toString(36)}`;

  /** messageIds being accepted, not yet committed (a batch may repeat one; requests race). */
  const pendingIds = new Set<string>();
  const leased = new Set<string>();
  const seen = windowMs > 0 ? createDedupeIndex({ windowMs, maxIds: options.dedupeMaxIds }) : undefined;
  let seenFrom: Key = [0];
  let seenSyncedAt = -Infinity;

  /**
   * Loads the hashes recorded since the last load: at the first acceptance the whole window,
   * then what other processes and threads recorded (this one's own are in the index already).
   */
  const syncSeen = (at: number) => {
    if (!seen) return;
    seenSyncedAt = at;
    if (seenFrom[0] === 0) seenFrom = [at - windowMs - windowMs / 24];
    let last: Key | undefined;
    for (const { key, value } of seenLog.getRange({ start: seenFrom })) {
      last = key;
      if (key[1] === tag) continue;
      // A view needs 4-byte alignment, which a value read from the map may not have.
      const bytes = value.byteOffset % 4 === 0 ? value : Buffer.from(value);
      const pairs = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
      for (let i = 0; i + 1 < pairs.length; i += 2) seen.add([pairs[i]!, pairs[i + 1]!], key[0] as number);
    }
    if (last) seenFrom = [...last, '\u0000'];
  };

  /** Queues counter deltas with the other writes of this turn; returns the last write's promise. */
  const count = (counts: Counts | undefined): Promise<boolean> | undefined => {
    let last: Promise<boolean> | undefined;
    if (!counts) return last;
    for (const scope of Object.keys(counts)) {
      for (const [name, by] of Object.entries(counts[scope]!)) if (by) last = counters.put([scope, name, tag, seq++], by);
    }
    return last;
  };

  const toDelivery = (key: Key, v: StoredDelivery): Delivery => ({
    id: key[2] as string,
    key,
    subscription: key[0] as string,
    dueAt: key[1] as number,
    event: v.e,
    body: v.b,
    userId: v.u,
    receivedAt: v.r,
    attempts: v.a,
    firstFailureAt: v.f,
    lastError: v.x,
  });

  const stored = (d: NewDelivery, attempts = 0, firstFailureAt?: number, lastError?: string): StoredDelivery => {
    const v: StoredDelivery = { e: d.event, b: d.body, r: d.receivedAt, a: attempts };
    if (d.userId !== undefined) v.u = d.userId;
    if (firstFailureAt !== undefined) v.f = firstFailureAt;
    if (lastError !== undefined) v.x = lastError;
    return v;
  };

  /** Each distinct subscription (first key part) with its number of entries. */
  const countBySubscription = (db: Database<StoredDelivery, Key>): Record<string, number> => {
    const out: Record<string, number> = {};
    let start: Key = [...ALL_SUBSCRIPTIONS.start];
    for (;;) {
      let first: Key | undefined;
      for (const k of db.getKeys({ start, end: [...ALL_SUBSCRIPTIONS.end], limit: 1 })) first = k;
      if (!Array.isArray(first)) return out;
      const sub = first[0] as string;
      out[sub] = db.getCount({ start: [sub], end: [sub, MAX] });
      start = [sub, MAX];
    }
  };

  /** Keys of the user's stored deliveries (not leased ones: they are on their way). */
  const purgeKeys = (p: UserPurge): { db: Database<StoredDelivery, Key>; key: Key }[] => {
    const found: { db: Database<StoredDelivery, Key>; key: Key }[] = [];
    for (const db of [outbox, dead]) {
      for (const sub of p.subscriptions) {
        for (const { key, value } of db.getRange({ start: [sub], end: [sub, MAX] })) {
          if (value.u === p.userId && !leased.has(key[2] as string)) found.push({ db, key });
        }
      }
    }
    return found;
  };

  return {
    async accept(messageIds, route) {
      const at = now();
      if (seen && at - seenSyncedAt > SEEN_SYNC_MS) syncSeen(at);
      const fresh: boolean[] = new Array(messageIds.length);
      const duplicates: string[] = [];
      const reserved: string[] = [];
      const hashes = seen ? new Uint32Array(messageIds.length * 2) : undefined;
      let n = 0;
      for (let i = 0; i < messageIds.length; i++) {
        const id = messageIds[i]!;
        if (!seen) {
          fresh[i] = true;
          continue;
        }
        const hash = hashId(id);
        fresh[i] = !pendingIds.has(id) && !seen.has(hash, at);
        if (!fresh[i]) {
          duplicates.push(id);
          continue;
        }
        pendingIds.add(id);
        reserved.push(id);
        hashes![n++] = hash[0];
        hashes![n++] = hash[1];
      }
      try {
        const { deliveries, counts, purges = [] } = route(fresh);
        // Reads first, then every write in one block: one transaction.
        const purged = purges.map((p) => ({ p, keys: purgeKeys(p) }));
        let last: Promise<boolean> | undefined;
        if (n > 0) last = seenLog.put([at, tag, seq++], Buffer.from(hashes!.buffer, 0, n * 4));
        for (const { p, keys } of purged) {
          for (const { db, key } of keys) last = db.remove(key);
          if (keys.length) last = count({ [p.scope]: { purged: keys.length } }) ?? last;
        }
        for (const d of deliveries) last = outbox.put([d.subscription, at, nextId()], stored(d));
        last = count(counts) ?? last;
        await last;
        for (let i = 0; i < n; i += 2) seen!.add([hashes![i]!, hashes![i + 1]!], at);
      } finally {
        for (const id of reserved) pendingIds.delete(id);
      }
      return { duplicates } satisfies AcceptResult;
    },

    async addCounts(counts) {
      await count(counts);
    },

    async lease(subscription, limit, at) {
      const out: Delivery[] = [];
      if (limit <= 0) return out;
      for (const { key, value } of outbox.getRange({ start: [subscription], end: [subscription, Math.floor(at) + 1] })) {
        const id = key[2] as string;
        if (leased.has(id)) continue;
        leased.add(id);
        out.push(toDelivery(key, value));
        if (out.length >= limit) break;
      }
      return out;
    },

    async nextDue(subscription) {
      for (const key of outbox.getKeys({ start: [subscription], end: [subscription, MAX] })) {
        if (!leased.has(key[2] as string)) return key[1] as number;
      }
      return undefined;
    },

    async countDue(subscription, at, max) {
      let n = 0;
      for (const key of outbox.getKeys({ start: [subscription], end: [subscription, Math.floor(at) + 1] })) {
        if (!leased.has(key[2] as string) && ++n >= max) break;
      }
      return n;
    },

    async settle(outcome: DeliveryOutcome) {
      const at = now();
      const touched = [...(outcome.delivered ?? []), ...(outcome.retry ?? []).map((r) => r.delivery), ...(outcome.dead ?? []).map((d) => d.delivery)];
      try {
        // Leased deliveries are never purged, so each of these is still in the outbox.
        let last: Promise<boolean> | undefined;
        for (const d of outcome.delivered ?? []) last = outbox.remove(d.key as Key);
        for (const { delivery: d, dueAt, error } of outcome.retry ?? []) {
          outbox.remove(d.key as Key);
          last = outbox.put([d.subscription, Math.floor(dueAt), d.id], stored(d, d.attempts + 1, d.firstFailureAt ?? at, error));
        }
        for (const { delivery: d, reason, status } of outcome.dead ?? []) {
          outbox.remove(d.key as Key);
          const v = stored(d, d.attempts + 1, d.firstFailureAt ?? at, reason);
          v.reason = reason;
          if (status !== undefined) v.status = status;
          v.d = at;
          last = dead.put([d.subscription, at, d.id], v);
        }
        last = count(outcome.counts) ?? last;
        await last;
      } finally {
        for (const d of touched) leased.delete(d.id);
      }
    },

    release(deliveries) {
      for (const d of deliveries) leased.delete(d.id);
    },

    async deadLetters(filter = {}) {
      const limit = filter.limit ?? Infinity;
      const out: DeadLetter[] = [];
      const ranges = filter.subscriptions ? filter.subscriptions.map((s) => ({ start: [s], end: [s, MAX] })) : [{ start: [...ALL_SUBSCRIPTIONS.start], end: [...ALL_SUBSCRIPTIONS.end] }];
      for (const range of ranges) {
        for (const { key, value } of dead.getRange(range)) {
          if (out.length >= limit) return out;
          out.push({ ...toDelivery(key, value), reason: value.reason ?? 'unknown', status: value.status, deadAt: value.d ?? (key[1] as number) });
        }
      }
      return out;
    },

    async requeue(items, counts) {
      const at = now();
      // Rare, and another process may replay the same letters: check inside the transaction.
      return root.transaction(() => {
        let moved = 0;
        for (const { deadLetter: dl, body } of items) {
          if (!dead.doesExist(dl.key as Key)) continue;
          dead.remove(dl.key as Key);
          outbox.put([dl.subscription, at, dl.id], stored({ ...dl, body }));
          count({ [dl.subscription]: { replayed: 1 } });
          moved++;
        }
        count(counts);
        return moved;
      });
    },

    async counts() {
      const out: Counts = {};
      for (const { key, value } of counters.getRange({})) {
        const [scope, name] = key as [string, string];
        const s = (out[scope] ??= {});
        s[name] = (s[name] ?? 0) + value;
      }
      return out;
    },

    async sizes(): Promise<QueueSizes> {
      return { pending: countBySubscription(outbox), dead: countBySubscription(dead) };
    },

    async setState(destination, state) {
      if (state) await states.put(destination, state);
      else await states.remove(destination);
    },

    async states() {
      const out: Record<string, DestinationState> = {};
      for (const { key, value } of states.getRange({})) out[key] = value;
      return out;
    },

    async maintain(at) {
      // Fold counter deltas into totals, in a transaction (other processes may add deltas meanwhile).
      await root.transaction(() => {
        const totals = new Map<string, { key: Key; sum: number }>();
        const deltas: Key[] = [];
        for (const { key, value } of counters.getRange({})) {
          const id = `${key[0]}\u0000${key[1]}`;
          const t = totals.get(id) ?? { key: [key[0]!, key[1]!], sum: 0 };
          t.sum += value;
          totals.set(id, t);
          if (key.length > 2) deltas.push(key);
        }
        if (deltas.length === 0) return;
        for (const key of deltas) counters.remove(key);
        for (const { key, sum } of totals.values()) counters.put(key, sum);
      });

      if (!seen) return;
      // Forget what left the window, in memory and on disk (keys are time-ordered).
      const from = seen.expire(at);
      const old: Key[] = [];
      for (const key of seenLog.getKeys({ end: [from] })) old.push(key);
      let last: Promise<boolean> | undefined;
      for (const key of old) last = seenLog.remove(key);
      await last;
    },

    async close() {
      await root.flushed;
      await root.close();
    },
  };
}
