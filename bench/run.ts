/**
 * `npm run bench [suite ...]`: runs the benchmark suites, writes each result as JSON to
 * bench/results/<suite>.json and prints a table. Every measured case runs in a child
 * process of its own, so peak RSS is that case's alone. Figures compared with each other
 * (engine vs baseline) come from the same run on the same machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suites } from './suites.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs bench/cases/<name>.ts in a fresh Node process (with `nodeFlags`, if any) and returns its last JSON line. */
export function runCase(name: string, args: (string | number)[] = [], nodeFlags: string[] = []): Record<string, number> & Record<string, unknown> {
  const res = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', join(here, 'cases', `${name}.ts`), ...args.map(String)], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (res.status !== 0) throw new Error(`bench case ${name} ${args.join(' ')} failed with exit ${res.status}`);
  const last = res.stdout.trim().split('\n').at(-1)!;
  return JSON.parse(last);
}

const wanted = process.argv.slice(2);
const chosen = wanted.length ? suites.filter((s) => wanted.includes(s.name)) : suites;
if (chosen.length === 0) {
  console.error(`unknown suite; expected one of ${suites.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
mkdirSync(join(here, 'results'), { recursive: true });
const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30) };

for (const suite of chosen) {
  console.log(`\n== ${suite.name}: ${suite.description}`);
  const result = await suite.run(runCase);
  const doc = { suite: suite.name, description: suite.description, date: new Date().toISOString(), machine, ...result };
  writeFileSync(join(here, 'results', `${suite.name}.json`), JSON.stringify(doc, null, 2) + '\n');
  console.table(result.table);
  for (const [target, verdict] of Object.entries(result.targets)) console.log(`  ${verdict.met ? '✔' : '✘'} ${target}: ${verdict.detail}`);
}
