/**
 * The chartType vocabularies against the OpenAPI document itself, "did you mean", and the
 * response shapes: both documented bar-chart shapes, lenient numbers, clear errors.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { UsageError } from '../../core/errors.ts';
import { BAR_CHART_TYPES, FACT_TYPES, HEATMAP_TYPES, LIST_TYPES, requireChartType } from '../chart-types.ts';
import { GleapResponseError } from '../client/parse-response.ts';
import { flattenList } from '../statistics/list-table.ts';
import { normalizeChart, normalizeFact, normalizeHeatmap, normalizeList, normalizeRawData } from '../statistics/statistics-schemas.ts';

const spec = parse(readFileSync(new URL('../openapi/gleap-rest-api-openapi.yml', import.meta.url), 'utf8')) as {
  components: { schemas: Record<string, { enum: string[] }> };
};
const specEnum = (name: string) => [...new Set(spec.components.schemas[name]!.enum)].sort();

describe('chart types', () => {
  test('the runtime lists are exactly the enums of the OpenAPI document copy', () => {
    assert.deepEqual([...FACT_TYPES].sort(), specEnum('FactTypes'));
    assert.deepEqual([...BAR_CHART_TYPES].sort(), specEnum('BarChartStatisticTypes'));
    assert.deepEqual([...LIST_TYPES].sort(), specEnum('StatisticListTypes'));
    assert.deepEqual([...HEATMAP_TYPES].sort(), specEnum('HeatmapTypes'));
  });

  test('valid names pass, forgiving case and dashes', () => {
    assert.equal(requireChartType('fact', 'new-tickets-count'), 'NEW_TICKETS_COUNT');
    assert.equal(requireChartType('heatmap', 'busiest_hours_per_weekday'), 'BUSIEST_HOURS_PER_WEEKDAY');
  });

  test('an unknown name suggests the closest and points at the endpoint that has it', () => {
    assert.throws(() => requireChartType('fact', 'NEW_TICKET_COUNT'), (e: unknown) => e instanceof UsageError && /did you mean NEW_TICKETS_COUNT\b/.test(e.message));
    assert.throws(
      () => requireChartType('fact', 'REPLIES_COUNT'),
      (e: unknown) => e instanceof UsageError && /did you mean TICKET_REPLIES_COUNT/.test(e.message) && /REPLIES_COUNT is a `stats chart` type/.test(e.message),
    );
    assert.throws(() => requireChartType('list', 'zzz'), (e: unknown) => e instanceof UsageError && /stats types --endpoint list/.test(e.message));
  });
});

describe('statistics response shapes', () => {
  test('both bar-chart shapes normalize to the same series', () => {
    const a = normalizeChart('NEW_TICKETS_COUNT', { title: 'New', dataSets: [{ label: 'New', data: [{ label: '2026-04-01', value: 3 }, { label: '2026-04-02', value: '5' }] }] });
    const b = normalizeChart('NEW_TICKETS_COUNT', { title: 'New', series: [{ name: 'New', data: [{ x: '2026-04-01', y: 3 }, { x: '2026-04-02', y: 5 }] }] });
    assert.deepEqual(a, b);
    assert.deepEqual(a.series[0]!.points.map((p) => p.value), [3, 5]);
  });

  test('facts accept numeric strings and a missing progressValue', () => {
    const f = normalizeFact('MEDIAN_FIRST_RESPONSE_TIME', { title: 'Median first response', value: '1.8', rawValue: '6570.52', valueUnit: 'h' });
    assert.deepEqual([f.rawValue, f.progressValue, f.value], [6570.52, null, '1.8']);
  });

  test('a shape we do not understand is an error naming the operation and the body', () => {
    assert.throws(
      () => normalizeChart('NEW_TICKETS_COUNT', { labels: ['a'], values: [1] }, 'GET /statistics/bar-chart'),
      (e: unknown) => e instanceof GleapResponseError && /GET \/statistics\/bar-chart answered a shape/.test(e.message) && /"labels"/.test(e.message),
    );
    assert.throws(() => normalizeFact('X', { rawValue: 'lots' }), GleapResponseError);
  });

  test('heatmap hours come from x ("09:00", 9) or position; lists from objects or bare arrays', () => {
    const h = normalizeHeatmap('BUSIEST_HOURS_PER_WEEKDAY', { series: [{ name: 'Monday', data: [{ x: '09:00', y: 4 }, { x: 10, y: 2 }] }] });
    assert.equal(h.rows[0]!.hours[9], 4);
    assert.equal(h.rows[0]!.hours[10], 2);
    const list = normalizeList('SNAPSHOT_TICKETS', [{ type: 'BUG', openCount: 3 }]);
    assert.deepEqual(list.columns.map((c) => c.key), ['type', 'openCount']);
    assert.deepEqual(normalizeRawData({ data: [{ type: 'X' }] }), [{ type: 'X' }]);
  });

  test('a list flattens for people (names, humanized durations) and for CSV (raw numbers)', () => {
    const list = normalizeList('TEAM_PERFORMANCE_LIST', {
      columns: [{ key: 'processingUserREF', title: 'Agent' }, { key: 'medianFirstResponseTime', title: 'Median first response', unit: 'duration' }],
      data: [{ processingUserREF: { id: 'a1', firstName: 'Ann', lastName: 'Lee', email: 'ann@x.io' }, medianFirstResponseTime: { value: '1 h 50 min', rawValue: 6570.52, progressValue: null } }],
    });
    assert.deepEqual(flattenList(list, 'display').rows, [{ Agent: 'Ann Lee', 'Median first response': '1 h 50 min' }]);
    assert.deepEqual(flattenList(list, 'raw').rows, [{ Agent: 'Ann Lee', 'Agent e-mail': 'ann@x.io', 'Agent id': 'a1', 'Median first response (s)': 6570.52 }]);
  });
});
