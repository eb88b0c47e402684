/**
 * Message templates (saved replies): every operation of seed 003.
 *   create   POST   /message-templates
 *   list     GET    /message-templates?limit&skip&searchTerm&visibility&withCount
 *   get      GET    /message-templates/{messageTemplateId}
 *   update   PUT    /message-templates/{messageTemplateId}
 *   delete   DELETE /message-templates/{messageTemplateId}  (returns the deleted template)
 */
import type { HttpClient } from '../../core/http/http-client.ts';
import type { MessageTemplateInput, MessageTemplateListQuery } from '../api-types.ts';
import { pathOf } from '../api-types.ts';
import type { GleapDocument } from './documents.ts';
import { documentSchema, templateListSchema } from './documents.ts';
import { parseResponse } from './parse-response.ts';

export type TemplateVisibility = 'all' | 'public' | 'private';

export interface TemplateListOptions extends Omit<MessageTemplateListQuery, 'visibility'> {
  visibility?: TemplateVisibility;
}

export interface TemplateList {
  templates: GleapDocument[];
  /** Set when asked for with `withCount: true`. */
  totalCount: number | null;
}

export function templatesApi(http: HttpClient) {
  const one = (body: unknown, op: string) => parseResponse(documentSchema, body, op, 'a message template with an id');
  const byId = (id: string) => pathOf('/message-templates/{messageTemplateId}', { messageTemplateId: id });
  return {
    async create(input: MessageTemplateInput): Promise<GleapDocument> {
      return one(await http.post('/message-templates', input, { label: 'templates.create' }), 'POST /message-templates');
    },
    async list(opts: TemplateListOptions = {}): Promise<TemplateList> {
      const body = await http.get('/message-templates', { query: { ...opts }, label: 'templates.list' });
      const parsed = parseResponse(templateListSchema, body, 'GET /message-templates', 'an array of templates or {totalCount, data}');
      return { templates: parsed.data, totalCount: parsed.totalCount };
    },
    async get(id: string): Promise<GleapDocument> {
      return one(await http.get(byId(id), { label: 'templates.get' }), 'GET /message-templates/{id}');
    },
    async update(id: string, input: MessageTemplateInput): Promise<GleapDocument> {
      return one(await http.put(byId(id), input, { label: 'templates.update' }), 'PUT /message-templates/{id}');
    },
    async delete(id: string): Promise<GleapDocument | null> {
      const body = await http.delete(byId(id), { label: 'templates.delete' });
      return body === undefined || body === null || body === '' ? null : one(body, 'DELETE /message-templates/{id}');
    },
  };
}

export type TemplatesApi = ReturnType<typeof templatesApi>;
