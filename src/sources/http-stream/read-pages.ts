/**
 * Reads one declared stream (or one parent's part of a child stream) page by page, and
 * decides what to emit. The algorithm, for a stream whose API filters `cursor >= from` and
 * sorts ascending by the cursor (Gleap: `updatedAt>=X&sort=updatedAt&limit=&skip=`):
 *
 *  1. from = saved cursor − lookbackMs (never before the start date); on a first run or
 *     FULL_TABLE, the start date. The paginator starts at its beginning.
 *  2. Fetch a page with the filter, the sort and the paginator's position. Check that it
 *     really is ascending and >= from: an API that ignored the sort would make a checkpoint
 *     skip rows, so the read fails loudly instead.
 *  3. Emit the records not already known. A record is known when its primary key was
 *     emitted before with the same or a later cursor value: within this run, and from the
 *     saved state (ids at the saved cursor, and ids inside the lookback window). Rows that
 *     changed carry a later cursor and are always emitted; unchanged boundary rows are not.
 *  4. INCREMENTAL: emit the state {cursor: highest seen, idsAtCursor, recent}. Every row
 *     below the cursor has been read; idsAtCursor says which rows sharing the cursor are
 *     done. A run that fails later resumes from here without gaps or duplicates.
 *  5. Last page (short page, totalCount reached, no next token)? Done. Otherwise restart at
 *     step 2 with from = the page's highest cursor and the paginator reset. Restarting,
 *     rather than skipping further, is what keeps offset paging correct while data changes:
 *     a row updated during the sync moves to the end of the result and shifts every offset
 *     behind it, so `skip=2000` no longer points where it did; a fresh `>= from` query does.
 *     The price is re-reading the rows that share the boundary cursor (usually one), which
 *     step 3 drops.
 *  6. Degenerate case: a full page whose rows all share the cursor `from` (more rows with
 *     one timestamp than a page holds, e.g. a bulk import). Restarting would fetch the same
 *     page forever, so the paginator advances within the same query until a later cursor
 *     appears, then step 5 resumes. This needs the API to keep a stable order among equal
 *     cursors (MongoDB does for an indexed sort); a warning in the run record says so.
 *  7. Reading ahead (offset paginators that declare `pagesAhead` > 1). Steps 5 and 6 need a
 *     page before the next can be asked for, so a read is as slow as the API's round trip
 *     (100 ms for a page of 1000 rows is common). Instead the query's from stays put and
 *     pages are asked for by position, several at once, each starting at the last row of
 *     the one before (skip += pageSize − 1). That overlapping row checks the offsets: it is
 *     the same row only if no row before it left the result between the two requests (rows
 *     that change move to the end). Another row there and the page, and those asked for
 *     after it, are dropped; the query restarts at step 2 from the last page read. Without
 *     a total count, the number of pages ahead grows with the pages read (1, 2, 3, ...), so
 *     a small read is one request and a large one asks for at most `pagesAhead` − 1 pages
 *     past its end.
 *
 * Streams without an ascending incremental filter are read with plain pagination and get
 * one state at the end. A paginator that returns the same page twice, or the same cursor
 * token twice, stops the read with an error instead of looping.
 */
import { SupportSyncError } from '../../core/errors.ts';
import type { HttpClient, HttpResponse } from '../../core/http/http-client.ts';
import { linkedAbort } from '../../core/http/linked-abort.ts';
import type { QueryPair } from '../../core/http/query-string.ts';
import type { SourceContext, SyncType } from '../source.ts';
import type { CursorState } from './boundary.ts';
import { createBoundary } from './boundary.ts';
import type { CursorKey } from './cursor-values.ts';
import { cursorKey, keyMinusMs, keyToIso } from './cursor-values.ts';
import type { HttpStreamDef, ParentContext, ReadHttpStreamOptions } from './define-http-stream.ts';
import type { RawRecord } from './extract-records.ts';
import { extractRecords } from './extract-records.ts';
import type { OffsetPaginator, PagePosition } from './paginators.ts';
import { firstPosition, nextPosition, pageQuery } from './paginators.ts';

export type PageEvent =
  | { type: 'records'; records: RawRecord[] }
  | { type: 'checkpoint'; state: CursorState }
  | { type: 'warning'; message: string };

export interface ReadPagesInput {
  client: HttpClient;
  def: HttpStreamDef;
  ctx: SourceContext;
  opts: ReadHttpStreamOptions;
  syncType: SyncType;
  /** The path with any `{placeholders}` filled. */
  path: string;
  parent?: ParentContext;
  /** The saved state to continue from (INCREMENTAL only). */
  prior?: CursorState;
}

interface Bound {
  iso: string;
  key: CursorKey;
}

const EPOCH = '1970-01-01T00:00:00.000Z';

