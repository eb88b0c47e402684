/**
 * Sessions: about 0.6 per ticket, created over the history (plus two months before it, so
 * the first tickets have contacts). Activity columns are finished by the conversation
 * generator, which knows when each contact last wrote.
 */
import type { Prng } from '../../shared/prng.ts';
import { drawSessionColumns } from '../resources/sessions.ts';
import type { GleapStore } from '../store/gleap-store.ts';
import { HISTORY_MS } from './history.ts';
import { sampleInstants } from './time-shape.ts';

export function generateSessions(store: GleapStore, rng: Prng): void {
  const n = Math.max(1, Math.round(store.scale * 0.6));
  const t = store.sessions;
  const times = sampleInstants(rng, n, store.startedAt - HISTORY_MS - 60 * 86_400_000, store.startedAt, 1.2);
  t.initRows(n);
  const c = t.cols;
  for (let i = 0; i < n; i++) {
    t.createdAt[i] = times[i];
    drawSessionColumns(t, i, rng);
    c.reports[i] = 0;
    c.comments[i] = 0;
    // Provisional: visits after signing up. The conversation generator extends it.
    c.lastActivity[i] = Math.min(store.startedAt, times[i] + Math.floor(rng.lognormal(Math.log(3 * 86_400_000), 1.5)));
  }
}

/** Sets updatedAt from the final activity columns (after conversations). */
export function finishSessions(store: GleapStore): void {
  const t = store.sessions;
  const c = t.cols;
  for (let i = 0; i < t.size; i++) {
    const heard = c.lastHeardFrom[i];
    if (!Number.isNaN(heard) && heard > c.lastActivity[i]) c.lastActivity[i] = heard;
    t.updatedAt[i] = c.lastActivity[i];
  }
}
