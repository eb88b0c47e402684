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
 *
 * Streams without an ascending incremental filter are read with plain pagination and get
 * one state at the end. A paginator that returns the same page twice, or the same cursor
 * token twice, stops the read with an error instead of looping.
 */
import { SupportSyncError } from '../../core/errors.ts';
import type { HttpClient } from '../../core/http/http-client.ts';
import type { QueryPair } from '../../core/http/query-string.ts';
import type { SourceContext, SyncType } from '../source.ts';
import type { CursorState } from './boundary.ts';
import { createBoundary } from './boundary.ts';
import type { CursorKey } from './cursor-values.ts';
import { cursorKey, keyMinusMs, keyToIso } from './cursor-values.ts';
import type { HttpStreamDef, ParentContext, ReadHttpStreamOptions } from './define-http-stream.ts';
import type { RawRecord } from './extract-records.ts';
import { extractRecords } from './extract-records.ts';
import type { PagePosition } from './paginators.ts';
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

/** Yields records, checkpoints and warnings; returns the final state. */
export async function* readPages(input: ReadPagesInput): AsyncGenerator<PageEvent, CursorState, undefined> {
  const { client, def, ctx, opts, parent } = input;
  const inc = def.incremental;
  const keyset = inc !== undefined && (inc.order ?? 'ascending') === 'ascending';
  const checkpoints = input.syncType === 'INCREMENTAL' && keyset;
  const boundary = createBoundary(input.prior, inc?.lookbackMs ?? 0, opts.maxRecentIds);
  let from = inc ? lowerBound(def.name, input.prior, inc.lookbackMs ?? 0, opts.startDate) : undefined;
  let pos: PagePosition = firstPosition();
  let previousPage: string | undefined;
  let warnedTies = false;
  let lastCheckpoint = '';
  const missing = { cursor: 0, key: 0 };

  // One page ahead: the next request is on its way while the caller loads this page, so the
  // API's time and ours overlap instead of adding up (and a rate budget is used while we
  // work). If the read ends early, `ahead` cancels the request.
  // (Linked by hand rather than with AbortSignal.any, which Node 20 gained only in 20.3.)
  const ahead = new AbortController();
  const stopAhead = () => ahead.abort(ctx.signal.reason);
  if (ctx.signal.aborted) stopAhead();
  else ctx.signal.addEventListener('abort', stopAhead, { once: true });
  const fetchPage = (bound: Bound | undefined, at: PagePosition) => {
    const query: QueryPair[] = [...(def.params ?? [])];
    if (inc && bound) query.push(...(inc.sort ?? []), ...inc.filterParam(bound.iso));
    query.push(...pageQuery(def.paginator, at));
    const response = client.request({ path: input.path, query, label: def.name, signal: ahead.signal, onRequest: () => ctx.countRequest(def.name) });
    response.catch(() => undefined); // awaited in the loop; until then its failure is not unhandled
    return response;
  };
  let pending = fetchPage(from, pos);

  try {
    for (;;) {
      const res = await pending;
      const page = extractRecords(res.body, def.recordsPath, def.name);
      if (page.malformed > 0) {
        yield { type: 'warning', message: `${page.malformed} item(s) in a page of ${def.name} were not JSON objects and were not loaded` };
      }
      const fetched = page.records.length + page.malformed;

      const out: RawRecord[] = [];
      const ids: string[] = [];
      let pageMin: CursorKey | undefined;
      let pageMax: CursorKey | undefined;
      for (const fetchedRecord of page.records) {
        const record = def.transform ? transformed(def, fetchedRecord, parent) : fetchedRecord;
        const pk = primaryKeyOf(record, def.primaryKey);
        if (pk === undefined) missing.key++;
        const raw = def.cursorField === undefined ? undefined : record[def.cursorField];
        const key = cursorKey(raw);
        ids.push(pk ?? key ?? JSON.stringify(fetchedRecord));
        if (key === undefined) {
          if (def.cursorField !== undefined) missing.cursor++;
          out.push(record);
          continue;
        }
        if (keyset && from && (key < from.key || (pageMax !== undefined && key < pageMax))) {
          throw unsorted(def, raw, pageMax ?? from.key);
        }
        if (pageMin === undefined || key < pageMin) pageMin = key;
        if (pageMax === undefined || key > pageMax) pageMax = key;
        if (pk !== undefined && boundary.isKnown(pk, key)) continue;
        boundary.note(pk, key, typeof raw === 'string' ? raw : keyToIso(key));
        out.push(record);
      }

      // The same page again after advancing: the API ignores the paging parameter.
      const fingerprint = ids.join('\u0000');
      if (pos.index > 0 && fetched > 0 && fingerprint === previousPage) throw pagingIgnored(def);
      previousPage = fingerprint;

      ctx.log.debug('page read', { stream: def.name, fetched, emitted: out.length, from: from?.iso, page: pos.index, offset: pos.offset });

      // Where the next page starts (step 5 or 6), decided before this page is handed out so
      // that it can be fetched meanwhile.
      const next = nextPosition(def.paginator, pos, res.body, fetched, def.name);
      let tiesWarning = false;
      if (next && keyset && from && pageMax !== undefined) {
        const iso = keyToIso(pageMax);
        const key = cursorKey(iso)!;
        // The first page of a query all one cursor: `>= that cursor` is the same result set,
        // so keep paging it (step 6) rather than fetch this page again.
        const restart = key > from.key && (pos.index > 0 || pageMin !== pageMax);
        if (key > from.key) from = { iso, key };
        if (restart) {
          pos = firstPosition();
          previousPage = undefined;
        } else {
          pos = next;
          tiesWarning = !warnedTies;
          warnedTies = true;
        }
      } else if (next) {
        pos = next;
      }
      if (next) pending = fetchPage(from, pos);

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
      if (tiesWarning) {
        yield {
          type: 'warning',
          message: `more than one page of ${def.name} shares ${def.cursorField} = ${from!.iso}; they are read by position, which relies on the API keeping a stable order among equal values`,
        };
      }
      if (!next) break;
    }
  } finally {
    ctx.signal.removeEventListener('abort', stopAhead);
    ahead.abort();
  }

  if (missing.cursor > 0) {
    yield { type: 'warning', message: `${missing.cursor} record(s) of ${def.name} had no valid ${def.cursorField}; they were loaded but do not move the cursor` };
  }
  if (missing.key > 0) {
    yield { type: 'warning', message: `${missing.key} record(s) of ${def.name} had no ${def.primaryKey.join(' + ')}; they were passed on but cannot be deduplicated` };
  }
  return boundary.toState();
}

/** The primary key as one string (JSON for composite keys); undefined when a part is missing. */
export function primaryKeyOf(record: RawRecord, primaryKey: readonly string[]): string | undefined {
  const parts = primaryKey.map((k) => record[k]);
  if (parts.some((v) => v === undefined || v === null || v === '')) return undefined;
  return parts.length === 1 ? String(parts[0]) : JSON.stringify(parts);
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
  const iso = keyToIso(key);
  return { iso, key: cursorKey(iso)! };
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
