/**
 * Gleap's streams, declared as data. Columns follow the field tables of the connector
 * documentation (seed 000) with their types; JSON documents are `json` columns, queryable
 * with `->>`. Fields Gleap sends beyond these land in `_extra`, so nothing is lost.
 *
 * Incremental streams filter with Gleap's operator-in-key query (`updatedAt>=<cursor>`),
 * sort ascending on `updatedAt`, and page with `limit`/`skip` at the API's largest page.
 */
import type { HttpClient } from '../../core/http/http-client.ts';
import type { ReadHttpStreamOptions, ParentContext } from '../http-stream/define-http-stream.ts';
import { defineHttpStream, operatorFilter, recordsFrom, type HttpStreamDef, type RawRecord } from '../http-stream/define-http-stream.ts';
import { readRecords } from '../http-stream/read-http-stream.ts';
import type { SourceContext } from '../source.ts';

const PAGE = 1000;
/** Re-read this far behind the saved cursor: catches writes that became visible late. */
const LOOKBACK_MS = 60_000;

const incremental = {
  filterParam: operatorFilter('updatedAt', '>='),
  sort: [['sort', 'updatedAt']] as const,
  lookbackMs: LOOKBACK_MS,
};
/**
 * Four pages on their way at once, each starting at the last row of the one before (the
 * reader's step 7): a page of 1000 tickets takes the API long enough that one request at a
 * time leaves most of the rate budget unused. The budget still paces them.
 */
const offset = { type: 'offset', limitParam: 'limit', offsetParam: 'skip', pageSize: PAGE, pagesAhead: 4 } as const;
/** Tickets come with the query's total, so no page is asked for past the end. */
const ticketsOffset = {
  ...offset,
  totalCount: (body: unknown) => {
    const total = (body as { totalCount?: unknown } | null)?.totalCount;
    return typeof total === 'number' ? total : undefined; // a bare array (or no count) has none
  },
} as const;

/**
 * Gleap documents carry `_id` and usually `id`; the primary key is `id`, always set.
 * Records are fresh from the page's JSON and owned by the reader, so they change in place (a
 * copy per record cost 1.6 µs, 4% of a sync's main thread), and `_id` becomes undefined
 * instead of being deleted: a delete turns the object into a slow dictionary for every later
 * read. Undefined fields are not stored (nor kept in `_extra`).
 */
const withId = (record: RawRecord): RawRecord => {
  record.id ??= record._id;
  record._id = undefined;
  return record;
};

const idOf = (v: unknown): unknown => (v && typeof v === 'object' ? (v as RawRecord).id ?? (v as RawRecord)._id : v);

/** `withId`, plus references that may arrive populated (as objects) reduced to their ids. */
const withRefIds = (...refs: string[]) => (record: RawRecord): RawRecord => {
  const out = withId(record);
  for (const ref of refs) if (ref in out) out[ref] = idOf(out[ref]);
  return out;
};

export const tickets = defineHttpStream({
  name: 'tickets',
  description: 'Bug reports, feature requests and conversations',
  path: '/tickets',
  // Archived and spam tickets are part of the history a warehouse should hold.
  params: [['ignoreArchived', 'false']],
  recordsPath: recordsFrom('tickets'),
  columns: {
    id: 'string', bugId: 'integer', title: 'string', description: 'string', type: 'string', status: 'string',
    priority: 'string', sentiment: 'string', createdAt: 'timestamp', updatedAt: 'timestamp', closedAt: 'timestamp',
    dueDate: 'timestamp', processingUser: 'string', processingTeam: 'string', session: 'string', tags: 'json',
    archived: 'boolean', isSpam: 'boolean', conversationClosed: 'boolean', conversationRating: 'string',
    hasAgentReply: 'boolean', upvotesCount: 'integer', duplicatesCount: 'integer', score: 'number', channel: 'string',
    aiSummary: 'string', shareToken: 'string', formData: 'json', customData: 'json', metaData: 'json',
    slaBreached: 'boolean', snoozed: 'boolean', snoozedUntil: 'timestamp', firstAssignmentAt: 'timestamp',
    notificationsUnread: 'integer',
  },
  primaryKey: ['id'], cursorField: 'updatedAt',
  syncTypes: ['INCREMENTAL', 'FULL_TABLE'], defaultSyncType: 'INCREMENTAL',
  paginator: ticketsOffset, incremental,
  transform: withRefIds('processingUser', 'processingTeam', 'session'),
});

export const sessions = defineHttpStream({
  name: 'sessions',
  description: 'Contacts: identified users and guests',
  path: '/sessions',
  columns: {
    id: 'string', gleapId: 'string', gleapHash: 'string', userId: 'string', name: 'string', email: 'string',
    phone: 'string', lang: 'string', location: 'json', avatar: 'string', companyId: 'string', companyName: 'string',
    deviceType: 'string', platform: 'string', plan: 'string', value: 'number', sla: 'number', sessions: 'number',
    blocked: 'boolean', unsubscribed: 'boolean', emailOnly: 'boolean', firstActivity: 'timestamp',
    lastActivity: 'timestamp', lastHeardFrom: 'timestamp', lastPageView: 'json', countFeedbackReports: 'integer',
    countFeedbackComments: 'integer', tags: 'json', customData: 'json', eventData: 'json',
    createdAt: 'timestamp', updatedAt: 'timestamp',
  },
  primaryKey: ['id'], cursorField: 'updatedAt',
  syncTypes: ['INCREMENTAL', 'FULL_TABLE'], defaultSyncType: 'INCREMENTAL',
  paginator: offset, incremental, transform: withId,
});

