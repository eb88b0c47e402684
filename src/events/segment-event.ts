/** Segment-spec events as they travel through the pipeline (after intake normalized them). */

export const EVENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A request to delete everything about a user, queued like an event (never sent by clients). */
export const DELETE_TYPE = 'delete';

export interface SegmentEvent {
  type: EventType | typeof DELETE_TYPE;
  messageId: string;
  userId?: string;
  anonymousId?: string;
  /** Track: the event name. */
  event?: string;
  /** Page and screen: the page or screen name. */
  name?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  context?: Record<string, unknown>;
  integrations?: Record<string, unknown>;
  groupId?: string;
  previousId?: string;
  /** ISO 8601: when it happened (set from receivedAt when the client gave none). */
  timestamp: string;
  originalTimestamp?: string;
  sentAt?: string;
  /** ISO 8601: when intake accepted it. */
  receivedAt: string;
  [key: string]: unknown;
}
