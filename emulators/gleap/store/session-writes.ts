/**
 * Writes to sessions shared by the REST API (create, update, delete, import, unsubscribe)
 * and the server API (identify, delete contact): every write stamps updatedAt, keeps the
 * userId lookup current, and records identity changes for /identity-history.
 */
import { blankSession, sessionIdentity } from '../resources/sessions.ts';
import type { GleapStore } from './gleap-store.ts';
import type { Doc } from './table.ts';

const IDENTITY_FIELDS = ['email', 'name', 'userId'] as const;
const PROTECTED = new Set(['_id', 'id', 'createdAt', 'updatedAt', 'project']);

function userIdIndex(store: GleapStore): Map<string, number> {
  if (store.userIdIndex) return store.userIdIndex;
  const index = new Map<string, number>();
  const t = store.sessions;
  for (let i = 0; i < t.size; i++) {
    if (!t.alive[i]) continue;
    const doc = t.docs.get(i);
    const userId = doc ? doc.userId : sessionIdentity(store, i).userId;
    if (typeof userId === 'string' && !index.has(userId)) index.set(userId, i);
  }
  store.userIdIndex = index;
  return index;
}

/** The live session with this userId, or -1. */
export function findSessionByUserId(store: GleapStore, userId: string): number {
  const i = userIdIndex(store).get(userId);
  return i !== undefined && store.sessions.alive[i] ? i : -1;
}

/** The live session with this e-mail address (case-insensitive), or -1. A scan: rare. */
export function findSessionByEmail(store: GleapStore, email: string): number {
  const t = store.sessions;
  const want = email.toLowerCase();
  for (let i = 0; i < t.size; i++) {
    if (!t.alive[i]) continue;
    const doc = t.docs.get(i);
    const e = doc ? doc.email : sessionIdentity(store, i).email;
    if (typeof e === 'string' && e.toLowerCase() === want) return i;
  }
  return -1;
}

/** Creates a session from API fields; returns its row. */
export function createSession(store: GleapStore, fields: Record<string, unknown>, source: string): number {
  const t = store.sessions;
  const at = store.clock.stamp();
  const i = t.append(at);
  const iso = new Date(at).toISOString();
  const doc: Doc = { ...blankSession(store), firstActivity: iso, lastActivity: iso, sessions: 1 };
  for (const [k, v] of Object.entries(fields)) if (!PROTECTED.has(k)) doc[k] = v;
  t.docs.set(i, doc);
  for (const k of Object.keys(doc)) t.knownFields.add(k);
  if (typeof doc.userId === 'string') userIdIndex(store).set(doc.userId, i);
  recordIdentity(store, i, blankSession(store), doc, source, at);
  return i;
}

/** Merges `patch` into session `i` (a live row) and stamps it; returns the new document. */
export function updateSession(store: GleapStore, i: number, patch: Record<string, unknown>, source: string): Doc {
  const t = store.sessions;
  const before = t.materialize(i);
  const doc: Doc = { ...before };
  for (const k of PROTECTED) delete doc[k];
  for (const [k, v] of Object.entries(patch)) if (!PROTECTED.has(k)) doc[k] = v;
  t.docs.set(i, doc);
  for (const k of Object.keys(doc)) t.knownFields.add(k);
  const at = store.clock.stamp();
  t.touch([i], [at]);
  if (before.userId !== doc.userId) {
    const index = userIdIndex(store);
    if (typeof before.userId === 'string' && index.get(before.userId) === i) index.delete(before.userId);
    if (typeof doc.userId === 'string') index.set(doc.userId, i);
  }
  recordIdentity(store, i, before, doc, source, at);
  return t.materialize(i);
}

export function deleteSession(store: GleapStore, i: number): boolean {
  const t = store.sessions;
  const doc = t.docs.get(i);
  const userId = doc ? doc.userId : sessionIdentity(store, i).userId;
  if (!t.remove(i)) return false;
  if (typeof userId === 'string' && store.userIdIndex?.get(userId) === i) store.userIdIndex.delete(userId);
  store.identityHistory.delete(i);
  return true;
}

function recordIdentity(store: GleapStore, i: number, before: Doc, after: Doc, source: string, at: number): void {
  for (const field of IDENTITY_FIELDS) {
    if (before[field] === after[field]) continue;
    const list = store.identityHistory.get(i) ?? [];
    list.push({ field, from: before[field] ?? null, to: after[field] ?? null, at: new Date(at).toISOString(), source });
    store.identityHistory.set(i, list);
  }
}