/** A page asked for and not yet read. */
interface PageRequest {
  /** The query it belongs to (its `cursor >= from` filter). */
  from: Bound | undefined;
  pos: PagePosition;
  response: Promise<HttpResponse<unknown>>;
  cancel(): void;
}

/** What the next page is checked against, when pages are read ahead: the last row read. */
interface LastRow {
  identity: string;
  key: CursorKey | undefined;
  /** The identities of its page, joined: the same page again means the API ignores `skip`. */
  fingerprint: string;
  /** The highest cursor of its page: where the query restarts if rows moved. */
  pageMax: CursorKey | undefined;
}

/** Yields records, checkpoints and warnings; returns the final state. */
export async function* readPages(input: ReadPagesInput): AsyncGenerator<PageEvent, CursorState, undefined> {
  const { client, def, ctx, opts, parent } = input;
  const inc = def.incremental;
  const keyset = inc !== undefined && (inc.order ?? 'ascending') === 'ascending';
  const checkpoints = input.syncType === 'INCREMENTAL' && keyset;
  const paginator = def.paginator;
  // Step 7: pages planned by position, several at once. Only offset paging of a keyset query
  // can say where a page starts before the one before it has arrived.
  const readAhead = keyset && paginator.type === 'offset' && (paginator.pagesAhead ?? 1) > 1 ? paginator : undefined;
  const boundary = createBoundary(input.prior, inc?.lookbackMs ?? 0, opts.maxRecentIds);
  let last: LastRow | undefined;
  let warnedTies = false;
  let lastCheckpoint = '';
  let rereads = 0;
  const missing = { cursor: 0, key: 0 };

  // Pages are asked for ahead of reading them, so that the API's time and ours overlap
  // instead of adding up (and a rate budget is used while we work). At least the next page
  // is on its way while the caller loads this one. If the read ends early, `ahead` cancels
  // what is still on its way.
  const ahead = linkedAbort(ctx.signal);
  const request = (from: Bound | undefined, pos: PagePosition): PageRequest => {
    const query: QueryPair[] = [...(def.params ?? [])];
    if (inc && from) query.push(...(inc.sort ?? []), ...inc.filterParam(from.iso));
    query.push(...pageQuery(paginator, pos));
    const own = linkedAbort(ahead.controller.signal);
    const response = client.request({ path: input.path, query, label: def.name, signal: own.controller.signal, onRequest: () => ctx.countRequest(def.name) });
    response.catch(() => undefined).finally(own.unlink); // awaited in the loop; until then its failure is not unhandled
    return { from, pos, response, cancel: () => own.controller.abort(new Error('page no longer needed')) };
  };
  const cancelAll = (requests: PageRequest[]) => {
    for (const r of requests.splice(0)) r.cancel();
  };
  const requests: PageRequest[] = [request(inc ? lowerBound(def.name, input.prior, inc.lookbackMs ?? 0, opts.startDate) : undefined, firstPosition())];

  try {
    for (;;) {
      const req = requests.shift()!;
      const { from, pos } = req;
      const res = await req.response;
      const page = extractRecords(res.body, def.recordsPath, def.name);
      if (page.malformed > 0) {
        yield { type: 'warning', message: `${page.malformed} item(s) in a page of ${def.name} were not JSON objects and were not loaded` };
      }
      const fetched = page.records.length + page.malformed;
      const records = def.transform ? page.records.map((r) => transformed(def, r, parent)) : page.records;

      // Step 7: a page read ahead starts with the last row of the page before it. Another row
      // there means rows moved between the two requests, so this page and those after it may
      // have skipped some: they are dropped and the query restarts after the last page read.
      const overlaps = readAhead !== undefined && pos.index > 0;
      if (overlaps && !sameRow(def, records[0], last!)) {
        if (fingerprintOf(def, records) === last!.fingerprint) throw pagingIgnored(def);
        const restart = restartAfter(last!, from);
        if (restart) {
          rereads++;
          cancelAll(requests);
          requests.push(request(restart, firstPosition()));
          ctx.log.debug('rows moved during the read; restarting the query', { stream: def.name, from: restart.iso, offset: pos.offset });
          continue;
        }
        // Inside a run of equal cursors there is no later cursor to restart from: the page is
        // read as it is, which relies on a stable order among equal values (step 6).
      }

      const out: RawRecord[] = [];
      const ids: string[] = [];
      let pageMin: CursorKey | undefined;
      let pageMax: CursorKey | undefined;
      let key: CursorKey | undefined;
      for (let i = 0; i < records.length; i++) {
        const record = records[i]!;
        const pk = primaryKeyOf(record, def.primaryKey);
        const raw = def.cursorField === undefined ? undefined : record[def.cursorField];
        key = cursorKey(raw);
        ids.push(identityOf(record, pk, key));
        if (key !== undefined) {
          if (keyset && from && (key < from.key || (pageMax !== undefined && key < pageMax))) {
            throw unsorted(def, raw, pageMax ?? from.key);
          }
          if (pageMin === undefined || key < pageMin) pageMin = key;
          if (pageMax === undefined || key > pageMax) pageMax = key;
        }
        if (overlaps && i === 0) continue; // the last row of the page before, handed out already
        if (pk === undefined) missing.key++;
        if (key === undefined) {
          if (def.cursorField !== undefined) missing.cursor++;
          out.push(record);
          continue;
        }
        if (pk !== undefined && boundary.isKnown(pk, key)) continue;
        boundary.note(pk, key, typeof raw === 'string' ? raw : keyToIso(key));
        out.push(record);
      }

      // The same page again after advancing: the API ignores the paging parameter.
      const fingerprint = ids.join('\u0000');
      if (pos.index > 0 && fetched > 0 && fingerprint === last?.fingerprint) throw pagingIgnored(def);
      if (ids.length > 0) last = { identity: ids.at(-1)!, key, fingerprint, pageMax };

      ctx.log.debug('page read', { stream: def.name, fetched, emitted: out.length, from: from?.iso, page: pos.index, offset: pos.offset });

      // Where the next pages start, decided before this page is handed out so that they can be
      // fetched meanwhile.
      // Read ahead, a short page ends the read even if a total count says there is more (a
      // count of the whole collection rather than the query would otherwise never end it).
      const short = readAhead !== undefined && fetched < readAhead.pageSize;
      const next = short ? undefined : nextPosition(paginator, pos, res.body, fetched, def.name);
      const tied = keyset && next !== undefined && pageMin !== undefined && pageMin === pageMax;
      if (!next) cancelAll(requests); // pages read ahead past the end
      else if (readAhead) planAhead(readAhead, req, fetched, res.body);
      else requests.push(afterPage(req, next, pageMin, pageMax));

      if (out.length > 0) yield { type: 'records', records: out };
      boundary.prune();
      if (checkpoints) {
        const state = boundary.toState();
        const json = JSON.stringify(state);
        if (json !== lastCheckpoint) {
          lastCheckpoint = json;
          yield { type: 'checkpoint', state };
        }
      }
      if (tied && !warnedTies) {
        warnedTies = true;
        yield {
          type: 'warning',
          message: `more than one page of ${def.name} shares ${def.cursorField} = ${keyToIso(pageMax!)}; they are read by position, which relies on the API keeping a stable order among equal values`,
        };
      }
      if (!next) break;
    }
  } finally {
    ahead.unlink();
    ahead.controller.abort();
  }

  if (rereads > 0) ctx.log.info('pages read again because rows moved during the read', { stream: def.name, restarts: rereads });
  if (missing.cursor > 0) {
    yield { type: 'warning', message: `${missing.cursor} record(s) of ${def.name} had no valid ${def.cursorField}; they were loaded but do not move the cursor` };
  }
  if (missing.key > 0) {
    yield { type: 'warning', message: `${missing.key} record(s) of ${def.name} had no ${def.primaryKey.join(' + ')}; they were passed on but cannot be deduplicated` };
  }
  return boundary.toState();

  /** One page at a time (steps 5 and 6): the page after `req`. */
  function afterPage(req: PageRequest, next: PagePosition, pageMin: CursorKey | undefined, pageMax: CursorKey | undefined): PageRequest {
    const { from, pos } = req;
    if (!keyset || !from || pageMax === undefined) return request(from, next);
    const max = boundAt(pageMax);
    const moved = max.key > from.key ? max : from;
    // The first page of a query all one cursor: `>= that cursor` is the same result set, so
    // keep paging it (step 6) rather than fetch this page again.
    const restart = max.key > from.key && (pos.index > 0 || pageMin !== pageMax);
    return restart ? request(moved, firstPosition()) : request(moved, next);
  }

  /**
   * Step 7: keeps up to `pagesAhead` pages of this query on their way, each starting at the
   * last row of the one before. Without a total count, as many pages ahead as pages read so
   * far in this query, so that a small read never asks for pages past its end.
   */
  function planAhead(paging: OffsetPaginator, req: PageRequest, fetched: number, body: unknown): void {
    const total = paging.totalCount?.(body);
    const most = paging.pagesAhead ?? 1;
    const depth = total === undefined ? Math.min(most, req.pos.index + 1) : most;
    const step = (p: PagePosition, rows: number): PagePosition => ({ ...p, index: p.index + 1, offset: p.offset + rows - 1 });
    let pos = requests.at(-1)?.pos;
    while (requests.length < depth) {
      pos = pos ? step(pos, paging.pageSize) : step(req.pos, fetched);
      if (total !== undefined && pos.offset + 1 >= total) break; // only the overlap row there
      requests.push(request(req.from, pos));
    }
  }
}

