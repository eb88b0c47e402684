/**
 * Reads one file of one export job as a stream of record batches, never holding the file:
 * bytes -> lines -> records, 2000 at a time, each batch followed by a state that says "the
 * jobs before this one, plus the first N records of this one". The engine commits at such
 * states when enough is staged, so a crash inside a multi-gigabyte file resumes inside it.
 *
 * A download cut off mid-body (connection reset, a stall) is fetched again from the start
 * and the records already emitted are skipped by count. Skipping is checked: the last
 * skipped record must have the id remembered for that position, else the file changed and
 * it is emitted whole again (re-emitting rows of the same job is harmless: they merge on
 * id). Errors before the body (429, 5xx) are the HTTP client's to retry.
 *
 * Blank lines are skipped; lines that are not a JSON object are counted, with their line
 * numbers, and reported; neither stops the file.
 */
import type { Readable } from 'node:stream';
import { AuthError, HttpError, SupportSyncError, isRetryable } from '../../core/errors.ts';
import { abortableSleep } from '../../core/http/abortable-sleep.ts';
import type { HttpClient, HttpResponse } from '../../core/http/http-client.ts';
import { backoffDelay, resolveRetryPolicy } from '../../core/http/retry-policy.ts';
import { redactError } from '../../core/redact.ts';
import type { SourceContext, SourceMessage } from '../source.ts';
import type { ExportJob } from './export-jobs.ts';
import type { GladlyStreamDef } from './gladly-streams.ts';
import { JOB_ID_COLUMN, JOB_UPDATED_AT_COLUMN } from './gladly-streams.ts';
import { stateInJob, type GladlyState, type ResumePoint } from './job-cursor.ts';
import { ndjsonLines, OVERLONG_LINE } from './ndjson-lines.ts';

export const RECORDS_PER_BATCH = 2000;
/** Downloads of one file per run, the first included. */
export const FILE_ATTEMPTS = 5;
/** Line numbers kept per file for the report. */
const MAX_LINES_REPORTED = 10;
const FILE_RETRY = resolveRetryPolicy({ baseDelayMs: 1000, maxDelayMs: 30_000 });

export interface FileReadArgs {
  client: HttpClient;
  stream: GladlyStreamDef;
  job: ExportJob;
  ctx: SourceContext;
  /** The state covering every job before this one. */
  base: GladlyState;
  /** Records of this file already committed by an earlier run. */
  resume?: ResumePoint;
  /** The first download, already asked for (see requestExportFile); later attempts ask again. */
  requested?: Promise<HttpResponse<Readable>>;
  batchSize?: number;
}

/** Asks for one export file; the body streams as it is read. */
export function requestExportFile(
  client: HttpClient, stream: GladlyStreamDef, job: ExportJob, ctx: SourceContext, signal: AbortSignal,
): Promise<HttpResponse<Readable>> {
  const path = `/export/jobs/${encodeURIComponent(job.id)}/files/${encodeURIComponent(stream.file)}`;
  return client.request({ path, parse: 'stream', label: `${stream.name} file`, signal, onRequest: () => ctx.countRequest(stream.name) });
}

export interface FileReport {
  /** Records in the file (whether emitted in this run or skipped as already loaded). */
  records: number;
  malformed: number;
  /** The first malformed line numbers (1-based). */
  malformedLines: number[];
  blank: number;
  /** Downloads it took. */
  attempts: number;
  /** The file was gone (the job expired or was deleted before it could be read). */
  missing?: boolean;
}

/** The body ended cleanly but inside a line that does not parse: most likely cut short. */
class TruncatedFile extends SupportSyncError {
  constructor() {
    super('the download ended inside a line that is not valid JSON (cut short?)', { code: 'GLADLY_FILE_TRUNCATED', phase: 'source', disposition: 'retry' });
  }
}

/** The file changed between two downloads: what was skipped is not what was emitted. */
class ResumeMismatch extends Error {
  constructor() {
    super('the file changed between two downloads');
  }
}

const idOf = (record: Record<string, unknown>): string | null => (record.id === undefined || record.id === null ? null : String(record.id));

