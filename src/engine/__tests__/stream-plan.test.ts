import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sourceEntrySchema } from '../../config/config-schema.ts';
import { ConfigError } from '../../core/errors.ts';
import type { StreamDescriptor } from '../../sources/source.ts';
import { planStreams, streamsPerSource } from '../stream-plan.ts';

const stream = (name: string, modes: StreamDescriptor['syncTypes'] = ['INCREMENTAL', 'FULL_TABLE']): StreamDescriptor => ({
  name, columns: { id: 'string' }, primaryKey: ['id'], cursorField: 'updatedAt', syncTypes: modes, defaultSyncType: modes[0]!,
});
const available = [stream('tickets'), stream('messages'), stream('surveys', ['FULL_TABLE']), stream('survey_responses')];
const entry = (extra: Record<string, unknown> = {}) => sourceEntrySchema.parse({ name: 'g', type: 'gleap', config: {}, ...extra });

describe('planStreams', () => {
  test('no selection means every stream with its default sync type, table named after the stream', () => {
    const plan = planStreams(entry(), available);
    assert.deepEqual(plan.map((p) => [p.stream.name, p.syncType, p.placement.name]), [
      ['tickets', 'INCREMENTAL', 'tickets'], ['messages', 'INCREMENTAL', 'messages'],
      ['surveys', 'FULL_TABLE', 'surveys'], ['survey_responses', 'INCREMENTAL', 'survey_responses'],
    ]);
  });

  test('globs and names select streams, in the source order; options apply by exact name first', () => {
    const plan = planStreams(entry({ streams: { 'survey*': { syncType: 'FULL_TABLE' }, tickets: { table: 'all_tickets' } } }), available);
    assert.deepEqual(plan.map((p) => [p.stream.name, p.syncType, p.placement.name]), [
      ['tickets', 'INCREMENTAL', 'all_tickets'], ['surveys', 'FULL_TABLE', 'surveys'], ['survey_responses', 'FULL_TABLE', 'survey_responses'],
    ]);
  });

  test('a list of names works as a selection too', () => {
    assert.deepEqual(planStreams(entry({ streams: ['messages'] }), available).map((p) => p.stream.name), ['messages']);
  });

  test('--full forces FULL_TABLE; --streams narrows the selection', () => {
    const plan = planStreams(entry(), available, { full: true, only: ['tick*'] });
    assert.deepEqual(plan.map((p) => [p.stream.name, p.syncType]), [['tickets', 'FULL_TABLE']]);
  });

  test('--full on a stream without FULL_TABLE re-reads it from scratch as INCREMENTAL', () => {
    const incrementalOnly = [stream('items', ['INCREMENTAL'])];
    const [p] = planStreams(entry(), incrementalOnly, { full: true });
    assert.deepEqual([p!.syncType, p!.fromScratch], ['INCREMENTAL', true]);
    assert.equal(planStreams(entry(), incrementalOnly)[0]!.fromScratch, undefined);
  });

  test('placement carries layer, folder and prefix', () => {
    const [p] = planStreams(entry({ layer: 'bronze', folder: 'gleap', tablePrefix: 'x_', streams: ['tickets'] }), available);
    assert.deepEqual(p!.placement, { layer: 'bronze', folder: 'gleap', prefix: 'x_', name: 'tickets' });
  });

  test('two streams landing in one table is a config error', () => {
    assert.throws(() => planStreams(entry({ streams: { tickets: { table: 'same' }, messages: { table: 'same' } } }), available), (err: unknown) =>
      err instanceof ConfigError && /would both load into raw\.same/.test(err.message));
  });

  test('a table name reserved for history companions is refused before any work', () => {
    assert.throws(() => planStreams(entry({ streams: { tickets: { table: 'tickets__history' } } }), available), (err: unknown) =>
      err instanceof ConfigError && err.key === 'sources[0].streams.tickets.table');
  });

  test('an unknown stream is a config error listing the streams, with the closest name', () => {
    assert.throws(() => planStreams(entry({ streams: ['tikets'] }), available), (err: unknown) =>
      err instanceof ConfigError && /"tikets" matches no stream; did you mean tickets\? expected one of tickets, messages/.test(err.message));
    assert.throws(() => planStreams(entry({ streams: ['zzz'] }), available), (err: unknown) =>
      err instanceof ConfigError && /"zzz" matches no stream; expected one of/.test(err.message), 'no hint when nothing is close');
  });

  test('an unsupported sync type is a config error naming the stream', () => {
    assert.throws(() => planStreams(entry({ streams: { surveys: { syncType: 'INCREMENTAL' } } }), available), (err: unknown) =>
      err instanceof ConfigError && err.key === 'sources[0].streams.surveys.syncType');
  });

  test('--streams across several sources: each gets the patterns it has, a source none match is left out', () => {
    const catalogs = [
      { source: 'gleap', streams: ['tickets', 'messages', 'agents'] },
      { source: 'gladly', streams: ['customers', 'agents'] },
      { source: 'other', streams: ['events'] },
    ];
    const split = streamsPerSource(catalogs, ['tickets', 'agents', 'cust*']);
    assert.deepEqual(Object.fromEntries(split), { gleap: ['tickets', 'agents'], gladly: ['agents', 'cust*'], other: [] }, 'patterns go where they match');
    assert.throws(
      () => streamsPerSource(catalogs, ['tickets', 'custmers']),
      (err: unknown) => err instanceof ConfigError && err.key === '--streams' && /"custmers" matches no stream; did you mean customers\? expected one of tickets, messages, agents, customers, events$/.test(err.message),
      'a name no source has is an error listing every stream once',
    );
  });
});
