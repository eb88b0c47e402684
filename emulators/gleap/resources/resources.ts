/** Every collection of the emulated Gleap API, by table name. */
import { agentDoc, teamDoc } from '../data/generate-people.ts';
import { surveyDoc } from '../data/generate-surveys.ts';
import { templateDoc } from '../data/generate-templates.ts';
import { TEAM_NAMES } from '../data/vocabulary.ts';
import type { TableName } from '../store/table.ts';
import { docResource } from './doc-resource.ts';
import { messagesResource } from './messages.ts';
import type { ResourceDef } from './resource-def.ts';
import { sessionsResource } from './sessions.ts';
import { surveyResponsesResource } from './survey-responses.ts';
import { ticketsResource } from './tickets.ts';

const ALL = Number.MAX_SAFE_INTEGER;

export const RESOURCES: Record<TableName, ResourceDef> = {
  tickets: ticketsResource as ResourceDef,
  messages: messagesResource as ResourceDef,
  sessions: sessionsResource as ResourceDef,
  survey_responses: surveyResponsesResource as ResourceDef,
  // Teams and agents are not paged by Gleap: every request returns them all.
  teams: docResource('teams', { default: ALL, max: ALL }, [], (store, rng, i) => {
    const members = store.agents.size ? [store.agents.idOf(rng.int(0, store.agents.size - 1))] : [];
    return teamDoc(store, rng, `${TEAM_NAMES[i % TEAM_NAMES.length]} ${i + 1}`, members);
  }),
  agents: docResource('agents', { default: ALL, max: ALL }, ['lastSeen'], (store, rng, i) => agentDoc(store, rng, i)),
  surveys: docResource('surveys', { default: ALL, max: ALL }, ['startSendingAfter', 'stopSendingAfter'], (store, rng, i) => surveyDoc(store, rng, i, 'live')),
  message_templates: docResource('message_templates', { default: 1000, max: 1000 }, [], (store, rng, i) => templateDoc(store, rng, i)),
};
