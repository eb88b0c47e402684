/** The terminal and SVG renderings of statistics, from fixed inputs. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HeatmapResult } from '../../gleap/statistics/statistics-results.ts';
import { parseTimeRange } from '../../gleap/statistics/time-range.ts';
import { renderHeatmap, shadeLevel } from '../render/heatmap.ts';
import { bar, sparkline } from '../render/sparkline.ts';
import { describeRange } from '../render/stats-output.ts';
import { heatmapSvg, scaleColor } from '../render/svg-chart.ts';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const heatmap = (cell: (d: number, h: number) => number): HeatmapResult => ({
  chartType: 'BUSIEST_HOURS_PER_WEEKDAY', title: 'Busiest hours per weekday',
  rows: DAYS.map((name, d) => ({ name, hours: Array.from({ length: 24 }, (_, h) => cell(d, h)) })),
});

describe('terminal', () => {
  test('sparklines and bars scale to the largest value; no data is blank', () => {
    assert.equal(sparkline([0, 1, 2, 4, 8, null]), '▁▂▃▅█ ');
    assert.equal(bar(8, 8, 4), '████');
    assert.equal(bar(1, 8, 4), '▌');
    assert.equal(bar(0, 8, 4), '');
  });

  test('the heatmap shades by quarter of the maximum, totals rows and names the peak', () => {
    assert.deepEqual([0, 1, 3, 4, 5, 8].map((v) => shadeLevel(v, 8)), [0, 1, 2, 2, 3, 4]);
    const text = renderHeatmap(heatmap((d, h) => (d === 1 && h === 10 ? 8 : h === 9 ? 2 : 0)));
    const lines = text.split('\n');
    assert.match(lines[2]!, /^Tue  (· ){9}░░██(· ){13}\s+10$/);
    assert.match(text, /░ 1-2 {2}▒ 3-4 {2}▓ 5-6 {2}█ 7-8/);
    assert.match(text, /busiest: Tuesday 10:00-11:00 \(8\)/);
  });

  test('periods read as local days, the last one included', () => {
    const r = parseTimeRange({ from: '2026-04-01', to: '2026-04-07' }, 'Europe/Paris', new Date('2026-04-10T00:00:00Z'));
    assert.equal(describeRange(r, 'Europe/Paris'), '2026-04-01 → 2026-04-07 (Europe/Paris)');
    const one = parseTimeRange({ last: 'today' }, 'UTC', new Date('2026-04-10T08:00:00Z'));
    assert.equal(describeRange(one, 'UTC'), '2026-04-10 (UTC)');
  });
});

describe('SVG', () => {
  test('168 cells coloured by value, with labels escaped', () => {
    const svg = heatmapSvg({ ...heatmap((d, h) => d * 24 + h), title: 'Tickets <&> "hours"' }, 'a & b');
    assert.equal(svg.match(/<rect [^>]*rx="4"/g)?.length, 168);
    assert.match(svg, /aria-label="Tickets &lt;&amp;&gt; &quot;hours&quot;"/);
    assert.ok(svg.includes(`fill="${scaleColor(1)}"><title>Sunday 23:00: 167</title>`), 'the largest cell is the darkest');
    assert.ok(svg.includes('fill="#eef2f7"><title>Monday 00:00: 0</title>'), 'zero is the empty colour');
  });
});
