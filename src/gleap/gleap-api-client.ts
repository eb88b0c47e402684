/**
 * The typed Gleap REST API client: message templates, sessions, tickets, messages, teams,
 * agents and statistics, over the shared HTTP core (Bearer + Project headers, the
 * project's 1000 / 60 s budget, retries, typed and redacted errors).
 *
 *   const gleap = createGleapApiClient({ apiKey, projectId });
 *   const { tickets } = await gleap.tickets.list({ status: 'OPEN', where: [['updatedAt', '>=', since]] });
 *   const fact = await gleap.statistics.fact({ chartType: 'NEW_TICKETS_COUNT', range, timeZone: 'Europe/Paris' });
 *
 * Pass `{ http }` instead of a connection to reuse an HttpClient (e.g. a source's).
 */
import type { HttpClient } from '../core/http/http-client.ts';
import { agentsApi, teamsApi } from './client/directory-api.ts';
import { messagesApi } from './client/messages-api.ts';
import { sessionsApi } from './client/sessions-api.ts';
import { statisticsApi } from './client/statistics-api.ts';
import { templatesApi } from './client/templates-api.ts';
import { ticketsApi } from './client/tickets-api.ts';
import type { GleapConnection, GleapHttpOptions } from './gleap-connection.ts';
import { createGleapHttp } from './gleap-connection.ts';

export type GleapApiClientOptions = (GleapConnection & GleapHttpOptions) | { http: HttpClient };

export function createGleapApiClient(options: GleapApiClientOptions) {
  const http = 'http' in options ? options.http : createGleapHttp(options, options);
  return {
    http,
    templates: templatesApi(http),
    sessions: sessionsApi(http),
    tickets: ticketsApi(http),
    messages: messagesApi(http),
    teams: teamsApi(http),
    agents: agentsApi(http),
    statistics: statisticsApi(http),
  };
}

export type GleapApiClient = ReturnType<typeof createGleapApiClient>;
