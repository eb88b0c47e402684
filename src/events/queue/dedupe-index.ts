/**
 * Which messageIds were seen within the de-duplication window, in memory and compact: each
 * id is kept as a 64-bit hash (8 bytes, in typed arrays) in a time bucket; a window of 24 h
 * is 24 buckets of 1 h, and the oldest bucket is dropped whole as time moves on. A lookup
 * probes each bucket's open-addressing table (no allocation, ~1 µs for 24 buckets).
 *
 * Why not an index in the store: a B-tree keyed by messageId takes every insert at a random
 * page, so each commit writes hundreds of pages and the cost grows with the window. Here
 * the store only appends each acceptance's hashes as one record (see lmdb-queue.ts), which
 * is replayed into the index at start.
 *
 * Two different ids share a hash with probability ~n / 2^64 (n ids in the window): about
 * one in 10^12 for 10 million ids. Memory is ~16 bytes per id; beyond `maxIds` the oldest
 * buckets go early (the window shrinks, which the caller reports).
 */

export interface DedupeIndexOptions {
  windowMs: number;
  /** Ids kept at most; default 8 million (~130 MB). */
  maxIds?: number;
  buckets?: number;
}

/** A 64-bit hash of a messageId as two 32-bit halves (low half never 0: 0 marks an empty slot). */
export function hashId(id: string): [number, number] {
  // Two independent FNV-1a style passes with murmur3's finalizer: cheap and well mixed.
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return [fmix(h1 ^ id.length) >>> 0, (fmix(h2 ^ Math.imul(id.length, 0x27d4eb2d)) | 1) >>> 0];
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** An open-addressing set of 64-bit hashes. */
class HashSet {
  hi: Uint32Array;
  lo: Uint32Array;
  size = 0;
  constructor(capacity = 1024) {
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
  }
  has(hi: number, lo: number): boolean {
    const mask = this.lo.length - 1;
    for (let i = hi & mask; ; i = (i + 1) & mask) {
      const l = this.lo[i]!;
      if (l === 0) return false;
      if (l === lo && this.hi[i] === hi) return true;
    }
  }
  add(hi: number, lo: number): void {
    if ((this.size + 1) * 2 > this.lo.length) this.grow();
    const mask = this.lo.length - 1;
    for (let i = hi & mask; ; i = (i + 1) & mask) {
      const l = this.lo[i]!;
      if (l === 0) {
        this.hi[i] = hi;
        this.lo[i] = lo;
        this.size++;
        return;
      }
      if (l === lo && this.hi[i] === hi) return;
    }
  }
  private grow(): void {
    const { hi, lo } = this;
    this.hi = new Uint32Array(hi.length * 2);
    this.lo = new Uint32Array(lo.length * 2);
    this.size = 0;
    for (let i = 0; i < lo.length; i++) if (lo[i] !== 0) this.add(hi[i]!, lo[i]!);
  }
}

export interface DedupeIndex {
  readonly windowMs: number;
  /** Ids in the index. */
  readonly size: number;
  /** True when the hash was added at `at` or within the window before it. */
  has(hash: readonly [number, number], at: number): boolean;
  add(hash: readonly [number, number], at: number): void;
  /** Drops buckets that left the window (and the oldest ones while over `maxIds`). Returns the window's effective start. */
  expire(now: number): number;
}

export function createDedupeIndex(options: DedupeIndexOptions): DedupeIndex {
  const { windowMs } = options;
  const count = options.buckets ?? 24;
  const bucketMs = Math.max(1, Math.ceil(windowMs / count));
  const maxIds = options.maxIds ?? 8_000_000;
  /** Oldest first: [bucket start, set]. */
  const buckets: { start: number; set: HashSet }[] = [];
  let size = 0;

  const bucketFor = (at: number): HashSet => {
    const start = at - (at % bucketMs);
    for (let i = buckets.length - 1; i >= 0; i--) {
      const b = buckets[i]!;
      if (b.start === start) return b.set;
      if (b.start < start) {
        const fresh = { start, set: new HashSet() };
        buckets.splice(i + 1, 0, fresh);
        return fresh.set;
      }
    }
    const fresh = { start, set: new HashSet() };
    buckets.unshift(fresh);
    return fresh.set;
  };

  return {
    windowMs,
    get size() {
      return size;
    },
    has([hi, lo], at) {
      // A bucket counts while any part of it lies within the window: up to one bucket longer, never shorter.
      const from = at - windowMs - bucketMs;
      for (let i = buckets.length - 1; i >= 0; i--) {
        const b = buckets[i]!;
        if (b.start <= from) break;
        if (b.set.has(hi, lo)) return true;
      }
      return false;
    },
    add([hi, lo], at) {
      const set = bucketFor(at);
      const before = set.size;
      set.add(hi, lo);
      size += set.size - before;
    },
    expire(now) {
      const from = now - windowMs - bucketMs;
      while (buckets.length > 0 && (buckets[0]!.start <= from || (size > maxIds && buckets.length > 1))) {
        size -= buckets.shift()!.set.size;
      }
      return buckets.length ? Math.max(buckets[0]!.start, now - windowMs) : now - windowMs;
    },
  };
}
