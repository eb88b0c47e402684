/**
 * Tickets and their messages, generated together so they tell one story: a customer
 * writes (the ticket's first message is its creation), the AI bot may answer, an agent
 * replies after a first-response delay, the conversation goes back and forth, internal
 * notes appear, and the ticket may close some hours after the last message. Counts are
 * heavy-tailed: most tickets have 1-10 messages, a few have hundreds (about 8 on average).
 * Everything the statistics need is derived from these timelines (first reply, SLA
 * breach, closing time, rating), so the numbers are consistent with the messages.
 *
 * Messages are staged per ticket and then written in createdAt order, which is the row
 * order every table keeps.
 */
import type { Prng } from '../../shared/prng.ts';
import * as roles from '../resources/messages.ts';
import { NO_SENTIMENT } from '../resources/tickets.ts';
import type { GleapStore } from '../store/gleap-store.ts';
import { createRefIndex } from '../store/ref-index.ts';
import { finishSessions } from './generate-sessions.ts';
import { HISTORY_MS } from './history.ts';
import { sampleInstants } from './time-shape.ts';
import * as vocabulary from './vocabulary.ts';

// Module-local copies: imported bindings are slower to read in the hot loops below.
const { ROLE_AGENT, ROLE_BOT, ROLE_CUSTOMER, ROLE_NOTE } = roles;
const { TICKET_CHANNELS, TICKET_STATUSES, TICKET_TAGS, TICKET_TYPES } = vocabulary;
const TICKET_TYPE_WEIGHTS = [...vocabulary.TICKET_TYPE_WEIGHTS];
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const T = Object.fromEntries(TICKET_TYPES.map((t, i) => [t, i])) as Record<(typeof TICKET_TYPES)[number], number>;
const S = Object.fromEntries(TICKET_STATUSES.map((s, i) => [s, i])) as Record<(typeof TICKET_STATUSES)[number], number>;
const EMAIL = TICKET_CHANNELS.indexOf('email');
const WIDGET = TICKET_CHANNELS.indexOf('widget');
const API = TICKET_CHANNELS.indexOf('api');
const CLOSE_PROBABILITY = [0.8, 0.35, 0.93, 0.85, 0.97]; // by type index
const STATUS_SENT = 0;
const STATUS_DELIVERED = 1;
const STATUS_READ = 2;

/** Planned message count: log-normal body (1-10 typical) with a rare Pareto tail (hundreds). */
function plannedCount(rng: Prng): number {
  if (rng.chance(0.004)) return Math.min(900, Math.round(100 * Math.pow(1 - rng.next(), -1 / 1.5)));
  return Math.max(1, Math.round(rng.lognormal(1.8, 0.85)));
}

class Staging {
  ticket: Int32Array;
  time: Float64Array;
  role: Uint8Array;
  user: Int32Array;
  n = 0;
  constructor(capacity: number) {
    this.ticket = new Int32Array(capacity);
    this.time = new Float64Array(capacity);
    this.role = new Uint8Array(capacity);
    this.user = new Int32Array(capacity);
  }
  push(ticket: number, time: number, role: number, user: number): void {
    if (this.n === this.time.length) this.grow();
    this.ticket[this.n] = ticket;
    this.time[this.n] = time;
    this.role[this.n] = role;
    this.user[this.n] = user;
    this.n++;
  }
  private grow(): void {
    const cap = this.time.length * 2;
    const t = new Int32Array(cap); t.set(this.ticket); this.ticket = t;
    const m = new Float64Array(cap); m.set(this.time); this.time = m;
    const r = new Uint8Array(cap); r.set(this.role); this.role = r;
    const u = new Int32Array(cap); u.set(this.user); this.user = u;
  }
}

