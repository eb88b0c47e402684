/**
 * Agents (the project's users) and teams. Agents: 10-50 depending on scale; teams: 5-20,
 * every agent in at least one team. Both were created before the ticket history starts.
 */
import type { Prng } from '../../shared/prng.ts';
import { iso, slug } from './format.ts';
import { AGENT_ROLES, ASSIGNMENT_METHODS, FIRST_NAMES, LAST_NAMES, TEAM_NAMES } from './vocabulary.ts';
import type { GleapStore } from '../store/gleap-store.ts';
import type { Doc } from '../store/table.ts';
import { HISTORY_MS } from './history.ts';

export function generatePeople(store: GleapStore, rng: Prng): void {
  const agentCount = clamp(Math.round(10 + store.scale / 2500) + rng.int(-1, 1), 10, 50);
  const teamCount = clamp(Math.round(agentCount / 2.5), 5, 20);
  const start = store.startedAt - HISTORY_MS;

  const agents = store.agents;
  const agentTimes = sortedTimes(rng, agentCount, start - 400 * 86_400_000, start - 10 * 86_400_000);
  agents.initRows(agentCount);
  for (let i = 0; i < agentCount; i++) {
    agents.createdAt[i] = agentTimes[i];
    agents.updatedAt[i] = agentTimes[i] + Math.floor(rng.next() * (store.startedAt - agentTimes[i]));
    agents.docs.set(i, agentDoc(store, rng, i, i === 0 ? 'ADMIN' : undefined));
  }

  const teams = store.teams;
  const teamTimes = sortedTimes(rng, teamCount, start - 300 * 86_400_000, start - 5 * 86_400_000);
  teams.initRows(teamCount);
  const members: string[][] = Array.from({ length: teamCount }, () => []);
  for (let a = 0; a < agentCount; a++) {
    members[a % teamCount].push(agents.idOf(a));
    if (rng.chance(0.3)) {
      const extra = rng.int(0, teamCount - 1);
      if (!members[extra].includes(agents.idOf(a))) members[extra].push(agents.idOf(a));
    }
  }
  for (let i = 0; i < teamCount; i++) {
    teams.createdAt[i] = teamTimes[i];
    teams.updatedAt[i] = teamTimes[i] + Math.floor(rng.next() * (store.startedAt - teamTimes[i]));
    teams.docs.set(i, teamDoc(store, rng, TEAM_NAMES[i % TEAM_NAMES.length], members[i]));
  }
}

export function agentDoc(store: GleapStore, rng: Prng, i: number, role?: string): Doc {
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  return {
    email: `${slug(firstName)}.${slug(lastName)}${i > 0 ? i : ''}@${slug(store.project).replace(/\./g, '-') || 'support'}.example.com`,
    firstName,
    lastName,
    profileImageUrl: `https://avatars.gleap.io/agents/${rng.hex(16)}.png`,
    role: role ?? AGENT_ROLES[rng.weighted([0.1, 0.2, 0.7])],
    userType: 'default',
    available: rng.chance(0.7),
    confirmed: true,
    hidden: false,
    lastSeen: iso(store.startedAt - Math.floor(rng.next() * 3 * 86_400_000)),
    project: store.project,
  };
}

export function teamDoc(store: GleapStore, rng: Prng, name: string, members: string[]): Doc {
  const limited = rng.chance(0.3);
  const alwaysOnline = rng.chance(0.3);
  return {
    name,
    assignmentMethod: ASSIGNMENT_METHODS[rng.weighted([0.2, 0.4, 0.2, 0.2])],
    members,
    selectOnlyOnlineMembers: rng.chance(0.5),
    limitTicketAmount: limited,
    ticketAmount: limited ? rng.pick([5, 10, 15, 20]) : 0,
    needQueueRerun: false,
    slaOptions: { defaultSla: rng.pick([4, 8, 24]) * 3600 },
    operatingHours: {
      enabled: !alwaysOnline,
      alwaysOnline,
      timezone: rng.pick(['Europe/Vienna', 'Europe/Berlin', 'America/New_York', 'Asia/Singapore']),
      openingTimes: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((day) => ({
        day,
        openingTime: '08:00',
        closingTime: rng.pick(['17:00', '18:00']),
        replyTime: null,
      })),
      replyTime: rng.pick(['minutes', 'hours', 'day']),
      staticTranslations: { outOfOfficeMessage: null },
    },
    project: store.project,
  };
}

/** `n` whole-millisecond instants in [from, to], ascending. */
export function sortedTimes(rng: Prng, n: number, from: number, to: number): Float64Array {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = Math.floor(from + rng.next() * (to - from));
  return out.sort();
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}
