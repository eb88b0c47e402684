/**
 * Sessions (contacts): every operation of seed 003.
 *   create, list, get, update, delete, resubscribe, search, export (CSV), warmup, byUserId,
 *   activities, events, checklists, identityHistory, stripe, chargebee, import,
 *   importIntercom / importHubspot / importZendesk, unsubscribe.
 * Third-party credentials sent to the importers are registered as secrets first, so they
 * can never appear in a log line or an error message.
 */
import type { Readable } from 'node:stream';
import type { HttpClient } from '../../core/http/http-client.ts';
import { registerSecret } from '../../core/redact.ts';
import type { HubspotImportInput, IntercomImportInput, SessionInput, UnsubscribeInput, ZendeskImportInput } from '../api-types.ts';
import { pathOf } from '../api-types.ts';
import type { GleapDocument } from './documents.ts';
import { anyListSchema, anyObjectSchema, documentSchema, documentsSchema } from './documents.ts';
import type { ListOptions } from './list-query.ts';
import { listPairs, pageAll } from './list-query.ts';
import { parseResponse } from './parse-response.ts';
import { z } from 'zod';

/** Gleap does not document paging for /sessions; limit/skip work (API-FACTS). */
export const SESSION_PAGE = 1000;

const idsSchema = z.array(z.string());
const unsubscribeSchema = z.looseObject({ success: z.boolean() });
const warmupSchema = z.looseObject({ ok: z.boolean() });
const historySchema = z.looseObject({ history: z.unknown() });

