/**
 * Messages of tickets. The sender is a column (`role`): the customer (`session` set), an
 * agent (`user` = agent id), an internal note (`type` NOTE, `isNote`), or the AI bot
 * (`bot`, `kaiChat`). The body is both plain `comment` text and a rich-text `data` doc.
 */
import { hashSeed, rowPrng } from '../../shared/prng.ts';
import type { Prng } from '../../shared/prng.ts';
import { fill, iso } from '../data/format.ts';
import { richText } from '../data/rich-text.ts';
import {
  AGENT_LINES, BOT_LINES, CUSTOMER_LINES, LANGS, MESSAGE_RATINGS, MESSAGE_STATUSES, NOTE_LINES, TICKET_CHANNELS,
} from '../data/vocabulary.ts';
import type { GleapStore } from '../store/gleap-store.ts';
import type { Doc } from '../store/table.ts';
import { defineResource } from './resource-def.ts';
import { randomAlive, ticketArea, ticketDescription } from './tickets.ts';

export const MESSAGE_COLUMNS = {
  ticket: Int32Array,
  user: Int32Array,
  session: Int32Array,
  replyTo: Int32Array,
  /** ROLE_CUSTOMER, ROLE_AGENT, ROLE_NOTE or ROLE_BOT. */
  role: Uint8Array,
  status: Uint8Array,
  /** Index into MESSAGE_RATINGS (0 = none). */
  rating: Uint8Array,
  outbound: Uint8Array,
  sendToChannel: Uint8Array,
  unread: Uint8Array,
};
export type MessageColumns = typeof MESSAGE_COLUMNS;

export const ROLE_CUSTOMER = 0;
export const ROLE_AGENT = 1;
export const ROLE_NOTE = 2;
export const ROLE_BOT = 3;

function buildMessage(store: GleapStore, i: number): Doc {
  const m = store.messages.cols;
  const role = m.role[i];
  const ticket = m.ticket[i];
  const rng = rowPrng(hashSeed(store.seed, 'message-doc'), i);
  const area = ticket >= 0 ? ticketArea(store, ticket) : 'dashboard';
  const lines = role === ROLE_CUSTOMER ? CUSTOMER_LINES : role === ROLE_AGENT ? AGENT_LINES : role === ROLE_NOTE ? NOTE_LINES : BOT_LINES;
  const opening = role === ROLE_CUSTOMER && ticket >= 0 && store.messages.createdAt[i] === store.tickets.createdAt[ticket];
  const text = opening ? ticketDescription(store, ticket) : fill(rng.pick(lines), { area });
  const channel = ticket >= 0 ? TICKET_CHANNELS[store.tickets.cols.channel[ticket]] : 'widget';
  const session = m.session[i];
  const customerSession = ticket >= 0 ? store.tickets.cols.session[ticket] : -1;
  const lang = customerSession >= 0 ? LANGS[store.sessions.cols.lang[customerSession]] : 'en';
  const translated = lang !== 'en' && role !== ROLE_NOTE && rng.chance(0.6);
  const email = channel === 'email' && role !== ROLE_NOTE;
  const outbound = m.outbound[i] === 1;
  const user = m.user[i];
  const replyTo = m.replyTo[i];
  const hasAttachment = (role === ROLE_CUSTOMER && rng.chance(0.06)) || (role === ROLE_AGENT && rng.chance(0.03));
  const id = store.messages.idOf(i);
  return {
    _id: id,
    id,
    ticket: ticket >= 0 ? store.tickets.idOf(ticket) : null,
    type: role === ROLE_NOTE ? 'NOTE' : 'COMMENT',
    status: MESSAGE_STATUSES[m.status[i]],
    bot: role === ROLE_BOT,
    isNote: role === ROLE_NOTE,
    kaiChat: role === ROLE_BOT,
    outbound,
    sendToChannel: m.sendToChannel[i] === 1,
    sessionNotificationsUnread: m.unread[i] === 1,
    data: richText(text),
    translatedData: translated ? { [lang]: richText(`[${lang}] ${text}`) } : null,
    comment: text,
    rating: MESSAGE_RATINGS[m.rating[i]],
    user: user >= 0 ? store.agents.idOf(user) : null,
    session: session >= 0 ? store.sessions.idOf(session) : null,
    emailId: email ? `<${rng.hex(20)}@mail.gleap.io>` : null,
    messageRef: email && rng.chance(0.3) ? `<${rng.hex(16)}@${rng.pick(['gmail.com', 'outlook.com'])}>` : null,
    replyTo: replyTo >= 0 ? store.messages.idOf(replyTo) : null,
    outboundTemplate: outbound && store.message_templates.size > 0 ? store.message_templates.idOf(rng.int(0, store.message_templates.size - 1)) : null,
    outboundSubject: outbound && email ? `Re: your ${area} request` : null,
    attachments: hasAttachment
      ? [{ name: rng.pick(['screenshot.png', 'invoice.pdf', 'log.txt']), url: `https://files.gleap.io/attachments/${rng.hex(24)}`, type: rng.pick(['image/png', 'application/pdf', 'text/plain']) }]
      : [],
    actions:
      role === ROLE_BOT && rng.chance(0.5)
        ? [{ type: 'BUTTON', data: { title: 'Talk to a person', action: 'HUMAN_HANDOFF' } }, { type: 'BUTTON', data: { title: 'That helped', action: 'RESOLVED' } }]
        : [],
    channel: { id: `${channel}-${store.project}`, type: channel, messageId: email ? `<${rng.hex(20)}@mail.gleap.io>` : null },
    aiData:
      role === ROLE_BOT
        ? {
            model: 'kai-2',
            confidence: Math.round(rng.next() * 100) / 100,
            answered: rng.chance(0.7),
            sources: [{ type: 'helpcenter-article', id: rng.hex(24), title: `How to use the ${area}` }],
          }
        : null,
    project: store.project,
    createdAt: iso(store.messages.createdAt[i]),
    updatedAt: iso(store.messages.updatedAt[i]),
  };
}

