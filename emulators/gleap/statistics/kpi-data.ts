/**
 * The emulated project's tickets and messages as KPI rows, read from the same columns the
 * API documents are built from (so a synced warehouse holds exactly these values). Cached
 * until a table changes.
 */
import { messageRole } from '../../../src/gleap/kpi/kpi-definitions.ts';
import { prepareKpiData } from '../../../src/gleap/kpi/evaluate-measures.ts';
import type { KpiData, MessageRow, TicketRow } from '../../../src/gleap/kpi/evaluate-measures.ts';
import { ROLE_BOT, ROLE_NOTE } from '../resources/messages.ts';
import type { GleapStore } from '../store/gleap-store.ts';

const cache = new WeakMap<GleapStore, { key: string; data: KpiData }>();

const ms = (v: number): number | null => (Number.isNaN(v) ? null : Math.floor(v));

function ticketRows(store: GleapStore): TicketRow[] {
  const t = store.tickets;
  const c = t.cols;
  const rows: TicketRow[] = [];
  for (let i = 0; i < t.size; i++) {
    if (!t.alive[i]) continue;
    const team = c.processingTeam[i];
    const user = c.processingUser[i];
    rows.push({
      id: t.idOf(i),
      createdAt: Math.floor(t.createdAt[i]),
      closedAt: ms(c.closedAt[i]),
      isSpam: c.isSpam[i] === 1,
      processingTeam: team >= 0 ? store.teams.idOf(team) : null,
      processingUser: user >= 0 ? store.agents.idOf(user) : null,
      rating: c.rating[i] > 0 ? c.rating[i] : null,
      slaBreached: c.slaBreached[i] === 1,
    });
  }
  return rows;
}

function messageRows(store: GleapStore): MessageRow[] {
  const m = store.messages;
  const c = m.cols;
  const rows: MessageRow[] = [];
  for (let i = 0; i < m.size; i++) {
    if (!m.alive[i]) continue;
    const role = c.role[i];
    const user = c.user[i] >= 0 ? store.agents.idOf(c.user[i]) : null;
    rows.push({
      ticket: c.ticket[i] >= 0 ? store.tickets.idOf(c.ticket[i]) : null,
      createdAt: Math.floor(m.createdAt[i]),
      // The same rule the warehouse applies to the documents' fields.
      role: messageRole({ type: role === ROLE_NOTE ? 'NOTE' : 'COMMENT', isNote: role === ROLE_NOTE, bot: role === ROLE_BOT, user }),
      user,
    });
  }
  return rows;
}

export function kpiDataOf(store: GleapStore): KpiData {
  const key = `${store.tickets.version}:${store.messages.version}:${store.agents.version}:${store.teams.version}`;
  const hit = cache.get(store);
  if (hit?.key === key) return hit.data;
  const data = prepareKpiData(ticketRows(store), messageRows(store));
  cache.set(store, { key, data });
  return data;
}