export function generateConversations(store: GleapStore, rng: Prng): void {
  const now = store.startedAt;
  const n = store.scale;
  const tickets = store.tickets;
  const tc = tickets.cols;
  const sessions = store.sessions;
  const agents = store.agents;

  // Teams: who can be assigned, how big, and their SLA.
  const teamMembers: number[][] = [];
  const teamSlaMs: number[] = [];
  for (let k = 0; k < store.teams.size; k++) {
    const doc = store.teams.docs.get(k)!;
    teamMembers.push((doc.members as string[]).map((id) => agents.indexOf(id)).filter((a) => a >= 0));
    teamSlaMs.push(((doc.slaOptions as { defaultSla: number }).defaultSla ?? 86_400) * 1000);
  }
  const teamWeights = teamMembers.map((m) => m.length + 1);

  const created = sampleInstants(rng, n, now - HISTORY_MS, now, 1.5);
  tickets.initRows(n);
  const staging = new Staging(n * 9 + 1024);
  const botResolvedFlags = new Uint8Array(n);
  const roles: number[] = [];
  const times: number[] = [];

  for (let i = 0; i < n; i++) {
    const at = created[i];
    tickets.createdAt[i] = at;
    const type = rng.weighted(TICKET_TYPE_WEIGHTS);
    const inquiry = type === T.INQUIRY;
    const channel = inquiry ? rng.weighted([0.45, 0.37, 0.08, 0.05, 0.03, 0.02]) : rng.chance(0.93) ? WIDGET : API;
    tc.type[i] = type;
    tc.channel[i] = channel;
    tc.priority[i] = rng.weighted(type === T.BUG || type === T.CRASH ? [0.25, 0.45, 0.3] : [0.5, 0.38, 0.12]);
    tc.session[i] = pickSession(sessions.createdAt, sessions.size, at, rng);

    const spam = inquiry && channel === EMAIL && rng.chance(0.05);
    const kai = !spam && inquiry && channel === WIDGET && rng.chance(0.55);
    const botResolved = kai && rng.chance(0.4);
    botResolvedFlags[i] = botResolved ? 1 : 0;
    const team = teamWeights.length ? rng.weighted(teamWeights) : -1;
    const members = team >= 0 ? teamMembers[team] : [];
    const agent = members.length ? rng.pick(members) : agents.size ? rng.int(0, agents.size - 1) : -1;

    // The conversation's senders, then its timeline (cut at "now").
    const planned = spam ? 1 : type === T.RATING ? (rng.chance(0.7) ? 1 : 2) : plannedCount(rng);
    roles.length = 0;
    roles.push(ROLE_CUSTOMER);
    if (kai) {
      roles.push(ROLE_BOT);
      if (botResolved) while (roles.length < Math.min(planned, 6)) roles.push(ROLE_CUSTOMER, ROLE_BOT);
      else roles.push(ROLE_CUSTOMER);
    }
    if (!botResolved && !spam) {
      while (roles.length < planned) {
        const prev = roles[roles.length - 1];
        const r = rng.next();
        roles.push(
          prev === ROLE_AGENT ? (r < 0.7 ? ROLE_CUSTOMER : r < 0.85 ? ROLE_AGENT : ROLE_NOTE)
          : prev === ROLE_NOTE ? (r < 0.75 ? ROLE_AGENT : ROLE_CUSTOMER)
          : r < 0.85 ? ROLE_AGENT : r < 0.95 ? ROLE_NOTE : ROLE_CUSTOMER,
        );
      }
    }
    if (roles.length > Math.max(planned, kai ? 2 : 1)) roles.length = Math.max(planned, kai ? 2 : 1);

    times.length = 0;
    times.push(at);
    let t = at;
    let agentSeen = false;
    for (let k = 1; k < roles.length; k++) {
      const role = roles[k];
      const gap =
        role === ROLE_BOT ? rng.int(3_000, 20_000)
        : role !== ROLE_CUSTOMER && !agentSeen ? rng.lognormal(Math.log(2 * HOUR), 1.3)
        : role === ROLE_AGENT ? rng.lognormal(Math.log(roles[k - 1] === ROLE_CUSTOMER ? 40 * MIN : 8 * MIN), 1.2)
        : role === ROLE_NOTE ? rng.lognormal(Math.log(15 * MIN), 1.2)
        : rng.lognormal(Math.log(3 * HOUR), 1.6);
      t += Math.max(1_000, Math.floor(gap));
      if (t > now) break;
      if (role === ROLE_AGENT || role === ROLE_NOTE) agentSeen = true;
      times.push(t);
    }
    const count = times.length;
    let hasAgentMessage = false;
    for (let k = 0; k < count; k++) {
      const role = roles[k];
      const sender = role === ROLE_AGENT || role === ROLE_NOTE ? (members.length > 1 && rng.chance(0.1) ? rng.pick(members) : agent) : -1;
      if (sender >= 0) hasAgentMessage = true;
      staging.push(i, times[k], role, sender);
    }

    // Closing, status, assignment.
    const last = times[count - 1];
    const closeAt = spam ? at + rng.int(1, 30) * MIN : last + Math.floor(rng.lognormal(Math.log(6 * HOUR), 1.5));
    const closed = (spam || botResolved || rng.chance(CLOSE_PROBABILITY[type])) && closeAt <= now;
    tc.closedAt[i] = closed ? closeAt : NaN;
    tc.conversationClosed[i] = closed ? 1 : 0;
    tc.status[i] = closed
      ? rng.chance(0.85) ? S.DONE : S.CLOSED
      : type === T.FEATURE_REQUEST ? [S.OPEN, S.PLANNED, S.INPROGRESS][rng.weighted([0.5, 0.3, 0.2])]
      : hasAgentMessage && rng.chance(0.55) ? S.INPROGRESS : S.OPEN;
    tc.isSpam[i] = spam ? 1 : 0;
    tc.kaiInvolved[i] = kai ? 1 : 0;
    tc.processingTeam[i] = spam ? -1 : team;
    tc.processingUser[i] = hasAgentMessage || (!spam && rng.chance(0.5)) ? agent : -1;
    if (tc.processingUser[i] >= 0) {
      const firstAgentAt = firstTime(times, roles, count, (r) => r === ROLE_AGENT || r === ROLE_NOTE);
      tc.firstAssignmentAt[i] = Number.isNaN(firstAgentAt)
        ? Math.min(now, at + Math.floor(rng.lognormal(Math.log(20 * MIN), 1)))
        : at + Math.floor(rng.next() * 0.8 * (firstAgentAt - at));
    }

    // The rest of the ticket's columns.
    tc.dueDate[i] = (type === T.BUG || type === T.FEATURE_REQUEST) && rng.chance(0.25) ? at + rng.int(3, 45) * DAY : NaN;
    tc.upvotesCount[i] =
      type === T.FEATURE_REQUEST ? Math.min(65_000, Math.floor(rng.lognormal(Math.log(4), 1.3)))
      : type === T.BUG && rng.chance(0.2) ? rng.int(1, 10) : 0;
    tc.duplicatesCount[i] =
      type === T.BUG && rng.chance(0.15) ? rng.int(1, 5) : type === T.FEATURE_REQUEST && rng.chance(0.3) ? rng.int(1, 12) : 0;
    let tags = 0;
    for (let b = 0; b < TICKET_TAGS.length; b++) if (rng.chance(0.1)) tags |= 1 << b;
    tc.tags[i] = tags;
    if (!closed && !spam && rng.chance(0.05)) {
      tc.snoozed[i] = 1;
      tc.snoozedUntil[i] = now + rng.int(1, 7 * 24) * HOUR;
    }
    if (closed && ((closeAt < now - 60 * DAY && rng.chance(0.4)) || (spam && rng.chance(0.5)))) {
      tc.archived[i] = 1;
      tc.archivedAt[i] = Math.min(now, closeAt + Math.floor(rng.lognormal(Math.log(20 * DAY), 0.6)));
    }
  }

  const lastRole = writeMessages(store, staging, rng);

  // Derived from the timelines: replies, SLA, rating, sentiment, unread, updatedAt.
  const sc = sessions.cols;
  for (let i = 0; i < n; i++) {
    const at = tickets.createdAt[i];
    const closed = tc.conversationClosed[i] === 1;
    const type = tc.type[i];
    const team = tc.processingTeam[i];
    const slaMs = team >= 0 ? teamSlaMs[team] : 24 * HOUR;
    const reply = tc.firstAgentReplyAt[i];
    const exempt = tc.isSpam[i] === 1 || type === T.RATING || botResolvedFlags[i] === 1;
    tc.slaBreached[i] = exempt ? 0
      : !Number.isNaN(reply) ? (reply - at > slaMs ? 1 : 0)
      : (closed ? tc.closedAt[i] : now) - at > slaMs ? 1 : 0;
    const rateable = closed && type === T.INQUIRY && tc.isSpam[i] === 0;
    tc.rating[i] = rateable && rng.chance(0.35)
      ? 1 + rng.weighted(tc.slaBreached[i] ? [0.2, 0.15, 0.2, 0.25, 0.2] : [0.04, 0.04, 0.1, 0.27, 0.55])
      : 0;
    const rating = tc.rating[i];
    tc.sentiment[i] = tc.isSpam[i] ? NO_SENTIMENT
      : rating >= 4 ? 0 : rating === 3 ? 1 : rating > 0 ? 2
      : rng.chance(0.1) ? NO_SENTIMENT : rng.weighted([0.3, 0.5, 0.2]);
    tc.notificationsUnread[i] = !closed && lastRole[i] === ROLE_CUSTOMER ? rng.int(1, 3) : 0;

    let updated = Math.max(at, tickets.updatedAt[i]); // updatedAt holds the latest message edit so far
    for (const v of [tc.closedAt[i], tc.archivedAt[i], tc.firstAssignmentAt[i]]) if (!Number.isNaN(v) && v > updated) updated = v;
    updated = Math.min(now, updated + rng.int(0, 10 * MIN));
    if (rng.chance(0.1)) updated += Math.floor(rng.next() * (now - updated));
    tickets.updatedAt[i] = updated;

    const s = tc.session[i];
    if (s >= 0) {
      sc.reports[s]++;
      if (!(sc.lastReportAt[s] >= at)) sc.lastReportAt[s] = at;
    }
  }
  finishSessions(store);
}

