/**
 * Gleap's server API for events (header `Api-Token`), as the event destination uses it.
 *   POST   /admin/track             { events: [{ name, date, data, userId }] }
 *   POST   /admin/identify          { userId, name?, email?, ..., custom attributes }
 *   GET    /admin/auth              token check
 *   DELETE /admin/contacts/{userId} deletes the contact
 * Every accepted request is appended to the received log (GET /__emulator/received);
 * refused ones (auth, validation, throttling, injected faults) are not.
 * Identify upserts the session with that userId: known contact fields are set, other keys
 * become custom data (at most 35 kept, as Gleap does).
 */
import type { Reply } from '../../shared/reply.ts';
import { createSession, deleteSession, findSessionByUserId, updateSession } from '../store/session-writes.ts';
import type { TrackedEvent } from '../store/gleap-store.ts';
import { fail, objectBody, ok } from './route-context.ts';
import type { GleapRouter, RouteContext } from './route-context.ts';

const CONTACT_FIELDS = new Set(['name', 'email', 'phone', 'companyName', 'companyId', 'lang', 'plan', 'value', 'lastActivity', 'lastPageView', 'avatar', 'sla']);
const MAX_CUSTOM_KEYS = 35;
const EVENTS_KEPT_PER_USER = 500;

function record(ctx: RouteContext, params?: Record<string, string>): void {
  const { received, receivedLimit } = ctx.state;
  received.push({
    method: ctx.method,
    path: ctx.rawPath,
    ...(params ? { params } : {}),
    body: ctx.body === undefined ? null : ctx.body,
    at: new Date().toISOString(),
  });
  if (received.length > receivedLimit) received.splice(0, received.length - receivedLimit);
}

function track(ctx: RouteContext): Reply {
  const body = objectBody(ctx.body);
  if (!body || !Array.isArray(body.events)) return fail(400, '"events" must be an array');
  const bad = body.events.findIndex((e) => objectBody(e) === null);
  if (bad >= 0) return fail(400, `events[${bad}] must be an object`);
  for (const e of body.events as Record<string, unknown>[]) {
    if (e.userId === undefined || e.userId === null) continue;
    const userId = String(e.userId);
    const list = ctx.store.trackedEvents.get(userId) ?? [];
    const event: TrackedEvent = { name: String(e.name ?? ''), date: typeof e.date === 'string' ? e.date : null, data: e.data ?? {} };
    list.push(event);
    if (list.length > EVENTS_KEPT_PER_USER) list.shift();
    ctx.store.trackedEvents.set(userId, list);
  }
  record(ctx);
  return ok({});
}

function identify(ctx: RouteContext): Reply {
  const body = objectBody(ctx.body);
  if (!body) return fail(400, 'Expected a JSON object');
  if (body.userId === undefined || body.userId === null || body.userId === '') return fail(400, '"userId" is required');
  const userId = String(body.userId);
  const fields: Record<string, unknown> = { userId };
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === 'userId' || k === 'createdAt') continue;
    if (CONTACT_FIELDS.has(k)) fields[k] = v;
    else if (Object.keys(custom).length < MAX_CUSTOM_KEYS) custom[k] = v;
  }
  const row = findSessionByUserId(ctx.store, userId);
  if (row >= 0) {
    const current = ctx.store.sessions.materialize(row).customData;
    fields.customData = { ...(objectBody(current) ?? {}), ...custom };
    updateSession(ctx.store, row, fields, 'identify');
  } else {
    createSession(ctx.store, { ...fields, customData: custom }, 'identify');
  }
  record(ctx);
  return ok({});
}

export function registerAdminRoutes(router: GleapRouter): void {
  router
    .add('POST', '/admin/track', track)
    .add('POST', '/admin/identify', identify)
    .add('GET', '/admin/auth', (ctx) => {
      record(ctx);
      return ok({ success: true });
    })
    .add('DELETE', '/admin/contacts/:userId', (ctx) => {
      const row = findSessionByUserId(ctx.store, ctx.params.userId);
      if (row >= 0) deleteSession(ctx.store, row);
      ctx.store.trackedEvents.delete(ctx.params.userId);
      record(ctx, { userId: ctx.params.userId });
      return ok({ success: true });
    });
}
