/**
 * The generic reader's entry point: a declared stream + the engine's request -> records and
 * state checkpoints (the `SourceMessage`s of the connector contract). The page algorithm is
 * in `read-pages.ts`; this module handles state in and out, and child streams.
 *
 * State shapes (opaque to the engine, saved with the data they cover):
 *   plain stream: { cursor, idsAtCursor, recent? }             (see boundary.ts)
 *   child stream: { parents: { "<parent key>": { cursor, idsAtCursor, recent? } } }
 */
import { SupportSyncError } from '../../core/errors.ts';
import type { HttpClient } from '../../core/http/http-client.ts';
import type { SourceContext, SourceMessage, StreamReadRequest, StreamState } from '../source.ts';
import type { CursorState } from './boundary.ts';
import { parseCursorState } from './boundary.ts';
import type { HttpStreamDef, ParentContext, ReadHttpStreamOptions } from './define-http-stream.ts';
import { pathPlaceholders } from './define-http-stream.ts';
import type { RawRecord } from './extract-records.ts';
import type { PageEvent } from './read-pages.ts';
import { readPages } from './read-pages.ts';

export async function* readHttpStream(
  client: HttpClient,
  def: HttpStreamDef,
  request: StreamReadRequest,
  ctx: SourceContext,
  opts: ReadHttpStreamOptions = {},
): AsyncGenerator<SourceMessage, void, undefined> {
  if (!def.syncTypes.includes(request.syncType)) {
    throw new SupportSyncError(
      `streams.${def.name}.syncType: ${request.syncType} is not supported by this stream; use one of ${def.syncTypes.join(', ')}.`,
      { code: 'CONFIG_INVALID', phase: 'config' },
    );
  }
  const emitter = stateEmitter(def.name);
  if (def.forEachParent) {
    yield* readChildren(client, def, request, ctx, opts, emitter);
    return;
  }
  let prior: CursorState | undefined;
  if (request.syncType === 'INCREMENTAL') {
    const parsed = parseCursorState(request.state);
    if (parsed.problem) yield warning(def.name, `${parsed.problem}; reading from the start date again (rows already loaded are merged, none are lost)`);
    prior = parsed.state;
  }
  const pages = readPages({ client, def, ctx, opts, syncType: request.syncType, path: def.path, prior });
  const final = yield* relay(def.name, pages, (state) => emitter.emit(state));
  yield* emitter.emit(final);
}

/**
 * Child streams: one read per parent, one state per parent, relayed parent after parent while
 * the next parents' first pages are already on their way. Parents that disappear keep their
 * state (harmless); new parents start from the start date.
 */
async function* readChildren(
  client: HttpClient,
  def: HttpStreamDef,
  request: StreamReadRequest,
  ctx: SourceContext,
  opts: ReadHttpStreamOptions,
  emitter: StateEmitter,
): AsyncGenerator<SourceMessage, void, undefined> {
  const states: Record<string, CursorState> = {};
  if (request.syncType === 'INCREMENTAL') {
    const saved = (request.state as { parents?: unknown } | undefined)?.parents;
    if (saved !== undefined && (saved === null || typeof saved !== 'object')) {
      yield warning(def.name, 'the saved state has no usable parents map; reading every parent from the start date again');
    }
    for (const [key, value] of Object.entries((saved as Record<string, unknown> | undefined) ?? {})) {
      const parsed = parseCursorState(value);
      if (parsed.state) states[key] = parsed.state;
    }
  }
  const snapshot = () => ({ parents: { ...states } });
  // The next parents' reads start while one is relayed (their first pages are asked for),
  // so that a stream of many small parents is not one round trip per parent after another.
  const start = (parent: ParentContext): StartedRead => {
    const key = parent.key ?? parentKey(parent);
    const prior = request.syncType === 'INCREMENTAL' ? states[key] : undefined;
    const pages = readPages({ client, def, ctx, opts, syncType: request.syncType, path: fillPath(def, parent), parent, prior });
    const first = pages.next();
    first.catch(() => undefined); // relayed later; until then its failure is not unhandled
    return { key, pages, first };
  };
  const parents = def.forEachParent!(client, ctx, opts)[Symbol.asyncIterator]();
  const started: StartedRead[] = [];
  try {
    for (let more = true; ; ) {
      while (more && started.length <= PARENTS_AHEAD) {
        const next = await parents.next();
        if (next.done) more = false;
        else started.push(start(next.value));
      }
      const read = started.shift();
      if (!read) break;
      const final = yield* relay(def.name, fromFirst(read), (state) => {
        states[read.key] = state;
        return emitter.emit(snapshot());
      });
      states[read.key] = final;
      // This parent is complete whatever its order: safe to checkpoint on INCREMENTAL.
      if (request.syncType === 'INCREMENTAL') yield* emitter.emit(snapshot());
    }
  } finally {
    // Stopped early: release the reads started ahead (each once its first page is in).
    for (const read of started) read.pages.return(undefined as never).catch(() => undefined);
    await parents.return?.();
  }
  yield* emitter.emit(snapshot());
}

