/**
 * Checks one incoming event against the Segment spec and normalizes it for the queue.
 *
 * Checked: `type` (one of the six), `userId` or `anonymousId` (an anonymous-only event is
 * valid, as in Segment), the name of a track event, `groupId` of a group call, `previousId`
 * of an alias call, that properties/traits/context/integrations are objects, that dates are
 * ISO 8601, and the size: 32 KB of JSON per event.
 * Normalized: numeric ids become strings, a missing `messageId` is assigned, `receivedAt`
 * is set, a missing `timestamp` is derived as Segment does (`receivedAt - (sentAt -
 * originalTimestamp)` when the client sent both, else `receivedAt`), and the batch's
 * `context`, `integrations` and `sentAt` apply to each of its events.
 *
 * This runs for every event on the acknowledgement path: no closures or arrays per call.
 */
import { randomUUID } from 'node:crypto';
import { EVENT_TYPES, type EventType } from '../segment-event.ts';

/** Segment's limits. */
export const MAX_EVENT_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;

export interface EventDefaults {
  /** The endpoint's type (`/v1/track`): wins over the body's. Absent for batches and files. */
  type?: EventType;
  receivedAtMs: number;
  /** From the batch envelope. */
  sentAt?: unknown;
  context?: unknown;
  integrations?: unknown;
}

export type ValidatedEvent = { ok: true; messageId: string; json: string } | { ok: false; reason: string };

const TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
const ID_KEYS = ['userId', 'anonymousId', 'messageId', 'groupId', 'previousId'] as const;
const OBJECT_KEYS = ['properties', 'traits', 'context', 'integrations'] as const;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
/** Bytes a key/value pair adds to the JSON: `,"key":` plus the value's JSON (ASCII here). */
const pairBytes = (key: string, valueJson: string) => key.length + valueJson.length + 4;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function shown(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Epoch ms of an ISO 8601 text, or undefined. */
function parseDate(v: unknown): number | undefined {
  if (typeof v !== 'string' || !ISO_DATE_TIME.test(v.trim())) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An id field: a non-empty string, or a number made a string. Returns a reason when unusable. */
function normalizeId(event: Record<string, unknown>, key: string): string | undefined {
  const v = event[key];
  if (v === undefined || v === null || typeof v === 'string') {
    if (typeof v === 'string' && v.trim() === '') delete event[key];
    return undefined;
  }
  if (typeof v === 'number' && Number.isFinite(v)) {
    event[key] = String(v);
    return undefined;
  }
  return `${key} must be a string, got ${shown(v)}`;
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/** Checks the event's fields; returns the reason it is refused, if it is. */
function problem(event: Record<string, unknown>, type: EventType): string | undefined {
  for (let i = 0; i < ID_KEYS.length; i++) {
    const reason = normalizeId(event, ID_KEYS[i]!);
    if (reason) return reason;
  }
  if (!present(event.userId) && !present(event.anonymousId)) return 'userId or anonymousId is required';
  if (type === 'track' && (typeof event.event !== 'string' || event.event.trim() === '')) {
    return event.event === undefined ? 'a track event needs a name (event)' : `event must be a non-empty string, got ${shown(event.event)}`;
  }
  if (type === 'group' && !present(event.groupId)) return 'a group call needs a groupId';
  if (type === 'alias' && !present(event.previousId)) return 'an alias call needs a previousId';
  if (event.name !== undefined && event.name !== null && typeof event.name !== 'string') return `name must be a string, got ${shown(event.name)}`;
  for (let i = 0; i < OBJECT_KEYS.length; i++) {
    const v = event[OBJECT_KEYS[i]!];
    if (v !== undefined && v !== null && !isObject(v)) return `${OBJECT_KEYS[i]} must be an object, got ${shown(v)}`;
  }
  return undefined;
}

/** Validates `raw` and returns the normalized event as JSON, or the reason it is refused. */
export function validateEvent(raw: unknown, defaults: EventDefaults): ValidatedEvent {
  if (!isObject(raw)) return { ok: false, reason: 'an event must be a JSON object' };
  const event = raw;
  /** Bytes of JSON this function adds: not counted against the client's 32 KB. */
  let added = 0;

  if (defaults.type !== undefined) {
    if (event.type !== defaults.type) {
      added += event.type === undefined ? pairBytes('type', defaults.type) + 2 : 0;
      event.type = defaults.type;
    }
  } else if (typeof event.type !== 'string' || !TYPES.has(event.type)) {
    return { ok: false, reason: event.type === undefined ? `type is missing; expected one of ${EVENT_TYPES.join(', ')}` : `type must be one of ${EVENT_TYPES.join(', ')}, got ${shown(event.type)}` };
  }
  const reason = problem(event, event.type as EventType);
  if (reason) return { ok: false, reason };

  let timestamp: number | undefined;
  let originalTimestamp: number | undefined;
  let sentAt: number | undefined;
  if (event.timestamp !== undefined && event.timestamp !== null) {
    timestamp = parseDate(event.timestamp);
    if (timestamp === undefined) return { ok: false, reason: `timestamp must be an ISO 8601 date-time, got ${shown(event.timestamp)}` };
  }
  if (event.originalTimestamp !== undefined && event.originalTimestamp !== null) {
    originalTimestamp = parseDate(event.originalTimestamp);
    if (originalTimestamp === undefined) return { ok: false, reason: `originalTimestamp must be an ISO 8601 date-time, got ${shown(event.originalTimestamp)}` };
  }
  if (event.sentAt !== undefined && event.sentAt !== null) {
    sentAt = parseDate(event.sentAt);
    if (sentAt === undefined) return { ok: false, reason: `sentAt must be an ISO 8601 date-time, got ${shown(event.sentAt)}` };
  }

  // The batch envelope: its context and integrations apply to each event, the event's own keys win.
  if (isObject(defaults.context)) event.context = isObject(event.context) ? { ...defaults.context, ...event.context } : { ...defaults.context };
  if (isObject(defaults.integrations)) event.integrations = isObject(event.integrations) ? { ...defaults.integrations, ...event.integrations } : { ...defaults.integrations };
  if (sentAt === undefined && typeof defaults.sentAt === 'string') {
    sentAt = parseDate(defaults.sentAt);
    if (sentAt !== undefined) {
      event.sentAt = defaults.sentAt;
      added += pairBytes('sentAt', defaults.sentAt) + 2;
    }
  }

  let messageId = event.messageId as string | undefined;
  if (!present(messageId)) {
    messageId = randomUUID();
    event.messageId = messageId;
    added += pairBytes('messageId', messageId) + 2;
  }
  const receivedAt = new Date(defaults.receivedAtMs).toISOString();
  event.receivedAt = receivedAt;
  added += pairBytes('receivedAt', receivedAt) + 2;
  if (timestamp === undefined) {
    const skewed = originalTimestamp !== undefined && sentAt !== undefined ? defaults.receivedAtMs - (sentAt - originalTimestamp) : defaults.receivedAtMs;
    const text = Number.isFinite(skewed) && Math.abs(skewed) < 8.64e15 ? new Date(skewed).toISOString() : receivedAt;
    event.timestamp = text;
    added += pairBytes('timestamp', text) + 2;
  }

  const json = JSON.stringify(event);
  // The limit applies to what the client sent, not to the fields added here. Most events are
  // far below it: their length in characters bounds their bytes (at most 3 per UTF-16 unit).
  const bytes = json.length * 3 <= MAX_EVENT_BYTES ? 0 : Buffer.byteLength(json) - added;
  if (bytes > MAX_EVENT_BYTES) return { ok: false, reason: `the event is ${bytes} bytes of JSON; at most ${MAX_EVENT_BYTES} (32 KB) are accepted` };
  return { ok: true, messageId: messageId!, json };
}