/** Step 7: the first row of a page read ahead is the last row of the page before it. */
function sameRow(def: HttpStreamDef, record: RawRecord | undefined, row: LastRow): boolean {
  if (record === undefined) return false;
  const key = cursorKey(def.cursorField === undefined ? undefined : record[def.cursorField]);
  return key === row.key && identityOf(record, primaryKeyOf(record, def.primaryKey), key) === row.identity;
}

function fingerprintOf(def: HttpStreamDef, records: RawRecord[]): string {
  return records
    .map((r) => identityOf(r, primaryKeyOf(r, def.primaryKey), cursorKey(def.cursorField === undefined ? undefined : r[def.cursorField])))
    .join('\u0000');
}

/** What tells rows apart in a page: the primary key, else the cursor, else the whole record. */
function identityOf(record: RawRecord, pk: string | undefined, key: CursorKey | undefined): string {
  return pk ?? key ?? JSON.stringify(record);
}

/** Step 7: restarting after the last page read needs a cursor past the query's `from`. */
function restartAfter(row: LastRow, from: Bound | undefined): Bound | undefined {
  if (from === undefined || row.pageMax === undefined) return undefined;
  const max = boundAt(row.pageMax);
  return max.key > from.key ? max : undefined;
}

/** The filter bound at a cursor: its ISO text as sent (milliseconds, rounded down) and that text's key. */
function boundAt(key: CursorKey): Bound {
  const iso = keyToIso(key);
  return { iso, key: cursorKey(iso)! };
}

