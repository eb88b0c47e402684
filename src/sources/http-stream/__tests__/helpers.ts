/** Shared pieces of the reader tests: a context, a message collector, a declared test stream. */
import { silentLogger } from '../../../core/logger.ts';
import { createHttpClient } from '../../../core/http/http-client.ts';
import type { HttpClient } from '../../../core/http/http-client.ts';
import type { SourceContext, SourceMessage, StreamReadRequest, StreamState, SyncType } from '../../source.ts';
import { defineHttpStream, operatorFilter } from '../define-http-stream.ts';
import type { HttpStreamDef, RawRecord, ReadHttpStreamOptions } from '../define-http-stream.ts';
import { readHttpStream } from '../read-http-stream.ts';

export type TestContext = SourceContext & { counts: Record<string, number> };

export function makeCtx(): TestContext {
  const counts: Record<string, number> = {};
  return {
    log: silentLogger,
    signal: new AbortController().signal,
    countRequest: (stream) => {
      counts[stream] = (counts[stream] ?? 0) + 1;
    },
    counts,
  };
}

export interface Collected {
  messages: SourceMessage[];
  records: RawRecord[];
  states: StreamState[];
  warnings: string[];
  error?: unknown;
}

/** Drains a read; a thrown error is captured (a failed run still emitted what it emitted). */
export async function collect(messages: AsyncIterable<SourceMessage>): Promise<Collected> {
  const out: Collected = { messages: [], records: [], states: [], warnings: [] };
  try {
    for await (const m of messages) {
      out.messages.push(m);
      if (m.type === 'records') out.records.push(...m.records);
      else if (m.type === 'state') out.states.push(m.state);
      else out.warnings.push(m.message);
    }
  } catch (err) {
    out.error = err;
  }
  return out;
}

/** What the engine would commit: records up to the last state, and that state. */
export function committed(c: Collected): { records: RawRecord[]; state?: StreamState } {
  let lastState = -1;
  c.messages.forEach((m, i) => {
    if (m.type === 'state') lastState = i;
  });
  const records = c.messages.slice(0, lastState + 1).flatMap((m) => (m.type === 'records' ? m.records : []));
  return { records, state: lastState >= 0 ? (c.messages[lastState] as { state: StreamState }).state : undefined };
}

export const ids = (records: RawRecord[]): string[] => records.map((r) => String(r.id));

export function ticketsStream(overrides: Partial<HttpStreamDef> = {}): HttpStreamDef {
  return defineHttpStream({
    name: 'tickets',
    columns: { id: 'string', updatedAt: 'timestamp', title: 'string' },
    primaryKey: ['id'],
    cursorField: 'updatedAt',
    syncTypes: ['INCREMENTAL', 'FULL_TABLE'],
    defaultSyncType: 'INCREMENTAL',
    path: '/tickets',
    recordsPath: 'tickets',
    paginator: { type: 'offset', limitParam: 'limit', offsetParam: 'skip', pageSize: 10 },
    incremental: { filterParam: operatorFilter('updatedAt'), sort: [['sort', 'updatedAt']], lookbackMs: 0 },
    ...overrides,
  });
}

export function testClient(baseUrl: string, maxAttempts = 3): HttpClient {
  return createHttpClient({ baseUrl, retry: { maxAttempts, baseDelayMs: 2, maxDelayMs: 5 } });
}

export function read(
  client: HttpClient,
  def: HttpStreamDef,
  syncType: SyncType,
  state?: StreamState,
  opts: ReadHttpStreamOptions = { startDate: '2025-01-01T00:00:00Z' },
  ctx: SourceContext = makeCtx(),
): Promise<Collected> {
  const request: StreamReadRequest = { stream: def, syncType, state };
  return collect(readHttpStream(client, def, request, ctx, opts));
}
