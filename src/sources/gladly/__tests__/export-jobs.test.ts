/** Job order and the read plan, as pure functions over parsed jobs. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compareJobs, parseExportJob, type ExportJob } from '../export-jobs.ts';
import { parseGladlyState, planReads, stateAfterJob } from '../job-cursor.ts';

const job = (id: string, updatedAt: string, extra: Record<string, unknown> = {}): ExportJob =>
  parseExportJob({ id, status: 'COMPLETED', updatedAt, files: ['customers.jsonl'], ...extra });
const order = (jobs: ExportJob[]) => [...jobs].sort(compareJobs).map((j) => j.id);

describe('export job order', () => {
  test('by instant at nanosecond precision, never by text', () => {
    const jobs = [
      job('d', '2026-03-01T10:00:44.07272933Z'),
      job('a', '2026-03-01T10:00:44Z'),
      job('c', '2026-03-01T10:00:44.072Z'),
      job('e', '2026-03-01T10:00:44.0728Z'),
      job('b', '2026-03-01T10:00:44.000000001Z'),
      job('f', '2026-03-01T11:00:44.5+01:00'), // 10:00:44.5Z
    ];
    assert.deepEqual(order(jobs), ['a', 'b', 'c', 'd', 'e', 'f']);
  });

  test('ties on the instant go by export window, then id', () => {
    const jobs = [
      job('z', '2026-03-01T10:00:00.5Z', { parameters: { endAt: '2026-03-01T00:00:00Z' } }),
      job('y', '2026-03-01T10:00:00.500Z', { parameters: { endAt: '2026-03-02T00:00:00Z' } }),
      job('x', '2026-03-01T10:00:00.500000000Z', { parameters: { endAt: '2026-03-02T00:00:00Z' } }),
    ];
    assert.deepEqual(order(jobs), ['z', 'x', 'y']);
  });

  test('any fraction length: order equals the order of the nanosecond integers (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 0, max: 9 })), { minLength: 2, maxLength: 12 }), (stamps) => {
        const jobs = stamps.map(([s, ns, digits], i) => {
          const kept = digits === 0 ? 0 : Math.floor(ns / 10 ** (9 - digits)) * 10 ** (9 - digits);
          const frac = digits === 0 ? '' : '.' + String(kept).padStart(9, '0').slice(0, digits);
          return { j: job(`j${String(i).padStart(2, '0')}`, `2026-03-01T10:00:${String(s).padStart(2, '0')}${frac}Z`), at: BigInt(s) * 1_000_000_000n + BigInt(kept) };
        });
        const expected = [...jobs].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.j.id < b.j.id ? -1 : 1)).map((x) => x.j.id);
        assert.deepEqual(order(jobs.map((x) => x.j)), expected);
      }),
      { numRuns: 300 },
    );
  });

  test('a job without a usable updatedAt cannot be placed and is an error', () => {
    assert.throws(() => parseExportJob({ id: 'x', status: 'COMPLETED', updatedAt: 'soon' }), /without a usable id and updatedAt/);
  });
});

describe('read plan', () => {
  const listed = [job('a', '2026-03-01T00:00:00Z'), job('b', '2026-03-02T00:00:00.1Z'), job('c', '2026-03-02T00:00:00.100Z'), job('d', '2026-03-03T00:00:00Z')]
    .concat(parseExportJob({ id: 'f', status: 'FAILED', updatedAt: '2026-03-04T00:00:00Z' }))
    .sort(compareJobs);

  test('older jobs are skipped, ties re-read unless done, never other statuses', () => {
    assert.deepEqual(planReads(listed, parseGladlyState(undefined)).jobs.map((j) => j.id), ['a', 'b', 'c', 'd']);
    assert.deepEqual(planReads(listed, parseGladlyState({ cursor: '2026-03-02T00:00:00.1Z', jobsAtCursor: [] })).jobs.map((j) => j.id), ['b', 'c', 'd']);
    assert.deepEqual(planReads(listed, parseGladlyState({ cursor: '2026-03-02T00:00:00.1Z', jobsAtCursor: ['b'] })).jobs.map((j) => j.id), ['c', 'd']);
  });

  test('a resume point applies only to the job that is next', () => {
    const inJob = { jobId: 'c', updatedAt: '2026-03-02T00:00:00.100Z', records: 5, lastId: 'r4' };
    const next = planReads(listed, parseGladlyState({ cursor: '2026-03-02T00:00:00.1Z', jobsAtCursor: ['b'], inJob }));
    assert.deepEqual(next.resume, { records: 5, lastId: 'r4' });
    const notNext = planReads(listed, parseGladlyState({ cursor: '2026-03-01T00:00:00Z', jobsAtCursor: ['a'], inJob }));
    assert.equal(notNext.resume, undefined);
  });

  test('the state after a job names it, and keeps every job done at the same instant', () => {
    const s1 = stateAfterJob({}, undefined, listed[1]!);
    const s2 = stateAfterJob(s1, listed[1]!.key, listed[2]!);
    assert.deepEqual(s2, { cursor: '2026-03-02T00:00:00.100Z', jobId: 'c', jobsAtCursor: ['b', 'c'] });
    assert.deepEqual(stateAfterJob(s2, listed[2]!.key, listed[3]!), { cursor: '2026-03-03T00:00:00Z', jobId: 'd', jobsAtCursor: ['d'] });
  });
});