/** The primary key as one string (JSON for composite keys); undefined when a part is missing. */
export function primaryKeyOf(record: RawRecord, primaryKey: readonly string[]): string | undefined {
  if (primaryKey.length === 1) {
    // The usual case, without the arrays below (called for every record).
    const value = record[primaryKey[0]!];
    return value === undefined || value === null || value === '' ? undefined : String(value);
  }
  const parts = primaryKey.map((k) => record[k]);
  if (parts.some((v) => v === undefined || v === null || v === '')) return undefined;
  return JSON.stringify(parts);
}

function transformed(def: HttpStreamDef, record: RawRecord, parent: ParentContext | undefined): RawRecord {
  try {
    return def.transform!(record, parent);
  } catch (err) {
    const id = record.id ?? record._id;
    throw new SupportSyncError(`stream "${def.name}": transform failed on record ${id === undefined ? '(no id)' : JSON.stringify(id)}: ${err instanceof Error ? err.message : String(err)}`, {
      code: 'SOURCE_TRANSFORM',
      phase: 'source',
      cause: err,
    });
  }
}

function lowerBound(stream: string, prior: CursorState | undefined, lookbackMs: number, startDate: string | Date | undefined): Bound {
  const start = startDate === undefined ? undefined : cursorKey(startDate);
  if (startDate !== undefined && start === undefined) {
    throw new SupportSyncError(`stream "${stream}": startDate ${JSON.stringify(String(startDate))} is not a timestamp; use the form YYYY-MM-DDTHH:mm:ssZ.`, {
      code: 'CONFIG_INVALID',
      phase: 'config',
    });
  }
  const saved = prior?.cursor === undefined ? undefined : cursorKey(prior.cursor);
  let key = saved !== undefined ? keyMinusMs(saved, lookbackMs) : (start ?? cursorKey(EPOCH)!);
  if (start !== undefined && key < start) key = start;
  return boundAt(key);
}

function unsorted(def: HttpStreamDef, value: unknown, after: CursorKey): SupportSyncError {
  const sort = def.incremental?.sort?.map(([k, v]) => `${k}=${String(v)}`).join('&') || '(none declared)';
  return new SupportSyncError(
    `stream "${def.name}": the API returned ${def.cursorField} = ${JSON.stringify(value)} after ${keyToIso(after)}, out of ascending order. Reading on could skip rows, so the read stops. Check that the API honours the stream's sort (${sort}) and filter, or declare incremental.order: 'unsorted'.`,
    { code: 'SOURCE_UNSORTED', phase: 'source', disposition: 'fatal' },
  );
}

function pagingIgnored(def: HttpStreamDef): SupportSyncError {
  return new SupportSyncError(
    `stream "${def.name}": the API returned the same page again after advancing the ${def.paginator.type} paginator. It seems to ignore the paging parameters; stopping instead of looping. Check the stream's paginator declaration.`,
    { code: 'PAGINATION_LOOP', phase: 'source', disposition: 'fatal' },
  );
}
