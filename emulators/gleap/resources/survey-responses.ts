/** Survey responses: who answered which survey, the score, an optional comment, read state. */
import { hashSeed, rowPrng } from '../../shared/prng.ts';
import { iso } from '../data/format.ts';
import { SURVEY_COMMENTS } from '../data/vocabulary.ts';
import type { GleapStore } from '../store/gleap-store.ts';
import type { Doc } from '../store/table.ts';
import { defineResource } from './resource-def.ts';
import { randomAlive } from './tickets.ts';

export const SURVEY_RESPONSE_COLUMNS = {
  survey: Int32Array,
  session: Int32Array,
  score: Uint8Array,
  read: Uint8Array,
};
export type SurveyResponseColumns = typeof SURVEY_RESPONSE_COLUMNS;

function surveyKind(store: GleapStore, survey: number): string {
  const doc = store.surveys.docs.get(survey);
  return ((doc?.config as { kind?: string } | undefined)?.kind) ?? 'custom';
}

function buildResponse(store: GleapStore, i: number): Doc {
  const c = store.survey_responses.cols;
  const rng = rowPrng(hashSeed(store.seed, 'survey-response-doc'), i);
  const survey = c.survey[i];
  const session = c.session[i];
  const kind = surveyKind(store, survey);
  const responses: Record<string, unknown> =
    kind === 'custom' ? { custom: rng.pick(SURVEY_COMMENTS) } : { [kind]: c.score[i] };
  if (kind !== 'custom' && rng.chance(0.35)) responses.comment = rng.pick(SURVEY_COMMENTS);
  const id = store.survey_responses.idOf(i);
  return {
    _id: id,
    id,
    survey_id: survey >= 0 ? store.surveys.idOf(survey) : null,
    session: session >= 0 ? store.sessions.idOf(session) : null,
    responses,
    read: c.read[i] === 1,
    project: store.project,
    createdAt: iso(store.survey_responses.createdAt[i]),
    updatedAt: iso(store.survey_responses.updatedAt[i]),
  };
}

export const surveyResponsesResource = defineResource({
  name: 'survey_responses',
  columns: SURVEY_RESPONSE_COLUMNS,
  limits: { default: 10000, max: 10000 },
  install(store) {
    const t = store.survey_responses;
    const c = t.cols;
    t.generate = (i) => buildResponse(store, i);
    t.fields = {
      survey_id: { kind: 'ref', target: 'surveys', get: (i) => c.survey[i] },
      session: { kind: 'ref', target: 'sessions', get: (i) => c.session[i] },
      read: { kind: 'boolean', get: (i) => c.read[i] === 1 },
    };
    for (const f of ['survey_id', 'session', 'responses', 'read', 'project']) t.knownFields.add(f);
  },
  create(store, rng, count) {
    const t = store.survey_responses;
    const rows: number[] = [];
    if (store.surveys.aliveCount === 0 || store.sessions.aliveCount === 0) return rows;
    for (let k = 0; k < count; k++) {
      const survey = randomAlive(store.surveys.alive, store.surveys.size, rng);
      const i = t.append(store.clock.stamp());
      t.cols.survey[i] = survey;
      t.cols.session[i] = randomAlive(store.sessions.alive, store.sessions.size, rng);
      t.cols.score[i] = rng.int(1, 5);
      t.cols.read[i] = 0;
      t.refIndexes.get('survey_id')?.add(survey, i);
      rows.push(i);
    }
    return rows;
  },
});
