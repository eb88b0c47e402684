/**
 * `supportsync stats` through the real binary against the real emulator: what a support
 * lead sees: humanized values, terminal bars and heatmap, SVG pictures, CSV, NDJSON.
 * The warehouse side: stats-warehouse-cli.test.ts; bad input: stats-cli-errors.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startGleapEmulator, type GleapEmulator } from '../../../emulators/gleap/gleap-emulator.ts';
import { runCli } from './run-cli.ts';

const NOW = new Date('2026-04-10T12:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'ss-stats-'));
const PERIOD = ['--from', '2026-03-01', '--to', '2026-03-31', '--tz', 'Europe/Paris'];
let e: GleapEmulator;
let env: NodeJS.ProcessEnv;

before(async () => {
  e = await startGleapEmulator({ scale: 400, seed: 9, now: NOW, rateLimit: null });
  env = { GLEAP_API_KEY: 'test-api-key', GLEAP_PROJECT_ID: 'test-project', GLEAP_BASE_URL: `${e.url}/v3`, NO_COLOR: '1' };
});
after(async () => {
  await e.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('what people see', { concurrency: 2 }, () => {
  test('facts: humanized durations and signed changes; --json gives the numbers', async () => {
    const types = ['NEW_TICKETS_COUNT', 'MEDIAN_FIRST_RESPONSE_TIME', 'MEDIAN_TIME_TO_CLOSE'];
    const [human, json] = await Promise.all([runCli(['stats', 'fact', ...types, ...PERIOD], { env }), runCli(['stats', 'fact', ...types, ...PERIOD, '--json'], { env })]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /Facts · 2026-03-01 → 2026-03-31 \(Europe\/Paris\)/);
    assert.match(human.stdout, /Median first response time\s+\d+ h( \d+ min)?\s+[+-]\d+(\.\d)?%/);
    const doc = JSON.parse(json.stdout);
    assert.equal(doc.facts.length, 3);
    const frt = doc.facts[1];
    assert.equal(frt.unit, 'duration');
    assert.ok(typeof frt.rawValue === 'number' && frt.rawValue > 60, `rawValue in seconds: ${frt.rawValue}`);
    assert.ok(human.stdout.includes(frt.display), 'the table shows the same humanized value');
  });

  test('bar chart: sparkline and bars in the terminal, an SVG picture, CSV', async () => {
    const svg = join(dir, 'chart.svg');
    const [human, csv] = await Promise.all([
      runCli(['stats', 'chart', 'NEW_TICKETS_COUNT', ...PERIOD, '--svg', svg], { env }),
      runCli(['stats', 'chart', 'NEW_TICKETS_COUNT', ...PERIOD, '--group', 'month', '--csv'], { env }),
    ]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /[▁▂▃▄▅▆▇█]{31} · total \d+ · max \d+ on 2026-03-\d\d/);
    assert.match(human.stdout, /2026-03-31 +█*[▏▎▍▌▋▊▉]? *\d+/);
    const picture = readFileSync(svg, 'utf8');
    assert.match(picture, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal(picture.match(/<rect x="[\d.]+" y="[\d.]+" width="\d+" height="[\d.]+" rx="2"/g)?.length, 31, 'one bar per day');
    assert.equal(csv.stdout, `series,label,value\nNew tickets,2026-03,${human.stdout.match(/total (\d+)/)![1]}\n`);
  });

  test('heatmap: seven shaded weekday rows in the terminal, 168 cells in the SVG', async () => {
    const svg = join(dir, 'heatmap.svg');
    const res = await runCli(['stats', 'heatmap', ...PERIOD, '--svg', svg], { env });
    assert.equal(res.code, 0, res.stderr);
    const rows = res.stdout.split('\n').filter((l) => /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) /.test(l));
    assert.equal(rows.length, 7);
    assert.ok(rows.every((r) => /^\w{3}\s+([·░▒▓█][ ░▒▓█]){24}\s+\d+$/.test(r)), rows.join('\n'));
    assert.match(res.stdout, /busiest: \w+day \d\d:00-\d\d:00 \(\d+\)/);
    assert.equal(readFileSync(svg, 'utf8').match(/<rect [^>]*rx="4"/g)?.length, 168);
  });

  test('list: an aligned table, and --csv from Gleap\'s export', async () => {
    const [human, csv] = await Promise.all([
      runCli(['stats', 'list', 'TEAM_PERFORMANCE_LIST', ...PERIOD], { env }),
      runCli(['stats', 'list', 'TEAM_PERFORMANCE_LIST', ...PERIOD, '--csv'], { env }),
    ]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /Agent\s+Assigned\s+Replies\s+Closed\s+Median first response\s+Median time to close/);
    const lines = csv.stdout.trim().split(/\r?\n/);
    assert.equal(lines[0], 'Agent,Agent e-mail,Agent id,Assigned,Replies,Closed,Median first response (s),Median time to close (s)');
    assert.equal(lines.length - 1, human.stdout.split('\n').filter((l) => /^\S+ \S+\s+\d+\s+\d+\s+\d+/.test(l)).length, 'same agents');
  });

  test('raw: pages through raw-data and streams NDJSON', async () => {
    const res = await runCli(['stats', 'raw', ...PERIOD, '--limit', '40', '--max', '100'], { env });
    assert.equal(res.code, 0, res.stderr);
    const lines = res.stdout.trim().split('\n');
    assert.equal(lines.length, 100, 'three pages of 40, cut at 100');
    const events = lines.map((l) => JSON.parse(l));
    assert.ok(events.every((ev) => typeof ev.type === 'string' && typeof ev.createdAt === 'string'), 'events');
  });

  test('types and KPI definitions need no credentials', async () => {
    const [types, kpis] = await Promise.all([runCli(['stats', 'types', '--json'], { env: {} }), runCli(['stats', 'kpis'], { env: {} })]);
    const doc = JSON.parse(types.stdout);
    assert.equal(doc.fact.types.length, 38);
    assert.deepEqual(doc.heatmap.types.map((t: { warehouse: boolean }) => t.warehouse), [true, true]);
    assert.match(kpis.stdout, /MEDIAN_FIRST_RESPONSE_TIME .*first agent reply \(not a note, not the bot\)/);
  });
});
