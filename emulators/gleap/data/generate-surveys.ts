/**
 * Surveys (max(3, scale/500)) and their responses (about one per four tickets in total,
 * unevenly spread; drafts have none). A response comes from a session that existed at the
 * time, after the survey was created.
 */
import type { Prng } from '../../shared/prng.ts';
import { iso } from './format.ts';
import { sortedTimes } from './generate-people.ts';
import { HISTORY_MS } from './history.ts';
import { SURVEY_KINDS, SURVEY_QUESTIONS, SURVEY_STATUSES } from './vocabulary.ts';
import type { GleapStore } from '../store/gleap-store.ts';
import type { Doc } from '../store/table.ts';
import { createRefIndex } from '../store/ref-index.ts';

const DAY = 86_400_000;
/** Score range per survey kind. */
export const SURVEY_SCALES: Record<string, [number, number]> = { nps: [0, 10], csat: [1, 5], ces: [1, 7], custom: [1, 5] };

export function generateSurveys(store: GleapStore, rng: Prng): void {
  const now = store.startedAt;
  const count = Math.max(3, Math.round(store.scale / 500));
  const surveys = store.surveys;
  const times = sortedTimes(rng, count, now - HISTORY_MS, now - 7 * DAY);
  surveys.initRows(count);
  const weights: number[] = [];
  for (let i = 0; i < count; i++) {
    surveys.createdAt[i] = times[i];
    const doc = surveyDoc(store, rng, i, i < 3 ? 'live' : undefined);
    surveys.docs.set(i, doc);
    weights.push(doc.status === 'draft' ? 0 : rng.lognormal(0, 0.8));
  }

  // Responses: per survey a share of the total, at least a few for every sent survey.
  const total = Math.max(5 * count, Math.round(store.scale * 0.25));
  const sum = weights.reduce((a, b) => a + b, 0);
  const at: number[] = [];
  const of: number[] = [];
  for (let s = 0; s < count; s++) {
    if (weights[s] === 0) continue;
    const k = Math.max(5, Math.round((total * weights[s]) / sum));
    const from = surveys.createdAt[s] + DAY;
    for (let j = 0; j < k; j++) {
      at.push(Math.floor(from + rng.next() * (now - from)));
      of.push(s);
    }
  }
  const perm = Int32Array.from(at.keys()).sort((a, b) => at[a] - at[b] || a - b);
  const responses = store.survey_responses;
  const rc = responses.cols;
  const sessions = store.sessions;
  responses.initRows(perm.length);
  for (let r = 0; r < perm.length; r++) {
    const created = at[perm[r]];
    const survey = of[perm[r]];
    responses.createdAt[r] = created;
    rc.survey[r] = survey;
    rc.session[r] = sessionBefore(sessions.createdAt, sessions.size, created, rng);
    const kind = (surveys.docs.get(survey)!.config as { kind: string }).kind;
    const [lo, hi] = SURVEY_SCALES[kind];
    rc.score[r] = kind === 'nps' ? [0, 3, 5, 6, 7, 8, 9, 10][rng.weighted([0.03, 0.04, 0.05, 0.08, 0.15, 0.2, 0.25, 0.2])] : rng.int(lo, hi);
    rc.read[r] = rng.chance(0.7) ? 1 : 0;
    responses.updatedAt[r] = rc.read[r] ? Math.min(now, created + Math.floor(rng.lognormal(Math.log(DAY), 1))) : created;
  }
  for (let s = 0; s < count; s++) {
    surveys.updatedAt[s] = Math.max(surveys.createdAt[s], Math.floor(surveys.createdAt[s] + rng.next() * (now - surveys.createdAt[s]) * 0.5));
  }
  responses.refIndexes.set('survey_id', createRefIndex(rc.survey, perm.length, count));
}

export function surveyDoc(store: GleapStore, rng: Prng, i: number, status?: string): Doc {
  const kind = rng.pick(SURVEY_KINDS);
  const [lo, hi] = SURVEY_SCALES[kind];
  const name = `${kind === 'custom' ? 'Product feedback' : kind.toUpperCase()} survey #${i + 1}`;
  return {
    name,
    type: 'SURVEY',
    status: status ?? SURVEY_STATUSES[rng.weighted([0.6, 0.15, 0.25])],
    format: rng.pick(['survey', 'survey_full']),
    config: {
      kind,
      pages: [
        { type: kind === 'custom' ? 'text' : 'rating', name: kind, question: SURVEY_QUESTIONS[kind], min: lo, max: hi, required: true },
        { type: 'text', name: 'comment', question: 'Anything else you would like to tell us?', required: false },
      ],
      hideBackButton: rng.chance(0.5),
      thankYouMessage: 'Thank you for your feedback!',
    },
    frequencyType: rng.pick(['once', 'recurring']),
    frequency: rng.pick(['7', '30', '90']),
    frequencyDays: rng.pick([7, 30, 90]),
    targetAudience: rng.pick(['all', 'identified', 'segment']),
    sent: true,
    hidden: false,
    tags: [],
    startSendingAfter: iso(store.startedAt - HISTORY_MS),
    stopSendingAfter: null,
    project: store.project,
  };
}

function sessionBefore(created: Float64Array, count: number, at: number, rng: Prng): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (created[mid] <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? (count ? 0 : -1) : Math.floor(rng.next() * lo);
}