export async function* readExportFile(args: FileReadArgs): AsyncGenerator<SourceMessage, FileReport, undefined> {
  const { client, stream, job, ctx } = args;
  const batchSize = args.batchSize ?? RECORDS_PER_BATCH;
  const where = `job ${job.id} (updated ${job.updatedAt}) ${stream.file}`;
  /** Records of this file that are emitted (or committed before this run), in file order. */
  let covered: ResumePoint = args.resume ?? { records: 0, lastId: null };
  if (args.resume) ctx.log.info(`resuming ${where} after its first ${args.resume.records} records`);

  for (let attempt = 1; ; attempt++) {
    const skip = covered;
    const report: FileReport = { records: 0, malformed: 0, malformedLines: [], blank: 0, attempts: attempt };
    let inBody = false;
    try {
      const res = await (attempt === 1 && args.requested ? args.requested : requestExportFile(client, stream, job, ctx, ctx.signal));
      inBody = true;
      let batch: Record<string, unknown>[] = [];
      let lineNo = 0;
      let lastLineBad = false;
      let lastId: string | null = null;
      const tail = { unterminated: false };
      for await (const lines of ndjsonLines(res.body, { tail })) {
        for (const line of lines) {
          lineNo++;
          let record: unknown;
          try {
            record = JSON.parse(line);
          } catch {
            record = undefined;
          }
          lastLineBad = record === null || typeof record !== 'object' || Array.isArray(record);
          if (lastLineBad) {
            if (line !== OVERLONG_LINE && /^\s*$/.test(line)) report.blank++;
            else if (++report.malformed <= MAX_LINES_REPORTED) report.malformedLines.push(lineNo);
            continue;
          }
          const r = record as Record<string, unknown>;
          const n = ++report.records;
          lastId = idOf(r);
          if (n <= skip.records) {
            if (n === skip.records && lastId !== skip.lastId) throw new ResumeMismatch();
            continue;
          }
          r[JOB_ID_COLUMN] = job.id;
          r[JOB_UPDATED_AT_COLUMN] = job.updatedAt;
          stream.derive?.(r);
          batch.push(r);
          if (batch.length >= batchSize) {
            yield { type: 'records', stream: stream.name, records: batch };
            covered = { records: n, lastId };
            batch = [];
            yield { type: 'state', stream: stream.name, state: stateInJob(args.base, job, covered) };
          }
        }
      }
      if (report.records < skip.records) throw new ResumeMismatch();
      if (batch.length > 0) yield { type: 'records', stream: stream.name, records: batch };
      // A server that closes the connection instead of failing it can cut a file silently.
      // The last attempt takes the file as it is (the bad line is reported).
      if (tail.unterminated && lastLineBad && attempt < FILE_ATTEMPTS) {
        if (report.records > covered.records) covered = { records: report.records, lastId };
        throw new TruncatedFile();
      }
      return report;
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      if (err instanceof ResumeMismatch) {
        // Same job, so emitting its records again is harmless; skipping the wrong ones would not be.
        ctx.log.warn(`${where} differs from the copy read before (record ${skip.records} is not ${skip.lastId}); reading it whole again`);
        covered = { records: 0, lastId: null };
        if (attempt >= FILE_ATTEMPTS) throw fileFailure(where, attempt, err);
        continue;
      }
      if (err instanceof HttpError && err.status === 404 && !inBody) {
        if (!(await jobStillListsFile(client, job, stream, ctx))) {
          return { records: 0, malformed: 0, malformedLines: [], blank: 0, attempts: attempt, missing: true };
        }
        // Listed but not served: a glitch on Gladly's side, worth a few more tries.
        if (attempt >= FILE_ATTEMPTS) throw fileFailure(where, attempt, err);
      } else if (err instanceof AuthError || !inBody || !isRetryable(err)) {
        throw err; // the HTTP client already retried what happened before the body
      } else if (attempt >= FILE_ATTEMPTS) {
        throw fileFailure(where, attempt, err);
      }
      // A download asked for ahead waited unread while the file before it was read, and a
      // server may drop an idle connection. If nothing of it was read, it is asked for again at
      // once, without a warning: nothing went wrong that the user should see.
      if (attempt === 1 && args.requested && inBody && report.records + report.malformed + report.blank === 0) {
        ctx.log.debug(`${where}: the download asked for ahead was dropped before it was read (${redactError(err)}); asking again`);
        continue;
      }
      const delay = backoffDelay(attempt, FILE_RETRY);
      ctx.log.warn(`${where}: ${redactError(err)}; downloading it again in ${delay} ms (attempt ${attempt + 1} of ${FILE_ATTEMPTS}), skipping the ${covered.records} records already read`);
      await abortableSleep(delay, ctx.signal);
    }
  }
}

async function jobStillListsFile(client: HttpClient, job: ExportJob, stream: GladlyStreamDef, ctx: SourceContext): Promise<boolean> {
  try {
    const body = await client.get<{ files?: unknown }>(`/export/jobs/${encodeURIComponent(job.id)}`, {
      label: `${stream.name} job`, signal: ctx.signal, onRequest: () => ctx.countRequest(stream.name),
    });
    return Array.isArray(body?.files) && body.files.includes(stream.file);
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return false;
    throw err;
  }
}

function fileFailure(where: string, attempts: number, cause: unknown): SupportSyncError {
  return new SupportSyncError(
    `${where} could not be read in ${attempts} attempts (last: ${redactError(cause)}). The state was not advanced past this job: the next run resumes in it.`,
    { code: 'GLADLY_FILE_FAILED', phase: 'source', disposition: 'retry', settings: cause instanceof SupportSyncError ? cause.settings : [], cause },
  );
}
