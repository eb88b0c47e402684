/**
 * Message templates (canned replies): full CRUD.
 *   GET    /v3/message-templates?limit&skip&searchTerm&visibility&withCount
 *          -> [...], or { totalCount, data } with withCount=true
 *          searchTerm: case-insensitive match in title or text; visibility: all | public | private
 *   POST   /v3/message-templates        (title, content, lexorank required) -> template
 *   GET    /v3/message-templates/{id}
 *   PUT    /v3/message-templates/{id}   (same body) -> template
 *   DELETE /v3/message-templates/{id}   -> the deleted template
 */
import type { Reply } from '../../shared/reply.ts';
import { plainText } from '../data/rich-text.ts';
import { parseListQuery } from '../query/parse-list-query.ts';
import { matchRows } from '../query/run-list-query.ts';
import { RESOURCES } from '../resources/resources.ts';
import type { Doc } from '../store/table.ts';
import { getOne, lookup } from './read-routes.ts';
import { fail, notFound, ok } from './route-context.ts';
import type { GleapRouter, RouteContext } from './route-context.ts';
import { validateBody } from './validate-body.ts';
import type { BodyRules } from './validate-body.ts';

const TEMPLATE_DTO: BodyRules = {
  title: { type: 'string', required: true },
  content: { type: 'any', required: true },
  lexorank: { type: 'string', required: true },
  isPublic: { type: 'boolean' },
  users: { type: 'string[]' },
  attachments: { type: 'array' },
  actions: { type: 'array' },
};
const VISIBILITIES = ['all', 'public', 'private'];

function list(ctx: RouteContext): Reply {
  const query = parseListQuery(ctx.rawQuery, new Set(['searchTerm', 'visibility', 'withCount']));
  const visibility = query.options.get('visibility') ?? 'all';
  if (!VISIBILITIES.includes(visibility)) return fail(400, `Invalid visibility "${visibility}": expected ${VISIBILITIES.join(', ')}`);
  const withCount = query.options.get('withCount');
  if (withCount !== undefined && withCount !== 'true' && withCount !== 'false') return fail(400, `Invalid withCount "${withCount}": expected true or false`);
  const term = (query.options.get('searchTerm') ?? '').trim().toLowerCase();
  const extra = visibility === 'all' ? [] : [{ field: 'isPublic', op: 'eq' as const, values: [String(visibility === 'public')] }];
  const table = ctx.store.message_templates;
  const rows = matchRows(table, [...extra, ...query.conditions], query.sort, lookup(ctx.store));
  const docs = Array.from(rows, (i) => table.materialize(i)).filter(
    (d) => !term || `${d.title} ${plainText(d.content)}`.toLowerCase().includes(term),
  );
  const { limits } = RESOURCES.message_templates;
  const limit = query.limit ? Math.min(query.limit, limits.max) : limits.default;
  const data = docs.slice(query.skip, query.skip + limit);
  return ok(withCount === 'true' ? { totalCount: docs.length, data } : data);
}

function templateFields(body: Record<string, unknown>): Doc {
  return {
    title: body.title,
    content: body.content,
    lexorank: body.lexorank,
    isPublic: body.isPublic ?? false,
    users: body.users ?? [],
    attachments: body.attachments ?? [],
    actions: body.actions ?? [],
  };
}

export function registerTemplateRoutes(router: GleapRouter): void {
  router
    .add('GET', '/v3/message-templates', list)
    .add('POST', '/v3/message-templates', (ctx) => {
      const invalid = validateBody(ctx.body, TEMPLATE_DTO);
      if (invalid) return invalid;
      const t = ctx.store.message_templates;
      const i = t.append(ctx.store.clock.stamp());
      t.docs.set(i, { ...templateFields(ctx.body as Record<string, unknown>), project: ctx.store.project });
      return ok(t.materialize(i));
    })
    .add('GET', '/v3/message-templates/:id', (ctx) => getOne(ctx, 'message_templates', 'Message template'))
    .add('PUT', '/v3/message-templates/:id', (ctx) => {
      const t = ctx.store.message_templates;
      const i = t.indexOf(ctx.params.id);
      if (i < 0) return notFound('Message template');
      const invalid = validateBody(ctx.body, TEMPLATE_DTO);
      if (invalid) return invalid;
      t.docs.set(i, { ...t.docs.get(i), ...templateFields(ctx.body as Record<string, unknown>) });
      t.touch([i], [ctx.store.clock.stamp()]);
      return ok(t.materialize(i));
    })
    .add('DELETE', '/v3/message-templates/:id', (ctx) => {
      const t = ctx.store.message_templates;
      const i = t.indexOf(ctx.params.id);
      if (i < 0) return notFound('Message template');
      const doc = t.materialize(i);
      t.remove(i);
      return ok(doc);
    });
}