/** Parents read ahead of the one being relayed. */
const PARENTS_AHEAD = 3;

/** A parent's page reader whose first step was already asked for. */
interface StartedRead {
  key: string;
  pages: AsyncGenerator<PageEvent, CursorState, undefined>;
  first: Promise<IteratorResult<PageEvent, CursorState>>;
}

/** The started read as one generator again: its first step, then the rest. */
async function* fromFirst(read: StartedRead): AsyncGenerator<PageEvent, CursorState, undefined> {
  try {
    let step = await read.first;
    while (!step.done) {
      yield step.value;
      step = await read.pages.next();
    }
    return step.value;
  } finally {
    await read.pages.return(undefined as never);
  }
}

/** Every record of a stream, from the beginning (or `opts.startDate`): for `forEachParent` hooks. */
export async function* readRecords(
  client: HttpClient,
  def: HttpStreamDef,
  ctx: SourceContext,
  opts: ReadHttpStreamOptions = {},
): AsyncGenerator<RawRecord, void, undefined> {
  const pages = readPages({ client, def, ctx, opts, syncType: 'FULL_TABLE', path: def.path });
  for (;;) {
    const step = await pages.next();
    if (step.done) return;
    if (step.value.type === 'records') yield* step.value.records;
    else if (step.value.type === 'warning') ctx.log.warn(step.value.message, { stream: def.name });
  }
}

/** Forwards records and warnings as messages; checkpoints go through `onCheckpoint`. Returns the final state. */
async function* relay(
  stream: string,
  pages: AsyncGenerator<PageEvent, CursorState, undefined>,
  onCheckpoint: (state: CursorState) => Iterable<SourceMessage>,
): AsyncGenerator<SourceMessage, CursorState, undefined> {
  try {
    for (;;) {
      const step = await pages.next();
      if (step.done) return step.value;
      const ev = step.value;
      if (ev.type === 'records') yield { type: 'records', stream, records: ev.records };
      else if (ev.type === 'warning') yield warning(stream, ev.message);
      else yield* onCheckpoint(ev.state);
    }
  } finally {
    // The consumer stopped early: let the page reader release its response.
    await pages.return(undefined as never);
  }
}

interface StateEmitter {
  /** A state message, unless it equals the last one emitted. */
  emit(state: StreamState): Iterable<SourceMessage>;
}

function stateEmitter(stream: string): StateEmitter {
  let last: string | undefined;
  return {
    *emit(state) {
      const json = JSON.stringify(state);
      if (json === last) return;
      last = json;
      yield { type: 'state', stream, state: JSON.parse(json) as StreamState };
    },
  };
}

function warning(stream: string, message: string): SourceMessage {
  return { type: 'warning', stream, message };
}

function parentKey(parent: ParentContext): string {
  const entries = Object.entries(parent.vars).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length === 1 ? String(entries[0][1]) : JSON.stringify(Object.fromEntries(entries));
}

/** `/engagement/surveys/{id}/responses` with `{id}` URL-encoded from the parent. */
export function fillPath(def: HttpStreamDef, parent: ParentContext): string {
  for (const name of pathPlaceholders(def.path)) {
    const value = parent.vars[name];
    if (value === undefined || value === null || value === '') {
      throw new SupportSyncError(`stream "${def.name}": forEachParent gave no value for {${name}} in ${def.path}.`, {
        code: 'STREAM_DEFINITION',
        phase: 'source',
      });
    }
  }
  return def.path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => encodeURIComponent(String(parent.vars[name])));
}
