/**
 * Reads one Gladly stream: list the export jobs, apply the COMPLETED ones oldest first from
 * the saved cursor on, stream this stream's file of each, and checkpoint after every job
 * (and every batch inside one). Jobs that are FAILED, PENDING or IN_PROGRESS are never
 * read; one that completes later has a later `updatedAt` and is picked up by the next run.
 */
import type { Readable } from 'node:stream';
import { SupportSyncError } from '../../core/errors.ts';
import type { HttpClient, HttpResponse } from '../../core/http/http-client.ts';
import { linkedAbort } from '../../core/http/linked-abort.ts';
import type { SourceContext, SourceMessage, StreamReadRequest } from '../source.ts';
import { listExportJobs, type ExportJob, type JobListing } from './export-jobs.ts';
import type { GladlyStreamDef } from './gladly-streams.ts';
import { parseGladlyState, planReads, stateAfterJob, type ParsedState } from './job-cursor.ts';
import { readExportFile, requestExportFile, type FileReport } from './read-export-file.ts';

const MAX_JOBS_NAMED = 5;

export async function* readGladlyStream(
  client: HttpClient,
  stream: GladlyStreamDef,
  request: StreamReadRequest,
  ctx: SourceContext,
): AsyncGenerator<SourceMessage, void, undefined> {
  if (request.syncType !== 'INCREMENTAL') {
    throw new SupportSyncError(
      `streams.${stream.name}.syncType: ${request.syncType} is not supported; Gladly streams are INCREMENTAL only (a replace would drop every row older than Gladly's 14 days of exports).`,
      { code: 'CONFIG_INVALID', phase: 'config' },
    );
  }
  const warn = (message: string): SourceMessage => ({ type: 'warning', stream: stream.name, message });
  const parsed = parseGladlyState(request.state);
  if (parsed.problem) yield warn(`${parsed.problem}; reading every export job Gladly still holds (rows already loaded are merged on id, none are lost)`);

  const listing = await listExportJobs(client, {
    after: parsed.key, label: `${stream.name} jobs`, signal: ctx.signal, onRequest: () => ctx.countRequest(stream.name),
  });
  const gap = historyGap(parsed, listing);
  if (gap) yield warn(gap);
  const failed = listing.jobs.filter((j) => j.status === 'FAILED' && (parsed.key === undefined || j.key > parsed.key));
  if (failed.length) {
    yield warn(`${failed.length} export job(s) FAILED at Gladly and hold no data: ${nameJobs(failed)}. Ask Gladly support to regenerate those windows.`);
  }
  const unfinished = listing.jobs.filter((j) => j.status === 'PENDING' || j.status === 'IN_PROGRESS');
  if (unfinished.length) ctx.log.info(`${unfinished.length} export job(s) not finished yet (${nameJobs(unfinished)}); a later run reads them once COMPLETED`);

  const plan = planReads(listing.jobs, parsed);
  ctx.log.info(`${plan.jobs.length} completed export job(s) to read`, { stream: stream.name, after: parsed.state.cursor ?? 'start' });
  let state = parsed.state;
  let key = parsed.key;
  let resume = plan.resume;
  // The next file is asked for while one is read: Gladly's answer time then overlaps with
  // reading instead of adding up over hundreds of hourly files. Its body waits unread (the
  // connection's buffers fill and the server pauses); a connection dropped meanwhile is a cut
  // download, fetched again like any other.
  const withFile = plan.jobs.filter((job) => job.files.includes(stream.file));
  let ahead: FileAhead | undefined;
  try {
    for (const job of plan.jobs) {
      // A job without this stream's file had nothing for it: it is done all the same.
      if (job.files.includes(stream.file)) {
        const requested = ahead?.job === job ? ahead.response : undefined;
        const next = withFile[withFile.indexOf(job) + 1];
        ahead = next && requestAhead(client, stream, next, ctx);
        const report = yield* readExportFile({ client, stream, job, ctx, base: state, resume, requested });
        yield* fileWarnings(stream, job, report);
      }
      resume = undefined;
      state = stateAfterJob(state, key, job);
      key = job.key;
      yield { type: 'state', stream: stream.name, state };
    }
  } finally {
    ahead?.cancel();
  }
}

interface FileAhead {
  job: ExportJob;
  response: Promise<HttpResponse<Readable>>;
  /** The read ended before this file: the request is aborted and its body dropped. */
  cancel(): void;
}

function requestAhead(client: HttpClient, stream: GladlyStreamDef, job: ExportJob, ctx: SourceContext): FileAhead {
  const own = linkedAbort(ctx.signal);
  const response = requestExportFile(client, stream, job, ctx, own.controller.signal);
  // The link to the run's signal lasts as long as the download. A failure is rethrown when the
  // response is awaited in its turn; it is not unhandled meanwhile.
  response.then((res) => res.body.once('close', own.unlink), own.unlink);
  return {
    job,
    response,
    cancel() {
      own.controller.abort(new Error('the read ended before this file'));
      response.then((res) => res.body.destroy(), () => undefined);
    },
  };
}

/**
 * Gladly deletes jobs after 14 days. When the whole window was listed and even its oldest
 * job is newer than the cursor, jobs in between may be gone: say so loudly, but carry on
 * with what is there (the seed's documented sync limitation).
 */
function historyGap(parsed: ParsedState, listing: JobListing): string | undefined {
  if (parsed.key === undefined || listing.startAt !== undefined) return undefined;
  const oldest = listing.jobs[0];
  if (oldest && oldest.key <= parsed.key) return undefined;
  const since = `the last sync read up to the export job updated at ${parsed.state.cursor}${parsed.state.jobId ? ` (${parsed.state.jobId})` : ''}`;
  const now = oldest ? `the oldest job Gladly still holds was updated at ${oldest.updatedAt}` : 'Gladly holds no export job at all now';
  return `HISTORY MAY BE MISSING: ${since}, and ${now}. Gladly keeps export jobs for 14 days, so records of any job in between are gone. Sync at least every 14 days; to recover the gap, ask Gladly support to regenerate the past exports.`;
}

function* fileWarnings(stream: GladlyStreamDef, job: ExportJob, report: FileReport): Generator<SourceMessage> {
  const where = `job ${job.id} (updated ${job.updatedAt}) ${stream.file}`;
  if (report.missing) {
    yield { type: 'warning', stream: stream.name, message: `${where} is listed but gone (the job expired or was deleted before it could be read): its ${stream.name} records are missing` };
  }
  if (report.malformed > 0) {
    const more = report.malformed > report.malformedLines.length ? ', ...' : '';
    yield {
      type: 'warning', stream: stream.name,
      message: `${where}: ${report.malformed} malformed line(s) skipped (not a JSON object; line ${report.malformedLines.join(', ')}${more}); the other ${report.records} records were read`,
    };
  }
}

function nameJobs(jobs: ExportJob[]): string {
  const named = jobs.slice(0, MAX_JOBS_NAMED).map((j) => `${j.id} (${j.windowStart && j.windowEnd ? `window ${j.windowStart} to ${j.windowEnd}` : `updated ${j.updatedAt}`})`);
  return named.join(', ') + (jobs.length > MAX_JOBS_NAMED ? `, and ${jobs.length - MAX_JOBS_NAMED} more` : '');
}
