/**
 * The memory behind boundary dedup: the highest cursor seen, and which records (primary key
 * and cursor value) were already emitted near it. Persisted as the stream state:
 *
 *   { cursor: "<max cursor value>",
 *     idsAtCursor: ["<pk>", ...],            every record emitted with exactly that cursor
 *     recent: { "<pk>": "<cursor value>" } } records emitted within the lookback window before it
 *
 * A record is "known" (skipped) when the same primary key was emitted with the same or a
 * later cursor value. A changed record carries a later cursor, so it is never skipped.
 */
import { cursorKey, keyMinusMs, keyToIso } from './cursor-values.ts';
import type { CursorKey } from './cursor-values.ts';

// A type alias, not an interface, so it is assignable to the engine's StreamState record.
export type CursorState = {
  cursor?: string;
  idsAtCursor?: string[];
  recent?: Record<string, string>;
};

interface Seen {
  key: CursorKey;
  raw: string;
}

export interface Boundary {
  /** Highest cursor key seen, if any. */
  maxKey(): CursorKey | undefined;
  isKnown(pk: string, key: CursorKey): boolean;
  note(pk: string | undefined, key: CursorKey, raw: string): void;
  /** Forgets records older than the window before the max (keeping all at the max). */
  prune(): void;
  toState(): CursorState;
}

/** Default cap of `recent` entries; beyond it the oldest are forgotten (re-emitted next time, never lost). */
export const MAX_RECENT_IDS = 5000;

export function createBoundary(prior: CursorState | undefined, windowMs: number, maxRecent = MAX_RECENT_IDS): Boundary {
  const seen = new Map<string, Seen>();
  let max: Seen | undefined;

  const consider = (key: CursorKey, raw: string) => {
    if (!max || key > max.key) max = { key, raw };
  };

  if (prior?.cursor !== undefined) {
    const key = cursorKey(prior.cursor);
    if (key !== undefined) {
      consider(key, prior.cursor);
      for (const id of prior.idsAtCursor ?? []) seen.set(id, { key, raw: prior.cursor });
      for (const [id, raw] of Object.entries(prior.recent ?? {})) {
        const k = cursorKey(raw);
        if (k !== undefined && !seen.has(id)) seen.set(id, { key: k, raw });
      }
    }
  }

  return {
    maxKey: () => max?.key,
    isKnown(pk, key) {
      const s = seen.get(pk);
      return s !== undefined && s.key >= key;
    },
    note(pk, key, raw) {
      consider(key, raw);
      if (pk === undefined) return;
      const s = seen.get(pk);
      if (!s || key > s.key) seen.set(pk, { key, raw });
    },
    prune() {
      if (!max) return;
      // Rounded down to the millisecond like the filter we send, so sub-millisecond cursors
      // (Gladly) that a restart reads again are still recognised.
      const floor = cursorKey(keyToIso(keyMinusMs(max.key, windowMs)))!;
      for (const [pk, s] of seen) if (s.key < floor) seen.delete(pk);
      const older = [...seen].filter(([, s]) => s.key < max!.key);
      if (older.length > maxRecent) {
        older.sort((a, b) => (a[1].key < b[1].key ? -1 : a[1].key > b[1].key ? 1 : 0));
        for (const [pk] of older.slice(0, older.length - maxRecent)) seen.delete(pk);
      }
    },
    toState() {
      if (!max) return {};
      const idsAtCursor: string[] = [];
      const recent: Record<string, string> = {};
      for (const [pk, s] of seen) {
        if (s.key === max.key) idsAtCursor.push(pk);
        else recent[pk] = s.raw;
      }
      const state: CursorState = { cursor: max.raw, idsAtCursor };
      if (Object.keys(recent).length > 0) state.recent = recent;
      return state;
    },
  };
}

/**
 * Reads a saved state defensively: a state from an older version or another tool must not
 * crash the run. Returns undefined (read from the start date again: duplicates, never gaps)
 * with the reason when it cannot be used.
 */
export function parseCursorState(state: unknown): { state?: CursorState; problem?: string } {
  if (state === undefined || state === null) return {};
  if (typeof state !== 'object' || Array.isArray(state)) return { problem: 'the saved state is not an object' };
  const s = state as Record<string, unknown>;
  if (s.cursor === undefined) return { state: {} };
  if (typeof s.cursor !== 'string' || cursorKey(s.cursor) === undefined) return { problem: `the saved cursor ${JSON.stringify(s.cursor)} is not a timestamp` };
  const ids = Array.isArray(s.idsAtCursor) ? s.idsAtCursor.filter((x): x is string => typeof x === 'string') : [];
  const recent: Record<string, string> = {};
  if (s.recent && typeof s.recent === 'object') {
    for (const [k, v] of Object.entries(s.recent as Record<string, unknown>)) if (typeof v === 'string') recent[k] = v;
  }
  return { state: { cursor: s.cursor, idsAtCursor: ids, recent } };
}