export const messagesResource = defineResource({
  name: 'messages',
  columns: MESSAGE_COLUMNS,
  limits: { default: 10000, max: 10000 },
  install(store) {
    const t = store.messages;
    const c = t.cols;
    t.generate = (i) => buildMessage(store, i);
    t.fields = {
      ticket: { kind: 'ref', target: 'tickets', get: (i) => c.ticket[i] },
      user: { kind: 'ref', target: 'agents', get: (i) => c.user[i] },
      session: { kind: 'ref', target: 'sessions', get: (i) => c.session[i] },
      replyTo: { kind: 'ref', target: 'messages', get: (i) => c.replyTo[i] },
      type: { kind: 'string', get: (i) => (c.role[i] === ROLE_NOTE ? 'NOTE' : 'COMMENT') },
      status: { kind: 'string', get: (i) => MESSAGE_STATUSES[c.status[i]] },
      rating: { kind: 'string', get: (i) => MESSAGE_RATINGS[c.rating[i]] },
      bot: { kind: 'boolean', get: (i) => c.role[i] === ROLE_BOT },
      kaiChat: { kind: 'boolean', get: (i) => c.role[i] === ROLE_BOT },
      isNote: { kind: 'boolean', get: (i) => c.role[i] === ROLE_NOTE },
      outbound: { kind: 'boolean', get: (i) => c.outbound[i] === 1 },
      sendToChannel: { kind: 'boolean', get: (i) => c.sendToChannel[i] === 1 },
      sessionNotificationsUnread: { kind: 'boolean', get: (i) => c.unread[i] === 1 },
    };
    if (t.size > 0) for (const f of Object.keys(buildMessage(store, 0))) t.knownFields.add(f);
  },
  create(store, rng, count) {
    const t = store.messages;
    const tickets = store.tickets;
    const rows: number[] = [];
    if (tickets.aliveCount === 0) return rows;
    for (let k = 0; k < count; k++) {
      const ticket = randomAlive(tickets.alive, tickets.size, rng);
      const i = t.append(store.clock.stamp());
      drawNewMessage(store, i, ticket, rng);
      t.refIndexes.get('ticket')?.add(ticket, i);
      rows.push(i);
    }
    return rows;
  },
});

/** A customer or agent reply to `ticket` (the mutate hook): no side effects on the ticket. */
function drawNewMessage(store: GleapStore, i: number, ticket: number, rng: Prng): void {
  const c = store.messages.cols;
  const agent = store.tickets.cols.processingUser[ticket];
  const fromAgent = agent >= 0 && rng.chance(0.5);
  c.ticket[i] = ticket;
  c.role[i] = fromAgent ? ROLE_AGENT : ROLE_CUSTOMER;
  c.user[i] = fromAgent ? agent : -1;
  c.session[i] = fromAgent ? -1 : store.tickets.cols.session[ticket];
  c.replyTo[i] = -1;
  c.status[i] = 0;
  c.rating[i] = 0;
}
