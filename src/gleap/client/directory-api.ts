/**
 * The people of a project: teams (`GET /teams`, not paged) and agents
 * (`GET /projects/users`, the project's users).
 */
import type { HttpClient } from '../../core/http/http-client.ts';
import type { GleapDocument } from './documents.ts';
import { documentSchema, documentsSchema } from './documents.ts';
import { parseResponse } from './parse-response.ts';

export function teamsApi(http: HttpClient) {
  return {
    async list(): Promise<GleapDocument[]> {
      return parseResponse(documentsSchema, await http.get('/teams', { label: 'teams.list' }), 'GET /teams', 'an array of teams');
    },
    async get(id: string): Promise<GleapDocument> {
      // Served by Gleap, though the OpenAPI document only declares PUT and DELETE here.
      const body = await http.get(`/teams/${encodeURIComponent(id)}`, { label: 'teams.get' });
      return parseResponse(documentSchema, body, 'GET /teams/{id}', 'a team with an id');
    },
  };
}

export function agentsApi(http: HttpClient) {
  return {
    async list(): Promise<GleapDocument[]> {
      const body = await http.get('/projects/users', { label: 'agents.list' });
      return parseResponse(documentsSchema, body, 'GET /projects/users', 'an array of users');
    },
  };
}

export type TeamsApi = ReturnType<typeof teamsApi>;
export type AgentsApi = ReturnType<typeof agentsApi>;
