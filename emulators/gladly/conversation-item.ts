/**
 * Conversation items, rebuilt on demand from (job, index): no item is ever stored, which
 * is what lets a multi-gigabyte file stream in constant memory. Items come in blocks of
 * six that read like a conversation: the customer writes on a channel, an agent answers,
 * a note or a topic change, the customer again, then a status change. The channel
 * rotates block by block, so every content type appears in any file of 66 items or more.
 */
import type { DataModel } from './data-model.ts';
import { IdKind, gladlyId } from './gladly-id.ts';
import type { Rng } from './prng.ts';
import { createRng, hash, sample } from './prng.ts';
import { agentContact, customerContact } from './records.ts';
import type { Contact } from './records.ts';
import {
  ACTIVITY_SOURCES, ACTIVITY_TITLES, AGENT_TEXTS, ATTACHMENT_TYPES, CALL_SUMMARIES, CUSTOMER_TEXTS,
  NOTE_TEXTS, SUBJECTS, VOICE_AI_TEXTS,
} from './vocabulary.ts';

export const CONTENT_TYPES = [
  'CHAT_MESSAGE', 'CONVERSATION_STATUS_CHANGE', 'CUSTOMER_ACTIVITY', 'EMAIL', 'FACEBOOK_MESSAGE',
  'CONVERSATION_NOTE', 'PHONE_CALL', 'SMS', 'TOPIC_CHANGE', 'VOICEMAIL', 'WHATSAPP', 'INSTAGRAM_DIRECT',
  'TWITTER', 'VOICE_AI_MESSAGE',
] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

/** Channels a conversation can start on, in rotation order. */
const CHANNELS: readonly ContentType[] = [
  'CHAT_MESSAGE', 'EMAIL', 'SMS', 'PHONE_CALL', 'FACEBOOK_MESSAGE', 'WHATSAPP', 'INSTAGRAM_DIRECT',
  'VOICEMAIL', 'VOICE_AI_MESSAGE', 'TWITTER', 'CUSTOMER_ACTIVITY',
];
/** Where agents answer a conversation that started on a channel they cannot reply on. */
const REPLY_CHANNEL: Partial<Record<ContentType, ContentType>> = {
  VOICEMAIL: 'PHONE_CALL',
  VOICE_AI_MESSAGE: 'PHONE_CALL',
  CUSTOMER_ACTIVITY: 'EMAIL',
};

const BLOCK = 6;
const COMPANY_EMAIL = 'support@company.com';
const COMPANY_PHONE = '+14155335980';
const Salt = { item: 21, block: 22 } as const;

/** What a job contributes to its items: where they fall in time and whom they concern. */
export interface ItemSource {
  seq: number;
  windowStartMs: number;
  windowEndMs: number;
  itemCount: number;
  customers: readonly number[];
}

type Party = { type: 'CUSTOMER' | 'AGENT' | 'AUTOMATION' | 'SYSTEM' | 'API'; id?: string };

interface Ctx {
  m: DataModel;
  rng: Rng;
  seq: number;
  index: number;
  customerIndex: number;
  day: number;
  itemId: string;
  atMs: number;
  contact: Contact;
  agentEmail: string;
  inbound: boolean;
}

