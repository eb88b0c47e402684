/**
 * Track Event: Segment track, page and screen calls become Gleap events, many per
 * `POST /admin/track` request.
 *
 * As Segment's Gleap destination: name from `event` (or `name`), date from `timestamp`,
 * userId required, metadata from `properties`; page and screen calls become `pageView`
 * with `data: { page }` (the page URL or name; the screen name) and their properties are
 * not sent. Beyond Segment's code, doing what its documentation promises:
 * - names are lower-cased with `.` and `$` replaced by `-` (`normalizeEventName: false` keeps them);
 * - metadata keeps its first 10 keys (`maxMetadataKeys`); the others are counted as dropped;
 * - dates go out as ISO 8601 UTC.
 */
import { z } from 'zod';
import type { HttpClient } from '../../../core/http/http-client.ts';
import { setKey } from '../../../events/mapping/set-key.ts';
import { defineAction, type PerformContext } from '../../define-action.ts';

export interface GleapTrackedEvent {
  name: string;
  date: string;
  data?: Record<string, unknown>;
  userId: string;
}

export const PAGE_VIEW = 'pageView';

/** Apps send few distinct names, over and over: remember the last ones normalized. */
const normalized = new Map<string, string>();
const REMEMBERED_NAMES = 1000;

/** Gleap treats names case-insensitively and does not allow `.` or `$` in them. */
export function normalizeEventName(name: string): string {
  let out = normalized.get(name);
  if (out === undefined) {
    out = name.toLowerCase().replace(/[.$]/g, '-');
    if (normalized.size >= REMEMBERED_NAMES) normalized.clear();
    normalized.set(name, out);
  }
  return out;
}

export const trackEventOptions = z.strictObject({
  normalizeEventName: z.boolean().default(true),
  maxMetadataKeys: z.number().int().min(0).max(1000).default(10),
});

export async function sendTrackedEvents(client: HttpClient, events: GleapTrackedEvent[], ctx: PerformContext = {}): Promise<void> {
  await client.post('/admin/track', { events }, { label: 'gleap /admin/track', ...ctx });
}

export const trackEvent = defineAction({
  title: 'Track Event',
  description: 'Submit an event to Gleap.',
  defaultTrigger: 'type = "track" or type = "page" or type = "screen"',
  fields: {
    eventName: {
      label: 'Event Name',
      description: 'The name of the event that occurred. Names are treated as case insensitive. Periods and dollar signs in event names are replaced with hyphens.',
      type: 'string',
      default: { '@if': { exists: { '@path': '$.event' }, then: { '@path': '$.event' }, else: { '@path': '$.name' } } },
    },
    type: {
      label: 'Event Type',
      description: 'The type of the Segment event (page and screen calls become pageView).',
      type: 'string',
      required: true,
      default: { '@path': '$.type' },
    },
    pageUrl: {
      label: 'Event Page URL',
      description: 'The URL of the page, for page calls.',
      type: 'string',
      default: { '@if': { exists: { '@path': '$.context.page.url' }, then: { '@path': '$.context.page.url' }, else: { '@path': '$.properties.url' } } },
    },
    date: {
      label: 'Event Timestamp',
      description: 'The time the event took place in ISO 8601 format.',
      type: 'datetime',
      required: true,
      default: { '@path': '$.timestamp' },
    },
    userId: {
      label: 'User ID',
      description: 'Your identifier for the user who performed the event. User ID is required.',
      type: 'string',
      required: true,
      default: { '@path': '$.userId' },
    },
    data: {
      label: 'Event Metadata',
      description: 'Optional metadata describing the event. Each event can contain up to ten metadata key-value pairs; further keys are left out and counted.',
      type: 'object',
      default: { '@path': '$.properties' },
    },
    enableBatching: {
      label: 'Enable Batching?',
      description: 'When enabled, events are sent in batches (one /admin/track request for many events).',
      type: 'boolean',
      constant: true,
      default: true,
    },
  },
  options: trackEventOptions,
  batching: { size: 500, maxSize: 1000, lingerMs: 1000 },

  prepare(payload, options) {
    const { type, eventName, userId, date } = payload;
    if (type === 'page' || type === 'screen') {
      const page = type === 'page' ? (payload.pageUrl ?? eventName) : eventName;
      return { ok: true, body: { name: PAGE_VIEW, date, ...(page !== undefined ? { data: { page } } : {}), userId } };
    }
    if (eventName === undefined) return { ok: false, filteredBecause: 'eventName is missing' };
    const name = options.normalizeEventName ? normalizeEventName(eventName) : eventName;
    if (payload.data === undefined) return { ok: true, body: { name, date, userId } };

    const keys = Object.keys(payload.data);
    if (keys.length <= options.maxMetadataKeys) return { ok: true, body: { name, date, data: payload.data, userId } };
    const data: Record<string, unknown> = {};
    for (const key of keys.slice(0, options.maxMetadataKeys)) setKey(data, key, payload.data[key]);
    return { ok: true, body: { name, date, data, userId }, droppedKeys: keys.slice(options.maxMetadataKeys).map((k) => `data.${k}`) };
  },

  perform: (client: HttpClient, event: GleapTrackedEvent, ctx) => sendTrackedEvents(client, [event], ctx),
  performBatch: (client: HttpClient, events: GleapTrackedEvent[], ctx) => sendTrackedEvents(client, events, ctx),
});
