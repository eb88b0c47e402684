/**
 * The Gladly reader against a small real export server: job order by instant, tie
 * re-reads, resuming inside a job, cut downloads, changed files, bad lines, gone files.
 * Each test drains `gladlySource.read` exactly as the engine does.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { SupportSyncError } from '../../../core/errors.ts';
import { createLogger } from '../../../core/logger.ts';
import { collect, makeCtx, type Collected } from '../../http-stream/__tests__/helpers.ts';
import type { StreamState } from '../../source.ts';
import { gladlyConfigSchema } from '../gladly-config.ts';
import { gladlySource } from '../gladly-source.ts';
import { filePath, ndjson, startExportServer, type ExportServer, type FixtureJob } from './export-server.ts';

const servers: ExportServer[] = [];
after(async () => { await Promise.all(servers.map((s) => s.close())); });

async function serve(jobs: FixtureJob[]): Promise<ExportServer> {
  const server = await startExportServer(jobs);
  servers.push(server);
  return server;
}

function read(server: ExportServer, stream: string, state?: StreamState): Promise<Collected> {
  const config = gladlyConfigSchema.parse({
    organization: 'fixture', email: 'agent@example.com', apiToken: 'fixture-token', baseUrl: server.apiBase, requestsPerSecond: 1000,
  });
  const descriptor = gladlySource.discover(config).find((s) => s.name === stream)!;
  return collect(gladlySource.read(config, { stream: descriptor, syncType: 'INCREMENTAL', state }, makeCtx()));
}

const job = (id: string, updatedAt: string, files: Record<string, string>, status: FixtureJob['status'] = 'COMPLETED'): FixtureJob => ({ id, status, updatedAt, files });
const jobIds = (c: Collected) => c.records.map((r) => String(r._job_id));
const recordIds = (c: Collected) => c.records.map((r) => String(r.id));
const finalState = (c: Collected) => c.states.at(-1) as Record<string, unknown> | undefined;
const downloads = (server: ExportServer, jobId: string, file: string) => server.requests.filter((p) => p === filePath(jobId, file)).length;

describe('gladly reader', () => {
  test('jobs are applied oldest first by instant, whatever their text, fraction length and listing order', async () => {
    // Text order would be D (.07272933) < B (.0728) < C (.072) < A (.5) < E (no fraction): wrong.
    const stamps = {
      A: '2026-03-01T10:00:44.5Z',
      B: '2026-03-01T10:00:44.0728Z',
      C: '2026-03-01T10:00:44.072Z',
      D: '2026-03-01T10:00:44.07272933Z',
      E: '2026-03-01T10:00:44Z',
      F: '2026-03-01T10:00:43.999999999Z',
    };
    const server = await serve(Object.entries(stamps).map(([id, at]) => job(id, at, { 'customers.jsonl': JSON.stringify({ id: 'same', name: id }) + '\n' })));
    const c = await read(server, 'customers');
    assert.equal(c.error, undefined, String(c.error));
    assert.deepEqual(jobIds(c), ['F', 'E', 'C', 'D', 'B', 'A'], 'instant order');
    assert.deepEqual(c.records.map((r) => r._job_updated_at), ['F', 'E', 'C', 'D', 'B', 'A'].map((id) => stamps[id as keyof typeof stamps]), 'the job updatedAt is injected as given');
    assert.deepEqual(c.states.map((s) => s.cursor), ['F', 'E', 'C', 'D', 'B', 'A'].map((id) => stamps[id as keyof typeof stamps]), 'one checkpoint per job, in order');
    assert.equal(finalState(c)?.jobId, 'A');
  });

  test('a job at exactly the cursor instant is read again unless the state records it as done', async () => {
    // X and Y are the same instant written differently; W is older, Z newer.
    const server = await serve([
      job('Z', '2026-03-01T10:00:01Z', { 'agents.jsonl': ndjson(1, 'z') }),
      job('Y', '2026-03-01T10:00:00.500000000Z', { 'agents.jsonl': ndjson(1, 'y') }),
      job('X', '2026-03-01T10:00:00.5Z', { 'agents.jsonl': ndjson(1, 'x') }),
      job('W', '2026-03-01T10:00:00.499999999Z', { 'agents.jsonl': ndjson(1, 'w') }),
    ]);
    const rereadAll = await read(server, 'agents', { cursor: '2026-03-01T10:00:00.50Z', jobsAtCursor: [] });
    assert.deepEqual(jobIds(rereadAll), ['X', 'Y', 'Z'], 'ties re-read, older skipped');
    const oneDone = await read(server, 'agents', { cursor: '2026-03-01T10:00:00.50Z', jobId: 'X', jobsAtCursor: ['X'] });
    assert.deepEqual(jobIds(oneDone), ['Y', 'Z'], 'the tie already done is not read again');

    server.jobs.splice(0, 1); // without Z the run ends on the tie: both are remembered
    const endsOnTie = await read(server, 'agents', { cursor: '2026-03-01T10:00:00.5Z', jobId: 'X', jobsAtCursor: ['X'] });
    assert.deepEqual(finalState(endsOnTie), { cursor: '2026-03-01T10:00:00.500000000Z', jobId: 'Y', jobsAtCursor: ['X', 'Y'] });
    const again = await read(server, 'agents', finalState(endsOnTie));
    assert.deepEqual(again.records, [], 'nothing new: nothing read');
  });

  test('a download cut mid-line is fetched again and the records already emitted are skipped', async () => {
    const text = ndjson(5000, 'c');
    const server = await serve([job('J1', '2026-03-01T00:00:00Z', { 'customers.jsonl': text })]);
    const path = filePath('J1', 'customers.jsonl');
    server.cutOnce.set(path, Math.floor(text.length * 0.6) + 7); // inside record ~3000, after one batch of 2000 was emitted
    const c = await read(server, 'customers');
    assert.equal(c.error, undefined, String(c.error));
    assert.equal(downloads(server, 'J1', 'customers.jsonl'), 2);
    const ids = recordIds(c);
    assert.equal(ids.length, 5000, 'each record emitted exactly once');
    assert.equal(new Set(ids).size, 5000);
    assert.deepEqual(c.warnings, []);
  });

  test('the next file is asked for while one is read, and each file is still read once, in job order', async () => {
    const server = await serve(['J1', 'J2', 'J3'].map((id, i) => job(id, `2026-03-0${i + 1}T00:00:00Z`, { 'customers.jsonl': ndjson(3000, `${id}-`) })));
    // J1's body stops halfway until J2's file is asked for (or 3 s have passed: then it was not).
    let askedWhileReading = false;
    server.holdOnce.set(filePath('J1', 'customers.jsonl'), (async () => {
      for (let waited = 0; waited < 3000; waited += 10) {
        if (server.requests.includes(filePath('J2', 'customers.jsonl'))) return (askedWhileReading = true);
        await new Promise((r) => setTimeout(r, 10));
      }
    })());
    const c = await read(server, 'customers');
    assert.equal(c.error, undefined, String(c.error));
    assert.ok(askedWhileReading, `J2's file is requested while J1's is still being read:\n${server.requests.join('\n')}`);
    for (const id of ['J1', 'J2', 'J3']) assert.equal(downloads(server, id, 'customers.jsonl'), 1, `${id} downloaded once`);
    assert.deepEqual(recordIds(c), ['J1', 'J2', 'J3'].flatMap((id) => Array.from({ length: 3000 }, (_, i) => `${id}-${i}`)), 'every record once, jobs in order');
    assert.equal(finalState(c)?.jobId, 'J3');
  });

  test('a file asked for ahead whose connection was dropped before it was read is asked for again at once, quietly', async () => {
    const server = await serve(['J1', 'J2'].map((id, i) => job(id, `2026-03-0${i + 1}T00:00:00Z`, { 'customers.jsonl': ndjson(3000, `${id}-`) })));
    // J2's first download (the one asked for ahead) sends its headers and no byte, then drops.
    server.cutOnce.set(filePath('J2', 'customers.jsonl'), 0);
    const warnings: string[] = [];
    const config = gladlyConfigSchema.parse({ organization: 'fixture', email: 'agent@example.com', apiToken: 'fixture-token', baseUrl: server.apiBase, requestsPerSecond: 1000 });
    const descriptor = gladlySource.discover(config).find((s) => s.name === 'customers')!;
    const ctx = { ...makeCtx(), log: createLogger({ level: 'warn', write: (line) => warnings.push(line) }) };
    const c = await collect(gladlySource.read(config, { stream: descriptor, syncType: 'INCREMENTAL' }, ctx));
    assert.equal(c.error, undefined, String(c.error));
    assert.equal(downloads(server, 'J2', 'customers.jsonl'), 2, 'asked for again');
    assert.deepEqual(recordIds(c), ['J1', 'J2'].flatMap((id) => Array.from({ length: 3000 }, (_, i) => `${id}-${i}`)));
    assert.deepEqual(warnings, [], 'no warning for a dropped download that was never read');
  });

  test('a read that stops early drops the next file it asked for', async () => {
    const server = await serve(['J1', 'J2'].map((id, i) => job(id, `2026-03-0${i + 1}T00:00:00Z`, { 'customers.jsonl': ndjson(3000, `${id}-`) })));
    let release!: () => void;
    server.holdOnce.set(filePath('J2', 'customers.jsonl'), new Promise<void>((r) => { release = r; }));
    const config = gladlyConfigSchema.parse({ organization: 'fixture', email: 'agent@example.com', apiToken: 'fixture-token', baseUrl: server.apiBase, requestsPerSecond: 1000 });
    const descriptor = gladlySource.discover(config).find((s) => s.name === 'customers')!;
    for await (const message of gladlySource.read(config, { stream: descriptor, syncType: 'INCREMENTAL' }, makeCtx())) {
      if (message.type === 'records') break; // J1's first batch: J2's file is on its way
    }
    const j2 = filePath('J2', 'customers.jsonl');
    for (let waited = 0; !server.droppedByClient.includes(j2) && waited < 3000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    release();
    assert.deepEqual(server.droppedByClient, [j2], `J2's download was asked for, then dropped:\n${server.requests.join('\n')}`);
  });

  test('a body that ends cleanly inside a line that does not parse is taken for a cut, fetched again, and nothing is lost', async () => {
    const text = ndjson(3000, 'c');
    const server = await serve([job('J1', '2026-03-01T00:00:00Z', { 'customers.jsonl': text })]);
    server.shortOnce.set(filePath('J1', 'customers.jsonl'), Math.floor(text.length * 0.8) + 5);
    const c = await read(server, 'customers');
    assert.equal(c.error, undefined, String(c.error));
    assert.equal(downloads(server, 'J1', 'customers.jsonl'), 2);
    const ids = recordIds(c);
    assert.equal(ids.length, 3000, 'each record emitted exactly once');
    assert.equal(new Set(ids).size, 3000);
    assert.deepEqual(c.warnings, [], 'the cut line is not reported as malformed');
  });

  test('a file that changed between two downloads is read whole again rather than skipping unseen records', async () => {
    const server = await serve([job('J1', '2026-03-01T00:00:00Z', { 'customers.jsonl': ndjson(5000, 'c') })]);
    const path = filePath('J1', 'customers.jsonl');
    server.cutOnce.set(path, 2500 * 30);
    server.afterCut = () => { server.jobs[0]!.files['customers.jsonl'] = ndjson(4000, 'n'); };
    const c = await read(server, 'customers');
    assert.equal(c.error, undefined, String(c.error));
    const ids = new Set(recordIds(c));
    for (let i = 0; i < 4000; i++) assert.ok(ids.has(`n${i}`), `record n${i} of the new file is emitted`);
    assert.equal(downloads(server, 'J1', 'customers.jsonl'), 3, 'cut, mismatch found, read whole');
  });

  test('a run that stopped inside a job resumes after its committed records, and only if the resume point checks out', async () => {
    const server = await serve([
      job('J1', '2026-03-01T00:00:00Z', { 'topics.jsonl': ndjson(10, 't') }),
      job('J2', '2026-03-02T00:00:00Z', { 'topics.jsonl': ndjson(2, 'u') }),
    ]);
    const inJob = { jobId: 'J1', updatedAt: '2026-03-01T00:00:00Z', records: 3, lastId: 't2' };
    const resumed = await read(server, 'topics', { inJob });
    assert.deepEqual(recordIds(resumed), ['t3', 't4', 't5', 't6', 't7', 't8', 't9', 'u0', 'u1']);
    assert.equal(finalState(resumed)?.inJob, undefined, 'the resume point is dropped once the job is done');

    const wrong = await read(server, 'topics', { inJob: { ...inJob, lastId: 'not-t2' } });
    assert.deepEqual(recordIds(wrong).slice(0, 3), ['t0', 't1', 't2'], 'a resume point that does not match is not trusted');
    assert.equal(wrong.records.length, 12);
  });

  test('inside a job, each batch is followed by a state naming the job and its records so far', async () => {
    const server = await serve([job('J1', '2026-03-01T00:00:00Z', { 'customers.jsonl': ndjson(4500, 'c') })]);
    const c = await read(server, 'customers');
    const inJob = c.states.map((s) => s.inJob).filter(Boolean);
    assert.deepEqual(inJob, [
      { jobId: 'J1', updatedAt: '2026-03-01T00:00:00Z', records: 2000, lastId: 'c1999' },
      { jobId: 'J1', updatedAt: '2026-03-01T00:00:00Z', records: 4000, lastId: 'c3999' },
    ]);
    assert.deepEqual(finalState(c), { cursor: '2026-03-01T00:00:00Z', jobId: 'J1', jobsAtCursor: ['J1'] });
    // The engine commits a state with the records before it: none may come after the last state of a job.
    assert.equal(c.messages.at(-1)?.type, 'state');
  });

  test('blank lines are skipped; malformed lines are counted with their line numbers and reported; BOM and CRLF are fine', async () => {
    const text = '\uFEFF{"id":"a","name":"A"}\r\n\n   \n{"id":\n[1,2]\n{"id":"b"}\nnot json\n{"id":"c","note":"line\u2028separator"}';
    const server = await serve([job('J1', '2026-03-01T00:00:00Z', { 'agents.jsonl': text })]);
    const c = await read(server, 'agents');
    assert.equal(c.error, undefined, String(c.error));
    assert.deepEqual(recordIds(c), ['a', 'b', 'c']);
    assert.equal(c.records[2]!.note, 'line\u2028separator', 'U+2028 inside a string is not a line break');
    assert.equal(c.warnings.length, 1, c.warnings.join('\n'));
    assert.match(c.warnings[0]!, /job J1 .*agents\.jsonl: 3 malformed line\(s\) skipped .*line 4, 5, 7\b/);
  });

  test('FAILED, PENDING and IN_PROGRESS jobs are never read; FAILED ones are reported; a job without the file still advances the state', async () => {
    const server = await serve([
      job('P', '2026-03-05T00:00:00Z', { 'customers.jsonl': ndjson(1, 'p') }, 'PENDING'),
      job('I', '2026-03-04T00:00:00Z', { 'customers.jsonl': ndjson(1, 'i') }, 'IN_PROGRESS'),
      job('F', '2026-03-03T00:00:00Z', { 'customers.jsonl': ndjson(1, 'f') }, 'FAILED'),
      job('N', '2026-03-02T00:00:00Z', { 'agents.jsonl': ndjson(1, 'a') }),
      job('C', '2026-03-01T00:00:00Z', { 'customers.jsonl': ndjson(2, 'c') }),
    ]);
    const c = await read(server, 'customers');
    assert.deepEqual(recordIds(c), ['c0', 'c1']);
    assert.deepEqual(server.requests.filter((p) => p.includes('/files/')), [filePath('C', 'customers.jsonl')]);
    assert.equal(finalState(c)?.jobId, 'N', 'the job without a customers file is done too');
    assert.equal(c.warnings.length, 1);
    assert.match(c.warnings[0]!, /1 export job\(s\) FAILED .*\bF \(window/);
  });

  test('a listed file whose job is gone by the time it is read is reported, and the next job is still read', async () => {
    const server = await serve([
      job('G', '2026-03-01T00:00:00Z', { 'customers.jsonl': ndjson(2, 'g') }),
      job('H', '2026-03-02T00:00:00Z', { 'customers.jsonl': ndjson(2, 'h') }),
    ]);
    server.gone.add('/api/v1/export/jobs/G');
    const c = await read(server, 'customers');
    assert.equal(c.error, undefined, String(c.error));
    assert.deepEqual(recordIds(c), ['h0', 'h1']);
    assert.match(c.warnings.join('\n'), /job G .*customers\.jsonl is listed but gone/);
  });

  test('HISTORY MAY BE MISSING when the cursor is older than every job Gladly still holds; the run goes on', async () => {
    const old = new Date(Date.now() - 20 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 86_400_000).toISOString();
    const server = await serve([job('R', recent, { 'customers.jsonl': ndjson(1, 'r') })]);
    const c = await read(server, 'customers', { cursor: old, jobId: 'OLD', jobsAtCursor: ['OLD'] });
    assert.equal(c.error, undefined, String(c.error));
    assert.deepEqual(recordIds(c), ['r0']);
    assert.equal(c.warnings.length, 1);
    assert.match(c.warnings[0]!, /^HISTORY MAY BE MISSING: .*OLD.* 14 days/);
    assert.ok(!server.requests[0]!.includes('startAt'), `beyond the 14 days no startAt is sent: ${server.requests[0]}`);

    const fine = await read(server, 'customers', { cursor: recent, jobId: 'R', jobsAtCursor: ['R'] });
    assert.deepEqual(fine.warnings, [], 'a cursor inside the window warns of nothing');
  });

  test('listing starts an hour before the cursor, and falls back to the whole window when Gladly rejects startAt', async () => {
    const at = new Date(Date.now() - 2 * 86_400_000);
    const server = await serve([job('J', at.toISOString(), { 'topics.jsonl': ndjson(1, 't') })]);
    await read(server, 'topics', { cursor: at.toISOString(), jobsAtCursor: ['J'] });
    const sent = new URL(server.requests[0]!, 'http://x').searchParams.get('startAt');
    assert.equal(sent, new Date(at.getTime() - 3_600_000).toISOString());

    server.requests.length = 0;
    server.rejectStartAt = true;
    const c = await read(server, 'topics', { cursor: new Date(at.getTime() - 1).toISOString() });
    assert.equal(c.error, undefined, String(c.error));
    assert.deepEqual(recordIds(c), ['t0']);
    assert.deepEqual(server.requests.slice(0, 2).map((p) => p.includes('startAt')), [true, false]);
  });

  test('a saved state that is not usable is reported and the stream starts over', async () => {
    const server = await serve([job('J', '2026-03-01T00:00:00Z', { 'topics.jsonl': ndjson(1, 't') })]);
    const c = await read(server, 'topics', { cursor: 'yesterday' });
    assert.deepEqual(recordIds(c), ['t0']);
    assert.match(c.warnings[0] ?? '', /saved cursor "yesterday" is not a timestamp/);
  });

  test('FULL_TABLE is refused: a replace would drop everything older than 14 days', async () => {
    const server = await serve([]);
    const config = gladlyConfigSchema.parse({ organization: 'fixture', email: 'agent@example.com', apiToken: 'fixture-token', baseUrl: server.apiBase });
    const descriptor = gladlySource.discover(config)[0]!;
    const c = await collect(gladlySource.read(config, { stream: descriptor, syncType: 'FULL_TABLE' }, makeCtx()));
    assert.ok(c.error instanceof SupportSyncError && c.error.phase === 'config', `expected a config error, got ${String(c.error)}`);
    assert.deepEqual(descriptor.syncTypes, ['INCREMENTAL']);
  });
});