export const messages = defineHttpStream({
  name: 'messages',
  description: 'Every message of every ticket: replies, notes, bot answers',
  path: '/messages',
  columns: {
    id: 'string', ticket: 'string', type: 'string', status: 'string', bot: 'boolean', isNote: 'boolean',
    kaiChat: 'boolean', outbound: 'boolean', sendToChannel: 'boolean', sessionNotificationsUnread: 'boolean',
    createdAt: 'timestamp', updatedAt: 'timestamp', data: 'json', translatedData: 'json', comment: 'string',
    rating: 'string', user: 'string', session: 'string', emailId: 'string', messageRef: 'string', replyTo: 'string',
    outboundTemplate: 'string', outboundSubject: 'string', attachments: 'json', actions: 'json', channel: 'json',
    aiData: 'json',
  },
  primaryKey: ['id'], cursorField: 'updatedAt',
  syncTypes: ['INCREMENTAL', 'FULL_TABLE'], defaultSyncType: 'INCREMENTAL',
  paginator: offset, incremental,
  transform: withRefIds('ticket', 'user', 'session'),
});

export const teams = defineHttpStream({
  name: 'teams',
  description: 'Support teams and their assignment rules',
  path: '/teams',
  columns: {
    id: 'string', name: 'string', assignmentMethod: 'string', members: 'json', selectOnlyOnlineMembers: 'boolean',
    limitTicketAmount: 'boolean', ticketAmount: 'number', createdAt: 'timestamp', updatedAt: 'timestamp',
  },
  primaryKey: ['id'], cursorField: 'updatedAt',
  syncTypes: ['FULL_TABLE'], defaultSyncType: 'FULL_TABLE',
  paginator: { type: 'none' }, transform: withId,
});

export const agents = defineHttpStream({
  name: 'agents',
  description: 'Project users (agents) that tickets are assigned to',
  path: '/projects/users',
  columns: {
    id: 'string', email: 'string', firstName: 'string', lastName: 'string', role: 'string', userType: 'string',
    profileImageUrl: 'string', available: 'boolean', confirmed: 'boolean', lastSeen: 'timestamp',
    createdAt: 'timestamp', updatedAt: 'timestamp',
  },
  primaryKey: ['id'], cursorField: 'updatedAt',
  syncTypes: ['FULL_TABLE'], defaultSyncType: 'FULL_TABLE',
  paginator: { type: 'none' }, transform: withId,
});

export const surveys = defineHttpStream({
  name: 'surveys',
  description: 'Surveys (NPS, CSAT, custom) and their configuration',
  path: '/engagement/surveys',
  columns: {
    id: 'string', name: 'string', type: 'string', status: 'string', createdAt: 'timestamp', updatedAt: 'timestamp',
    config: 'json',
  },
  primaryKey: ['id'], cursorField: 'updatedAt',
  syncTypes: ['FULL_TABLE'], defaultSyncType: 'FULL_TABLE',
  paginator: { type: 'none' }, transform: withId,
});

export const surveyResponses = defineHttpStream({
  name: 'survey_responses',
  description: 'Answers to surveys, read survey by survey',
  path: '/engagement/surveys/{surveyId}/responses',
  columns: {
    id: 'string', survey_id: 'string', session: 'string', createdAt: 'timestamp', updatedAt: 'timestamp',
    responses: 'json', read: 'boolean',
  },
  primaryKey: ['id'], cursorField: 'updatedAt',
  syncTypes: ['INCREMENTAL', 'FULL_TABLE'], defaultSyncType: 'INCREMENTAL',
  paginator: offset, incremental,
  forEachParent: async function* (client: HttpClient, ctx: SourceContext, opts: ReadHttpStreamOptions): AsyncIterable<ParentContext> {
    // The survey list is fetched on behalf of survey_responses: count its requests there.
    const parentCtx: SourceContext = { ...ctx, countRequest: () => ctx.countRequest('survey_responses') };
    for await (const survey of readRecords(client, surveys, parentCtx, { maxRecentIds: opts.maxRecentIds })) {
      const id = String(survey.id);
      yield { vars: { surveyId: id }, key: id, record: survey };
    }
  },
  transform: (r, parent) => {
    const response = withRefIds('session')(r);
    response.survey_id ??= idOf(response.survey) ?? parent?.vars.surveyId;
    return response;
  },
});

export const messageTemplates = defineHttpStream({
  name: 'message_templates',
  description: 'Saved replies (message templates)',
  path: '/message-templates',
  columns: {
    id: 'string', title: 'string', content: 'json', visibility: 'string', createdBy: 'string', lang: 'string',
    createdAt: 'timestamp', updatedAt: 'timestamp',
  },
  primaryKey: ['id'], cursorField: 'updatedAt',
  syncTypes: ['INCREMENTAL', 'FULL_TABLE'], defaultSyncType: 'INCREMENTAL',
  paginator: offset, incremental, transform: withId,
});

export const gleapStreams: HttpStreamDef[] = [tickets, sessions, messages, teams, agents, surveys, surveyResponses, messageTemplates];
