/**
 * A small real HTTP server in the shape of Gladly's export API, for exact edge cases the
 * emulator does not stage on demand: jobs at identical instants, a download cut at a chosen
 * byte, a file that changes between two downloads, a listed file that is gone. Jobs and
 * file contents are plain data the test changes between (or during) reads.
 */
import { sendJson, startTestServer } from '../../../core/http/__tests__/test-server.ts';

export interface FixtureJob {
  id: string;
  status: 'PENDING' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  updatedAt: string;
  windowEnd?: string;
  /** File name -> its exact text (lines joined by the test; any bytes allowed). */
  files: Record<string, string>;
}

export interface ExportServer {
  apiBase: string;
  jobs: FixtureJob[];
  /** Paths of every API request, in arrival order (query included). */
  requests: string[];
  /** Cut the next download of `path` after this many bytes (then the cut is forgotten). */
  cutOnce: Map<string, number>;
  /** Serve only the first bytes of the next download of `path`, ending the body cleanly (no error). */
  shortOnce: Map<string, number>;
  /** Serve half of the next download of `path`, and the rest once this settles. */
  holdOnce: Map<string, Promise<unknown>>;
  /** Held downloads whose connection the client closed before the body ended. */
  droppedByClient: string[];
  /** Runs right after a cut, e.g. to change the file before the retry. */
  afterCut?: (path: string) => void;
  /** Paths answering 404 although listed: a file, or a job (`/api/v1/export/jobs/<id>`). */
  gone: Set<string>;
  /** Answer a listing with `startAt` with Gladly's 400 (as when our clock is ahead of Gladly's). */
  rejectStartAt?: boolean;
  close(): Promise<void>;
}

export const filePath = (jobId: string, file: string) => `/api/v1/export/jobs/${jobId}/files/${file}`;

export async function startExportServer(jobs: FixtureJob[]): Promise<ExportServer> {
  const state: Omit<ExportServer, 'apiBase' | 'close'> = { jobs, requests: [], cutOnce: new Map(), shortOnce: new Map(), holdOnce: new Map(), droppedByClient: [], gone: new Set() };
  const jobBody = (j: FixtureJob) => ({
    id: j.id, scheduleId: 'S1', status: j.status, updatedAt: j.updatedAt,
    parameters: { type: 'CONVERSATIONS', startAt: '2026-01-01T00:00:00Z', endAt: j.windowEnd ?? '2026-01-02T00:00:00Z' },
    files: j.status === 'COMPLETED' ? Object.keys(j.files) : [],
  });
  const server = await startTestServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    state.requests.push(url.pathname + url.search);
    const parts = url.pathname.split('/'); // ['', 'api', 'v1', 'export', 'jobs', id?, 'files'?, name?]
    if (url.pathname === '/api/v1/export/jobs') {
      if (state.rejectStartAt && url.searchParams.has('startAt')) {
        return sendJson(res, 400, { errors: [{ attr: 'startAt', code: 'invalid', detail: 'startAt cannot be more than 14 days ago' }] });
      }
      return sendJson(res, 200, state.jobs.map(jobBody));
    }
    if (url.pathname === '/api/v1/export/schedules') return sendJson(res, 200, [{ id: 'S1', frequency: 'DAILY', type: 'CONVERSATIONS' }]);
    const job = state.jobs.find((j) => j.id === parts[5]);
    if (!job || state.gone.has(parts.slice(0, 6).join('/'))) return sendJson(res, 404, { errors: [{ code: 'not_exist', detail: 'entity does not exist' }] });
    if (parts.length === 6) return sendJson(res, 200, jobBody(job));
    const text = job.files[parts[7] ?? ''];
    if (text === undefined || state.gone.has(url.pathname)) return sendJson(res, 404, { errors: [{ code: 'not_exist', detail: 'entity does not exist' }] });
    const bytes = Buffer.from(text, 'utf8');
    const short = state.shortOnce.get(url.pathname);
    if (short !== undefined) {
      state.shortOnce.delete(url.pathname);
      res.writeHead(200, { 'content-type': 'application/x-ndjson', 'content-length': short });
      return void res.end(bytes.subarray(0, short));
    }
    const hold = state.holdOnce.get(url.pathname);
    if (hold !== undefined) {
      state.holdOnce.delete(url.pathname);
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write(bytes.subarray(0, bytes.length >> 1));
      res.on('close', () => { if (!res.writableEnded) state.droppedByClient.push(url.pathname); });
      return void hold.finally(() => { if (!res.destroyed) res.end(bytes.subarray(bytes.length >> 1)); });
    }
    const cut = state.cutOnce.get(url.pathname);
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    if (cut === undefined) return void res.end(bytes);
    state.cutOnce.delete(url.pathname);
    res.write(bytes.subarray(0, cut), () => {
      // Let the bytes reach the client before the connection drops, as a real cut would.
      setTimeout(() => {
        res.destroy();
        state.afterCut?.(url.pathname);
      }, 20);
    });
  });
  return Object.assign(state, { apiBase: `${server.url}/api/v1`, close: () => server.close() });
}

/** NDJSON text of records `prefix0..prefix{n-1}`, one per line. */
export function ndjson(n: number, prefix = 'r', extra: (i: number) => Record<string, unknown> = () => ({})): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify({ id: `${prefix}${i}`, name: `name ${i}`, ...extra(i) }) + '\n').join('');
}
