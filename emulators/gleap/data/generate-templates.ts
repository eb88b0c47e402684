/** About twenty message templates (canned replies), public or private to an agent. */
import type { Prng } from '../../shared/prng.ts';
import { sortedTimes } from './generate-people.ts';
import { HISTORY_MS } from './history.ts';
import { richText } from './rich-text.ts';
import { AGENT_LINES, TEMPLATE_TITLES } from './vocabulary.ts';
import type { GleapStore } from '../store/gleap-store.ts';
import type { Doc } from '../store/table.ts';

export function generateTemplates(store: GleapStore, rng: Prng): void {
  const count = rng.int(18, 22);
  const t = store.message_templates;
  const times = sortedTimes(rng, count, store.startedAt - HISTORY_MS, store.startedAt - 86_400_000);
  t.initRows(count);
  for (let i = 0; i < count; i++) {
    t.createdAt[i] = times[i];
    t.updatedAt[i] = times[i] + Math.floor(rng.next() * (store.startedAt - times[i]));
    t.docs.set(i, templateDoc(store, rng, i));
  }
}

export function templateDoc(store: GleapStore, rng: Prng, i: number): Doc {
  const isPublic = rng.chance(0.75);
  const title = TEMPLATE_TITLES[i % TEMPLATE_TITLES.length];
  const agents = store.agents;
  return {
    title,
    content: richText(`Hi {{contact.name}},`, rng.pick(AGENT_LINES).replace('{area}', 'dashboard'), 'Best regards'),
    lexorank: `0|${(100000 + i * 1000).toString(36)}:`,
    isPublic,
    users: isPublic || agents.size === 0 ? [] : [agents.idOf(rng.int(0, agents.size - 1))],
    attachments: [],
    actions: rng.chance(0.2) ? [{ type: 'CLOSE_TICKET', data: null }] : [],
    project: store.project,
  };
}