export function conversationItem(m: DataModel, src: ItemSource, index: number): Record<string, unknown> {
  const block = Math.floor(index / BLOCK);
  const position = index % BLOCK;
  const rng = createRng(hash(m.seed, Salt.item, src.seq, index));
  const customerIndex = src.customers[hash(m.seed, Salt.block, src.seq, block, 1) % src.customers.length];
  const agentIndex = hash(m.seed, Salt.block, src.seq, block, 2) % m.agentPool;
  const channel = CHANNELS[(block + src.seq) % CHANNELS.length];
  const span = src.windowEndMs - src.windowStartMs;
  const atMs = src.windowStartMs + Math.floor(((index + rng.next()) / Math.max(1, src.itemCount)) * span);

  const customerId = m.customerId(customerIndex);
  const agent: Party = { type: 'AGENT', id: m.agentId(agentIndex) };
  const customer: Party = { type: 'CUSTOMER', id: customerId };
  const itemId = gladlyId(m.seed, IdKind.item, src.seq, index);
  const day = Math.floor(src.windowStartMs / 86_400_000);
  const ctx: Ctx = {
    m, rng, seq: src.seq, index, customerIndex, day, itemId, atMs,
    contact: customerContact(m, customerIndex), agentEmail: agentContact(m, agentIndex).email, inbound: true,
  };

  let type: ContentType;
  let initiator: Party;
  let responder: Party | undefined;
  switch (position) {
    case 0: // the customer reaches out (or an integration reports an activity)
      type = channel;
      initiator = channel === 'CUSTOMER_ACTIVITY' ? { type: 'API', id: gladlyId(m.seed, IdKind.rule, 1) } : channel === 'VOICE_AI_MESSAGE' ? { type: 'AUTOMATION', id: gladlyId(m.seed, IdKind.rule, 2) } : customer;
      if (channel === 'PHONE_CALL') responder = agent;
      break;
    case 1:
    case 3: // the agent answers on the same channel when possible
      type = REPLY_CHANNEL[channel] ?? channel;
      initiator = agent;
      responder = customer;
      ctx.inbound = false;
      break;
    case 2:
      type = rng.chance(0.5) ? 'CONVERSATION_NOTE' : 'TOPIC_CHANGE';
      initiator = type === 'TOPIC_CHANGE' && rng.chance(0.3) ? { type: 'AUTOMATION', id: gladlyId(m.seed, IdKind.rule, 3) } : agent;
      break;
    case 4:
      type = rng.chance(0.7) ? REPLY_CHANNEL[channel] ?? channel : 'TOPIC_CHANGE';
      if (type === 'TOPIC_CHANGE') initiator = agent;
      else {
        initiator = customer;
        if (type === 'PHONE_CALL') responder = agent;
      }
      if (type === 'VOICE_AI_MESSAGE') initiator = { type: 'AUTOMATION', id: gladlyId(m.seed, IdKind.rule, 2) };
      break;
    default:
      type = 'CONVERSATION_STATUS_CHANGE';
      initiator = rng.chance(0.8) ? agent : rng.chance(0.5) ? { type: 'SYSTEM' } : { type: 'AUTOMATION', id: gladlyId(m.seed, IdKind.rule, 4) };
  }

  const item: Record<string, unknown> = { id: itemId };
  // Items outside a conversation (some customer activities) have no conversationId.
  if (!(type === 'CUSTOMER_ACTIVITY' && rng.chance(0.5))) {
    item.conversationId = conversationIds.get(m, customerIndex, day);
  }
  item.customerId = customerId;
  item.timestamp = new Date(atMs).toISOString();
  item.initiator = initiator;
  if (responder) item.responder = responder;
  item.content = CONTENT[type](ctx);
  return item;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Conversation and chat-session ids are per customer and day: computed once, reused by many items. */
class IdMemo {
  private readonly cache = new Map<string, string>();
  constructor(private readonly kind: number) {}
  get(m: DataModel, customerIndex: number, day: number): string {
    const key = `${m.seed}:${customerIndex}:${day}`;
    let id = this.cache.get(key);
    if (id === undefined) {
      if (this.cache.size >= 100_000) this.cache.clear();
      this.cache.set(key, (id = gladlyId(m.seed, this.kind, customerIndex, day)));
    }
    return id;
  }
}
const conversationIds = new IdMemo(IdKind.conversation);
const sessionIds = new IdMemo(IdKind.session);

function attachments(ctx: Ctx): Record<string, unknown> {
  if (!ctx.rng.chance(0.12)) return {};
  const count = ctx.rng.int(1, 2);
  return {
    attachments: Array.from({ length: count }, (_, k) => {
      const [contentType, ext] = ctx.rng.pick(ATTACHMENT_TYPES);
      return { id: gladlyId(ctx.m.seed, IdKind.attachment, hash(ctx.seq, ctx.index), k), contentType, filename: `attachment-${k + 1}.${ext}`, fileSize: ctx.rng.int(200, 2_000_000) };
    }),
  };
}

const text = (ctx: Ctx): string => ctx.rng.pick(ctx.inbound ? CUSTOMER_TEXTS : AGENT_TEXTS);

function recording(ctx: Ctx): Record<string, unknown> {
  const status = ctx.rng.pick(['AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'DELETED', 'ERROR'] as const);
  const out: Record<string, unknown> = { recordingStatus: status };
  if (status === 'AVAILABLE') {
    out.recordingUrl = `/api/v1/conversation-items/${ctx.itemId}/media/recording`;
    out.recordingDuration = ctx.rng.int(5, 900);
    if (ctx.rng.chance(0.5)) {
      const summary = ctx.rng.pick(['READY', 'READY', 'PENDING', 'FAILED', 'REDACTED'] as const);
      out.recordingSummary = summary === 'READY' ? { status: summary, summary: ctx.rng.pick(CALL_SUMMARIES), language: 'en' } : { status: summary };
    }
  }
  return out;
}

const CONTENT: Record<ContentType, (ctx: Ctx) => Record<string, unknown>> = {
  CHAT_MESSAGE: (ctx) => {
    const base = { type: 'CHAT_MESSAGE', sessionId: sessionIds.get(ctx.m, ctx.customerIndex, ctx.day), content: text(ctx) };
    const r = ctx.rng.next();
    // The export example omits messageType; the REST schema requires it. Both occur.
    if (r < 0.1) return base;
    if (r < 0.9 || !ctx.inbound) return { ...base, messageType: 'TEXT', ...attachments(ctx) };
    const options = [{ id: 'opt-1', label: 'Furniture' }, { id: 'opt-2', label: 'Lighting' }];
    return r < 0.95
      ? { ...base, messageType: 'QUICK_REPLY_REQUEST', content: 'What can I help with?', messageData: { options } }
      : { ...base, messageType: 'QUICK_REPLY_RESPONSE', content: 'Furniture', messageData: { quickReplyRequest: { options }, selectedOptionId: 'opt-1', requestMessageId: gladlyId(ctx.m.seed, IdKind.item, ctx.seq, Math.max(0, ctx.index - 1)) } };
  },
  CONVERSATION_STATUS_CHANGE: (ctx) => ({ type: 'CONVERSATION_STATUS_CHANGE', status: ctx.rng.chance(0.85) ? 'CLOSED' : 'OPEN' }),
  CUSTOMER_ACTIVITY: (ctx) => {
    const occurred = ctx.atMs - ctx.rng.int(1_000, 86_400_000);
    return {
      type: 'CUSTOMER_ACTIVITY', title: ctx.rng.pick(ACTIVITY_TITLES), body: ctx.rng.pick(NOTE_TEXTS),
      activityType: ctx.rng.pick(['EMAIL', 'ISSUE', 'SMS', 'SURVEY'] as const), sourceName: ctx.rng.pick(ACTIVITY_SOURCES),
      link: { url: 'https://www.gladly.com/product/', text: 'View Details' }, expandByDefault: ctx.rng.chance(0.5),
      occurredAt: iso(occurred), receivedAt: iso(ctx.atMs),
    };
  },
  EMAIL: (ctx) => {
    const out: Record<string, unknown> = {
      type: 'EMAIL',
      from: ctx.inbound ? ctx.contact.email : ctx.agentEmail,
      to: [ctx.inbound ? COMPANY_EMAIL : ctx.contact.email],
    };
    if (ctx.rng.chance(0.15)) out.cc = [`${ctx.contact.first.toLowerCase().replace(/[^a-z]/g, '')}@work.example.com`];
    out.subject = ctx.rng.pick(SUBJECTS);
    out.content = text(ctx);
    return { ...out, ...attachments(ctx) };
  },
  FACEBOOK_MESSAGE: (ctx) => ({ type: 'FACEBOOK_MESSAGE', pageId: '104857093726451', userId: String(3_000_000_000 + (hash(ctx.m.seed, ctx.customerIndex, 77) % 1_000_000_000)), content: text(ctx), ...attachments(ctx) }),
  CONVERSATION_NOTE: (ctx) => ({ type: 'CONVERSATION_NOTE', body: ctx.rng.pick(NOTE_TEXTS), ...attachments(ctx) }),
  PHONE_CALL: (ctx) => {
    const started = ctx.atMs + ctx.rng.int(100, 1_500);
    const answered = ctx.rng.chance(0.85) ? started + ctx.rng.int(2_000, 60_000) : undefined;
    const completed = (answered ?? started) + ctx.rng.int(5_000, 900_000);
    return {
      type: 'PHONE_CALL',
      from: ctx.inbound ? ctx.contact.phone : COMPANY_PHONE,
      to: ctx.inbound ? COMPANY_PHONE : ctx.contact.phone,
      startedAt: iso(started),
      ...(answered === undefined ? {} : { answeredAt: iso(answered) }),
      completedAt: iso(completed),
      ...(answered === undefined ? {} : recording(ctx)),
    };
  },
  SMS: (ctx) => ({ type: 'SMS', from: ctx.inbound ? ctx.contact.phone : COMPANY_PHONE, to: ctx.inbound ? COMPANY_PHONE : ctx.contact.phone, content: text(ctx), ...attachments(ctx) }),
  TOPIC_CHANGE: (ctx) => {
    const picked = sample(ctx.rng, ctx.m.topicPool, ctx.rng.int(1, 3)).map((t) => ctx.m.topicId(t));
    const removed = ctx.rng.chance(0.25) ? picked.splice(0, 1) : [];
    return removed.length ? { type: 'TOPIC_CHANGE', addedTopicIds: picked, removedTopicIds: removed } : { type: 'TOPIC_CHANGE', addedTopicIds: picked };
  },
  VOICEMAIL: (ctx) => ({ type: 'VOICEMAIL', startedAt: iso(ctx.atMs - ctx.rng.int(1_000, 20_000)), ...recording(ctx) }),
  WHATSAPP: (ctx) => ({ type: 'WHATSAPP', content: text(ctx), ...attachments(ctx) }),
  INSTAGRAM_DIRECT: (ctx) => ({ type: 'INSTAGRAM_DIRECT', content: text(ctx), ...attachments(ctx) }),
  TWITTER: (ctx) => ({ type: 'TWITTER', content: text(ctx) }),
  VOICE_AI_MESSAGE: (ctx) => ({ type: 'VOICE_AI_MESSAGE', customerNumber: ctx.contact.phone, companyNumber: COMPANY_PHONE, body: ctx.rng.pick(VOICE_AI_TEXTS), status: ctx.rng.chance(0.85) ? 'PLAYED' : 'INTERRUPTED' }),
};