export function sessionsApi(http: HttpClient) {
  const one = (body: unknown, op: string) => parseResponse(documentSchema, body, op, 'a session with an id');
  const many = (body: unknown, op: string) => parseResponse(documentsSchema, body, op, 'an array of sessions');
  const list = (body: unknown, op: string) => parseResponse(anyListSchema, body, op, 'an array');
  const object = (body: unknown, op: string) => parseResponse(anyObjectSchema, body, op, 'a JSON object');
  const byId = (id: string) => pathOf('/sessions/{sessionId}', { sessionId: id });
  const sub = <P extends '/sessions/{sessionId}/activities' | '/sessions/{sessionId}/events' | '/sessions/{sessionId}/checklists'
    | '/sessions/{sessionId}/identity-history' | '/sessions/{sessionId}/stripe' | '/sessions/{sessionId}/chargebee'
    | '/sessions/{sessionId}/resubscribe'>(path: P, id: string) => pathOf(path, { sessionId: id });

  const api = {
    async create(input: SessionInput): Promise<GleapDocument> {
      return one(await http.post('/sessions', input, { label: 'sessions.create' }), 'POST /sessions');
    },
    async list(opts: ListOptions = {}): Promise<GleapDocument[]> {
      return many(await http.get('/sessions', { query: listPairs(opts), label: 'sessions.list' }), 'GET /sessions');
    },
    /** Every session matching `opts.where`, paged. */
    listAll(opts: Omit<ListOptions, 'limit' | 'skip'> = {}, max?: number): AsyncGenerator<GleapDocument> {
      return pageAll((limit, skip) => api.list({ ...opts, limit, skip }), SESSION_PAGE, max);
    },
    async get(id: string): Promise<GleapDocument> {
      return one(await http.get(byId(id), { label: 'sessions.get' }), 'GET /sessions/{id}');
    },
    async update(id: string, fields: Partial<SessionInput> & Record<string, unknown>): Promise<GleapDocument> {
      return one(await http.put(byId(id), fields, { label: 'sessions.update' }), 'PUT /sessions/{id}');
    },
    async delete(id: string): Promise<void> {
      await http.delete(byId(id), { label: 'sessions.delete' });
    },
    async resubscribe(id: string): Promise<boolean> {
      const body = await http.put(sub('/sessions/{sessionId}/resubscribe', id), {}, { label: 'sessions.resubscribe' });
      return parseResponse(z.boolean(), body, 'PUT /sessions/{id}/resubscribe', 'true or false');
    },
    async search(searchTerm: string, opts: ListOptions = {}): Promise<GleapDocument[]> {
      const query = [['searchTerm', searchTerm] as const, ...listPairs(opts)];
      return many(await http.get('/sessions/search', { query, label: 'sessions.search' }), 'GET /sessions/search');
    },
    /** The CSV export, streamed (it can be large). */
    async exportCsv(opts: Omit<ListOptions, 'limit' | 'skip'> = {}): Promise<Readable> {
      const res = await http.request({ path: '/sessions/export', query: listPairs(opts), parse: 'stream', label: 'sessions.export' });
      return res.body;
    },
    async warmup(): Promise<{ ok: boolean }> {
      return parseResponse(warmupSchema, await http.post('/sessions/warmup', undefined, { label: 'sessions.warmup' }), 'POST /sessions/warmup', '{ok}');
    },
    async byUserId(userId: string): Promise<GleapDocument> {
      const body = await http.get(pathOf('/sessions/by-user-id/{userId}', { userId }), { label: 'sessions.byUserId' });
      return one(body, 'GET /sessions/by-user-id/{userId}');
    },
    async activities(id: string): Promise<unknown[]> {
      return list(await http.get(sub('/sessions/{sessionId}/activities', id), { label: 'sessions.activities' }), 'GET /sessions/{id}/activities');
    },
    async events(id: string): Promise<unknown[]> {
      return list(await http.get(sub('/sessions/{sessionId}/events', id), { label: 'sessions.events' }), 'GET /sessions/{id}/events');
    },
    async checklists(id: string): Promise<unknown[]> {
      return list(await http.get(sub('/sessions/{sessionId}/checklists', id), { label: 'sessions.checklists' }), 'GET /sessions/{id}/checklists');
    },
    async identityHistory(id: string): Promise<{ history: unknown }> {
      const body = await http.get(sub('/sessions/{sessionId}/identity-history', id), { label: 'sessions.identityHistory' });
      return parseResponse(historySchema, body, 'GET /sessions/{id}/identity-history', '{history}');
    },
    async stripe(id: string): Promise<Record<string, unknown>> {
      return object(await http.get(sub('/sessions/{sessionId}/stripe', id), { label: 'sessions.stripe' }), 'GET /sessions/{id}/stripe');
    },
    async chargebee(id: string): Promise<Record<string, unknown>> {
      return object(await http.get(sub('/sessions/{sessionId}/chargebee', id), { label: 'sessions.chargebee' }), 'GET /sessions/{id}/chargebee');
    },
    /** Creates or updates contacts (matched by userId or email); returns their ids. */
    async import(contacts: readonly Record<string, unknown>[]): Promise<string[]> {
      const body = await http.post('/sessions/importer', contacts, { label: 'sessions.import' });
      return parseResponse(idsSchema, body, 'POST /sessions/importer', 'an array of session ids');
    },
    async importIntercom(input: IntercomImportInput): Promise<unknown[]> {
      registerSecret(input.apiKey);
      return list(await http.post('/sessions/importer/intercom', input, { label: 'sessions.importIntercom' }), 'POST /sessions/importer/intercom');
    },
    async importHubspot(input: HubspotImportInput): Promise<unknown[]> {
      registerSecret(input.apiKey);
      return list(await http.post('/sessions/importer/hubspot', input, { label: 'sessions.importHubspot' }), 'POST /sessions/importer/hubspot');
    },
    async importZendesk(input: ZendeskImportInput): Promise<unknown[]> {
      registerSecret(input.apiToken);
      return list(await http.post('/sessions/importer/zendesk', input, { label: 'sessions.importZendesk' }), 'POST /sessions/importer/zendesk');
    },
    async unsubscribe(input: UnsubscribeInput): Promise<{ success: boolean } & Record<string, unknown>> {
      const body = await http.post('/sessions/unsubscribe', input, { label: 'sessions.unsubscribe' });
      return parseResponse(unsubscribeSchema, body, 'POST /sessions/unsubscribe', '{success}');
    },
  };
  return api;
}

export type SessionsApi = ReturnType<typeof sessionsApi>;