/** A session that existed when the ticket was created: often a fresh one, else any. */
function pickSession(sessionCreated: Float64Array, count: number, at: number, rng: Prng): number {
  if (count === 0) return -1;
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sessionCreated[mid] <= at) lo = mid + 1;
    else hi = mid;
  }
  const ub = lo; // sessions [0, ub) were created at or before `at`
  if (ub === 0) return 0;
  return rng.chance(0.5) ? ub - 1 - Math.floor(rng.next() * Math.min(ub, 40)) : Math.floor(rng.next() * ub);
}

function firstTime(times: number[], roles: number[], count: number, pred: (role: number) => boolean): number {
  for (let k = 0; k < count; k++) if (pred(roles[k])) return times[k];
  return NaN;
}

/**
 * Writes staged messages in createdAt order and gathers, per ticket, what the derived
 * columns need. Returns the role of each ticket's last message. Tickets' `updatedAt`
 * temporarily holds their latest message update.
 */
function writeMessages(store: GleapStore, staging: Staging, rng: Prng): Uint8Array {
  const now = store.startedAt;
  const tickets = store.tickets;
  const tc = tickets.cols;
  const messages = store.messages;
  const mc = messages.cols;
  const sc = store.sessions.cols;
  const count = staging.n;
  const stTime = staging.time;
  const perm = new Int32Array(count);
  for (let k = 0; k < count; k++) perm[k] = k;
  perm.sort((a, b) => stTime[a] - stTime[b] || a - b);

  messages.initRows(count);
  const ticketCount = tickets.size;
  const lastRow = new Int32Array(ticketCount).fill(-1);
  const lastRole = new Uint8Array(ticketCount);
  tc.messageCount.fill(0, 0, ticketCount);
  tickets.updatedAt.fill(0, 0, ticketCount);
  for (let r = 0; r < count; r++) {
    const s = perm[r];
    const ticket = staging.ticket[s];
    const role = staging.role[s];
    const at = stTime[s];
    messages.createdAt[r] = at;
    const updated = rng.chance(0.02) ? Math.min(now, at + rng.int(10_000, HOUR)) : at;
    messages.updatedAt[r] = updated;
    mc.ticket[r] = ticket;
    mc.role[r] = role;
    mc.user[r] = staging.user[s];
    const session = tc.session[ticket];
    mc.session[r] = role === ROLE_CUSTOMER ? session : -1;
    const channel = tc.channel[ticket];
    mc.replyTo[r] = role === ROLE_AGENT && channel === EMAIL ? lastRow[ticket] : -1;
    mc.status[r] = role === ROLE_NOTE ? STATUS_SENT : STATUS_READ;
    mc.rating[r] = role === ROLE_BOT && rng.chance(0.3) ? (rng.chance(0.7) ? 1 : 2) : 0;
    mc.outbound[r] = role === ROLE_AGENT && rng.chance(0.01) ? 1 : 0;
    mc.sendToChannel[r] = role === ROLE_AGENT && channel !== WIDGET ? 1 : 0;
    mc.unread[r] = 0;

    tc.messageCount[ticket]++;
    lastRow[ticket] = r;
    lastRole[ticket] = role;
    if (updated > tickets.updatedAt[ticket]) tickets.updatedAt[ticket] = updated;
    if (role === ROLE_AGENT) {
      tc.hasAgentReply[ticket] = 1;
      if (Number.isNaN(tc.firstAgentReplyAt[ticket])) tc.firstAgentReplyAt[ticket] = at;
      tc.lastAdminAt[ticket] = at;
    } else if (role === ROLE_CUSTOMER) {
      tc.lastContactAt[ticket] = at;
      if (session >= 0) {
        sc.comments[session]++;
        if (!(sc.lastHeardFrom[session] >= at)) sc.lastHeardFrom[session] = at;
      }
    }
  }
  // The last message of an open ticket may still be unread.
  for (let i = 0; i < ticketCount; i++) {
    const r = lastRow[i];
    tc.latestComment[i] = r;
    if (r < 0 || tc.conversationClosed[i]) continue;
    if (mc.role[r] === ROLE_AGENT || mc.role[r] === ROLE_BOT) {
      mc.status[r] = rng.chance(0.5) ? STATUS_DELIVERED : STATUS_READ;
      mc.unread[r] = rng.chance(0.6) ? 1 : 0;
    } else if (mc.role[r] === ROLE_CUSTOMER) {
      mc.status[r] = STATUS_DELIVERED;
    }
  }
  messages.refIndexes.set('ticket', createRefIndex(mc.ticket, count, ticketCount));
  return lastRole;
}
