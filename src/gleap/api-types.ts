/**
 * Types of Gleap's REST API, taken from the types openapi-typescript generates from the
 * OpenAPI document (`npm run generate:gleap-types`; the output is not checked in). Only
 * types come from there: `import type` is erased at run time, so nothing needs the
 * generated file except `tsc`.
 */
import type { components, operations, paths } from './openapi/gleap-api.d.ts';

export type { components, operations, paths };

/** A path of the API as the document spells it, e.g. `/sessions/{sessionId}`. */
export type GleapPath = keyof paths;

/** The query parameters of an operation (absent -> never). */
export type QueryOf<Op extends keyof operations> = operations[Op] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** The JSON request body of an operation. */
export type BodyOf<Op extends keyof operations> = operations[Op] extends { requestBody?: { content: { 'application/json': infer B } } }
  ? B
  : never;

export type SessionInput = components['schemas']['SessionDto'];
export type MessageTemplateInput = components['schemas']['MessageTemplateDTO'];
export type MessageTemplateListQuery = QueryOf<'FindMessageTemplates'>;
export type IntercomImportInput = components['schemas']['ImportIntercomSessionDto'];
export type HubspotImportInput = BodyOf<'ImportSessionHubspot'>;
export type ZendeskImportInput = BodyOf<'ImportSessionZendesk'>;
export type UnsubscribeInput = BodyOf<'UnsubscribeSessions'>;
export type MessagesQuery = QueryOf<'GetMessages'>;
/** The parameters every /statistics endpoint declares (lists add useWorkingHours). */
export type StatisticsParams = QueryOf<'GetListData'>;
export type RawDataParams = QueryOf<'GetRawStatistics'>;

/** Fills the `{name}` segments of a documented path, percent-encoded. tsc rejects undocumented paths. */
export function pathOf<P extends GleapPath>(template: P, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new RangeError(`${template}: the path parameter ${name} is missing`);
    return encodeURIComponent(value);
  });
}
