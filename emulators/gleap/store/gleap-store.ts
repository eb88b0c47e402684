/**
 * The emulated Gleap project: one table per collection, generated deterministically from
 * (seed, scale, now), plus what the API has received since. The statistics endpoints can
 * be computed straight from the typed columns (see README.md in this folder).
 */
import { hashSeed, Prng } from '../../shared/prng.ts';
import { createClock } from './clock.ts';
import type { Clock } from './clock.ts';
import { Table, TABLE_NAMES } from './table.ts';
import type { TableName } from './table.ts';
import type { TicketColumns } from '../resources/tickets.ts';
import type { MessageColumns } from '../resources/messages.ts';
import type { SessionColumns } from '../resources/sessions.ts';
import type { SurveyResponseColumns } from '../resources/survey-responses.ts';
import { RESOURCES } from '../resources/resources.ts';
import { generatePeople } from '../data/generate-people.ts';
import { generateSessions } from '../data/generate-sessions.ts';
import { generateConversations } from '../data/generate-conversations.ts';
import { generateSurveys } from '../data/generate-surveys.ts';
import { generateTemplates } from '../data/generate-templates.ts';

export interface GleapStoreOptions {
  seed: number;
  /** Number of tickets; everything else is sized from it. */
  scale: number;
  /** The instant the generated history ends (epoch ms); the data is a function of (seed, scale, now). */
  now: number;
  /**
   * Where the emulator's clock starts (epoch ms; default `now`). It must not be before
   * `now`, so every write is stamped later than all generated data.
   */
  clockStart?: number;
  /** The project id (the `Project` header value), written into documents. */
  project: string;
}

export interface TrackedEvent {
  name: string;
  date: string | null;
  data: unknown;
}

export interface GleapStore {
  readonly seed: number;
  readonly scale: number;
  readonly project: string;
  /** Where the generated history ends; the clock starts here or later (`clockStart`). */
  readonly startedAt: number;
  readonly clock: Clock;
  readonly tickets: Table<TicketColumns>;
  readonly messages: Table<MessageColumns>;
  readonly sessions: Table<SessionColumns>;
  readonly survey_responses: Table<SurveyResponseColumns>;
  readonly teams: Table;
  readonly agents: Table;
  readonly surveys: Table;
  readonly message_templates: Table;
  /** Any table by name; throws on an unknown name. */
  table(name: string): Table;
  /** Events received on /admin/track, by userId (most recent last, bounded). */
  readonly trackedEvents: Map<string, TrackedEvent[]>;
  /** Identity changes (email / name / userId) made through the API, by session row. */
  readonly identityHistory: Map<number, { field: string; from: unknown; to: unknown; at: string; source: string }[]>;
  /** Random draws for hooks and API writes, after generation (reproducible per call sequence). */
  readonly rng: Prng;
  /** Session row by userId, maintained by the writers; null = rebuild on next use. */
  userIdIndex: Map<string, number> | null;
}

export function createGleapStore(opts: GleapStoreOptions): GleapStore {
  const seed = opts.seed >>> 0;
  const scale = Math.max(1, Math.floor(opts.scale));
  const tag = (name: string) => hashSeed(seed, 'tag', name).toString(16).padStart(8, '0').slice(0, 6);
  const tables = {} as Record<TableName, Table>;
  for (const name of TABLE_NAMES) tables[name] = new Table(name, tag(name), RESOURCES[name].columns, 16);
  const store: GleapStore = {
    seed,
    scale,
    project: opts.project,
    startedAt: opts.now,
    clock: createClock(Math.max(opts.now, opts.clockStart ?? opts.now)),
    tickets: tables.tickets as Table<TicketColumns>,
    messages: tables.messages as Table<MessageColumns>,
    sessions: tables.sessions as Table<SessionColumns>,
    survey_responses: tables.survey_responses as Table<SurveyResponseColumns>,
    teams: tables.teams,
    agents: tables.agents,
    surveys: tables.surveys,
    message_templates: tables.message_templates,
    table(name) {
      const t = tables[name as TableName];
      if (!t) throw new RangeError(`unknown table "${name}"; valid: ${TABLE_NAMES.join(', ')}`);
      return t;
    },
    trackedEvents: new Map(),
    identityHistory: new Map(),
    rng: new Prng(hashSeed(seed, 'writes')),
    userIdIndex: null,
  };
  const gen = (part: string) => new Prng(hashSeed(seed, scale, opts.now, part));
  generatePeople(store, gen('people'));
  generateSessions(store, gen('sessions'));
  generateConversations(store, gen('conversations'));
  generateSurveys(store, gen('surveys'));
  generateTemplates(store, gen('templates'));
  for (const name of TABLE_NAMES) {
    RESOURCES[name].install(store);
    tables[name].rebuildUpdatedIndex();
  }
  return store;
}
