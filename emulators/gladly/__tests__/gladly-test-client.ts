/** A minimal client for the emulator tests: real fetch, Basic auth, NDJSON reading. */
import type { GladlyEmulator } from '../start-gladly-emulator.ts';

export interface Job {
  id: string;
  scheduleId: string;
  status: string;
  updatedAt: string;
  parameters: { type: string; startAt: string; endAt: string };
  files: string[];
}

export const basic = (email: string, token: string): string => 'Basic ' + Buffer.from(`${email}:${token}`).toString('base64');

export function api(emu: GladlyEmulator, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) headers.set('authorization', basic(emu.email, emu.token));
  return fetch(`${emu.apiBase}${path}`, { ...init, headers });
}

export async function listJobs(emu: GladlyEmulator, query = ''): Promise<Job[]> {
  const res = await api(emu, `/export/jobs${query}`);
  if (res.status !== 200) throw new Error(`listing answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Job[];
}

export async function hook<T = unknown>(emu: GladlyEmulator, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${emu.url}/__emulator/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: (await res.json()) as T };
}

export async function fileText(emu: GladlyEmulator, jobId: string, file: string): Promise<string> {
  const res = await api(emu, `/export/jobs/${jobId}/files/${file}`);
  if (res.status !== 200) throw new Error(`${jobId}/${file} answered ${res.status}`);
  return res.text();
}

export const records = (text: string): Record<string, unknown>[] =>
  text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

/** Every record of every COMPLETED job, merged on id per stream (later jobs win). */
export async function readAllCompleted(emu: GladlyEmulator): Promise<{ jobs: Job[]; streams: Record<string, Map<string, Record<string, unknown>[]>> }> {
  const jobs = (await listJobs(emu, '?status=COMPLETED'));
  const streams: Record<string, Map<string, Record<string, unknown>[]>> = {};
  await inPool(jobs, 8, async (job) => {
    for (const file of job.files) {
      const stream = file.replace('.jsonl', '');
      const seen = (streams[stream] ??= new Map());
      for (const r of records(await fileText(emu, job.id, file))) {
        const versions = seen.get(r.id as string) ?? [];
        versions.push(r);
        seen.set(r.id as string, versions);
      }
    }
  });
  return { jobs, streams };
}
